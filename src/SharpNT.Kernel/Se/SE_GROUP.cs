namespace SharpNT.Kernel.Se;

/// <summary>The attributes of a group in a token (winnt.h SE_GROUP_*).</summary>
public static class SE_GROUP
{
    public const uint SE_GROUP_MANDATORY = 0x00000001;
    public const uint SE_GROUP_ENABLED_BY_DEFAULT = 0x00000002;
    public const uint SE_GROUP_ENABLED = 0x00000004;
    public const uint SE_GROUP_OWNER = 0x00000008;
    public const uint SE_GROUP_USE_FOR_DENY_ONLY = 0x00000010;
    public const uint SE_GROUP_INTEGRITY = 0x00000020;
    public const uint SE_GROUP_INTEGRITY_ENABLED = 0x00000040;
    public const uint SE_GROUP_RESOURCE = 0x20000000;
    public const uint SE_GROUP_LOGON_ID = 0xC0000000;

    /// <summary>What a well-known group carries in a logon token: mandatory, enabled, enabled by default.</summary>
    public const uint Default = SE_GROUP_MANDATORY | SE_GROUP_ENABLED_BY_DEFAULT | SE_GROUP_ENABLED;
}
