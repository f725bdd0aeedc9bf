namespace SharpNT.Kernel.Se;

/// <summary>ACE types, ACE flags and revisions (winnt.h / ntifs.h ACE_HEADER and ACL).</summary>
public static class AceConstants
{
    // ---- ACE_HEADER.AceType --------------------------------------------------------------------------
    public const byte ACCESS_ALLOWED_ACE_TYPE = 0x0;
    public const byte ACCESS_DENIED_ACE_TYPE = 0x1;
    public const byte SYSTEM_AUDIT_ACE_TYPE = 0x2;
    public const byte SYSTEM_ALARM_ACE_TYPE = 0x3;

    // ---- ACE_HEADER.AceFlags -------------------------------------------------------------------------
    public const byte OBJECT_INHERIT_ACE = 0x1;
    public const byte CONTAINER_INHERIT_ACE = 0x2;
    public const byte NO_PROPAGATE_INHERIT_ACE = 0x4;
    public const byte INHERIT_ONLY_ACE = 0x8;
    public const byte INHERITED_ACE = 0x10;
    public const byte VALID_INHERIT_FLAGS = 0x1F;
    public const byte SUCCESSFUL_ACCESS_ACE_FLAG = 0x40;
    public const byte FAILED_ACCESS_ACE_FLAG = 0x80;

    // ---- Revisions -------------------------------------------------------------------------------------
    public const byte ACL_REVISION = 2;
    public const byte ACL_REVISION_DS = 4;
    public const uint SECURITY_DESCRIPTOR_REVISION = 1;
    public const uint SDDL_REVISION_1 = 1;

    /// <summary>sizeof(ACL): the header before the first ACE.</summary>
    public const int AclHeaderSize = 8;

    /// <summary>sizeof(ACCESS_ALLOWED_ACE) minus the SidStart ULONG: ACE_HEADER (4) and the mask (4).</summary>
    public const int AceFixedSize = 8;
}
