namespace SharpNT.Kernel.Cm;

/// <summary>
/// The registry's #define constants from wdm.h and winnt.h under their own names: value types, create
/// options, dispositions, the device key selectors of IoOpenDeviceRegistryKey, and the documented limits.
/// </summary>
internal static class RegConstants
{
    // Value types (winnt.h). A value's type is any ULONG; these are the ones NT gives a meaning.
    public const uint REG_NONE = 0;
    public const uint REG_SZ = 1;
    public const uint REG_EXPAND_SZ = 2;
    public const uint REG_BINARY = 3;
    public const uint REG_DWORD = 4;
    public const uint REG_DWORD_LITTLE_ENDIAN = 4;
    public const uint REG_DWORD_BIG_ENDIAN = 5;
    public const uint REG_LINK = 6;
    public const uint REG_MULTI_SZ = 7;
    public const uint REG_RESOURCE_LIST = 8;
    public const uint REG_FULL_RESOURCE_DESCRIPTOR = 9;
    public const uint REG_RESOURCE_REQUIREMENTS_LIST = 10;
    public const uint REG_QWORD = 11;
    public const uint REG_QWORD_LITTLE_ENDIAN = 11;

    // CreateOptions of ZwCreateKey and OpenOptions of ZwOpenKeyEx.
    public const uint REG_OPTION_NON_VOLATILE = 0x00000000;
    public const uint REG_OPTION_VOLATILE = 0x00000001;
    public const uint REG_OPTION_CREATE_LINK = 0x00000002;
    public const uint REG_OPTION_BACKUP_RESTORE = 0x00000004;
    public const uint REG_OPTION_OPEN_LINK = 0x00000008;
    public const uint REG_OPTION_DONT_VIRTUALIZE = 0x00000010;

    /// <summary>REG_LEGAL_OPTION: any other bit in CreateOptions is STATUS_INVALID_PARAMETER.</summary>
    public const uint REG_LEGAL_OPTION = REG_OPTION_VOLATILE | REG_OPTION_CREATE_LINK | REG_OPTION_BACKUP_RESTORE
        | REG_OPTION_OPEN_LINK | REG_OPTION_DONT_VIRTUALIZE;

    // Disposition of ZwCreateKey.
    public const uint REG_CREATED_NEW_KEY = 1;
    public const uint REG_OPENED_EXISTING_KEY = 2;

    // DevInstKeyType of IoOpenDeviceRegistryKey.
    public const uint PLUGPLAY_REGKEY_DEVICE = 1;
    public const uint PLUGPLAY_REGKEY_DRIVER = 2;
    public const uint PLUGPLAY_REGKEY_CURRENT_HWPROFILE = 4;

    /// <summary>Registry element size limits: a key name component is at most 255 characters.</summary>
    public const int MaxKeyNameLength = 255;

    /// <summary>Registry element size limits: a value name is at most 16,383 characters.</summary>
    public const int MaxValueNameLength = 16383;

    /// <summary>The value of a symbolic link key that holds the target's full path (REG_LINK, no NUL).</summary>
    public const string SymbolicLinkValueName = "SymbolicLinkValue";
}
