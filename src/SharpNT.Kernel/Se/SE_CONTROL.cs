namespace SharpNT.Kernel.Se;

/// <summary>SECURITY_DESCRIPTOR_CONTROL bits (winnt.h / ntifs.h).</summary>
public static class SE_CONTROL
{
    public const ushort SE_OWNER_DEFAULTED = 0x0001;
    public const ushort SE_GROUP_DEFAULTED = 0x0002;
    public const ushort SE_DACL_PRESENT = 0x0004;
    public const ushort SE_DACL_DEFAULTED = 0x0008;
    public const ushort SE_SACL_PRESENT = 0x0010;
    public const ushort SE_SACL_DEFAULTED = 0x0020;
    public const ushort SE_DACL_AUTO_INHERIT_REQ = 0x0100;
    public const ushort SE_SACL_AUTO_INHERIT_REQ = 0x0200;
    public const ushort SE_DACL_AUTO_INHERITED = 0x0400;
    public const ushort SE_SACL_AUTO_INHERITED = 0x0800;
    public const ushort SE_DACL_PROTECTED = 0x1000;
    public const ushort SE_SACL_PROTECTED = 0x2000;
    public const ushort SE_RM_CONTROL_VALID = 0x4000;
    public const ushort SE_SELF_RELATIVE = 0x8000;
}
