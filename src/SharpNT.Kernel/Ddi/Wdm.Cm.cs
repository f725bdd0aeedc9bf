using SharpNT.Kernel.Cm;
using SharpNT.Kernel.Io;

namespace SharpNT.Kernel.Ddi;

/// <summary>
/// The registry DDIs: the Zw key routines (system services called with previous mode KernelMode) and
/// IoOpenDeviceRegistryKey. Every one runs at PASSIVE_LEVEL, as documented; above it the registry's
/// pageable code would run at a forbidden IRQL: IRQL_NOT_LESS_OR_EQUAL.
/// </summary>
public static partial class Wdm
{
    // ---- Value types (REG_*) -----------------------------------------------------------------------------
    public const uint REG_NONE = RegConstants.REG_NONE;
    public const uint REG_SZ = RegConstants.REG_SZ;
    public const uint REG_EXPAND_SZ = RegConstants.REG_EXPAND_SZ;
    public const uint REG_BINARY = RegConstants.REG_BINARY;
    public const uint REG_DWORD = RegConstants.REG_DWORD;
    public const uint REG_DWORD_LITTLE_ENDIAN = RegConstants.REG_DWORD_LITTLE_ENDIAN;
    public const uint REG_DWORD_BIG_ENDIAN = RegConstants.REG_DWORD_BIG_ENDIAN;
    public const uint REG_LINK = RegConstants.REG_LINK;
    public const uint REG_MULTI_SZ = RegConstants.REG_MULTI_SZ;
    public const uint REG_RESOURCE_LIST = RegConstants.REG_RESOURCE_LIST;
    public const uint REG_FULL_RESOURCE_DESCRIPTOR = RegConstants.REG_FULL_RESOURCE_DESCRIPTOR;
    public const uint REG_RESOURCE_REQUIREMENTS_LIST = RegConstants.REG_RESOURCE_REQUIREMENTS_LIST;
    public const uint REG_QWORD = RegConstants.REG_QWORD;
    public const uint REG_QWORD_LITTLE_ENDIAN = RegConstants.REG_QWORD_LITTLE_ENDIAN;

    // ---- Create and open options, dispositions -------------------------------------------------------------
    public const uint REG_OPTION_RESERVED = 0x00000000;
    public const uint REG_OPTION_NON_VOLATILE = RegConstants.REG_OPTION_NON_VOLATILE;
    public const uint REG_OPTION_VOLATILE = RegConstants.REG_OPTION_VOLATILE;
    public const uint REG_OPTION_CREATE_LINK = RegConstants.REG_OPTION_CREATE_LINK;
    public const uint REG_OPTION_BACKUP_RESTORE = RegConstants.REG_OPTION_BACKUP_RESTORE;
    public const uint REG_OPTION_OPEN_LINK = RegConstants.REG_OPTION_OPEN_LINK;
    public const uint REG_OPTION_DONT_VIRTUALIZE = RegConstants.REG_OPTION_DONT_VIRTUALIZE;
    public const uint REG_LEGAL_OPTION = RegConstants.REG_LEGAL_OPTION;
    public const uint REG_CREATED_NEW_KEY = RegConstants.REG_CREATED_NEW_KEY;
    public const uint REG_OPENED_EXISTING_KEY = RegConstants.REG_OPENED_EXISTING_KEY;

    // ---- Key access rights not among the Ob ones -----------------------------------------------------------
    public const uint KEY_WOW64_64KEY = AccessMask.KEY_WOW64_64KEY;
    public const uint KEY_WOW64_32KEY = AccessMask.KEY_WOW64_32KEY;

    // ---- IoOpenDeviceRegistryKey's DevInstKeyType ------------------------------------------------------------
    public const uint PLUGPLAY_REGKEY_DEVICE = RegConstants.PLUGPLAY_REGKEY_DEVICE;
    public const uint PLUGPLAY_REGKEY_DRIVER = RegConstants.PLUGPLAY_REGKEY_DRIVER;
    public const uint PLUGPLAY_REGKEY_CURRENT_HWPROFILE = RegConstants.PLUGPLAY_REGKEY_CURRENT_HWPROFILE;

    // ---- KEY_INFORMATION_CLASS and KEY_VALUE_INFORMATION_CLASS, unqualified as C code names them -------------
    public const KEY_INFORMATION_CLASS KeyBasicInformation = KEY_INFORMATION_CLASS.KeyBasicInformation;
    public const KEY_INFORMATION_CLASS KeyNodeInformation = KEY_INFORMATION_CLASS.KeyNodeInformation;
    public const KEY_INFORMATION_CLASS KeyFullInformation = KEY_INFORMATION_CLASS.KeyFullInformation;
    public const KEY_INFORMATION_CLASS KeyNameInformation = KEY_INFORMATION_CLASS.KeyNameInformation;
    public const KEY_INFORMATION_CLASS KeyCachedInformation = KEY_INFORMATION_CLASS.KeyCachedInformation;
    public const KEY_INFORMATION_CLASS KeyFlagsInformation = KEY_INFORMATION_CLASS.KeyFlagsInformation;
    public const KEY_INFORMATION_CLASS KeyVirtualizationInformation = KEY_INFORMATION_CLASS.KeyVirtualizationInformation;
    public const KEY_INFORMATION_CLASS KeyHandleTagsInformation = KEY_INFORMATION_CLASS.KeyHandleTagsInformation;
    public const KEY_VALUE_INFORMATION_CLASS KeyValueBasicInformation = KEY_VALUE_INFORMATION_CLASS.KeyValueBasicInformation;
    public const KEY_VALUE_INFORMATION_CLASS KeyValueFullInformation = KEY_VALUE_INFORMATION_CLASS.KeyValueFullInformation;
    public const KEY_VALUE_INFORMATION_CLASS KeyValuePartialInformation = KEY_VALUE_INFORMATION_CLASS.KeyValuePartialInformation;
    public const KEY_VALUE_INFORMATION_CLASS KeyValueFullInformationAlign64 = KEY_VALUE_INFORMATION_CLASS.KeyValueFullInformationAlign64;
    public const KEY_VALUE_INFORMATION_CLASS KeyValuePartialInformationAlign64 = KEY_VALUE_INFORMATION_CLASS.KeyValuePartialInformationAlign64;

    /// <summary>
    /// ZwCreateKey: PASSIVE_LEVEL. Opens the key ObjectAttributes names ("\Registry\Machine\...", or a name
    /// relative to a RootDirectory key handle), creating its last component if it does not exist;
    /// Disposition receives REG_CREATED_NEW_KEY or REG_OPENED_EXISTING_KEY.
    /// </summary>
    public static NTSTATUS ZwCreateKey(out HANDLE KeyHandle, uint DesiredAccess, in OBJECT_ATTRIBUTES ObjectAttributes, uint TitleIndex,
        UNICODE_STRING? Class, uint CreateOptions, out uint Disposition) =>
        CmEnter().NtCreateKey(out KeyHandle, DesiredAccess, ObjectAttributes, TitleIndex, Class, CreateOptions, out Disposition, KernelMode);

    /// <summary>ZwOpenKey: PASSIVE_LEVEL; a handle to an existing key (STATUS_OBJECT_NAME_NOT_FOUND if there is none).</summary>
    public static NTSTATUS ZwOpenKey(out HANDLE KeyHandle, uint DesiredAccess, in OBJECT_ATTRIBUTES ObjectAttributes) =>
        CmEnter().NtOpenKey(out KeyHandle, DesiredAccess, ObjectAttributes, 0, KernelMode);

    /// <summary>ZwOpenKeyEx: PASSIVE_LEVEL; ZwOpenKey with OpenOptions (REG_OPTION_OPEN_LINK, REG_OPTION_BACKUP_RESTORE).</summary>
    public static NTSTATUS ZwOpenKeyEx(out HANDLE KeyHandle, uint DesiredAccess, in OBJECT_ATTRIBUTES ObjectAttributes, uint OpenOptions) =>
        CmEnter().NtOpenKey(out KeyHandle, DesiredAccess, ObjectAttributes, OpenOptions, KernelMode);

    /// <summary>
    /// ZwDeleteKey: PASSIVE_LEVEL; deletes the key at once (the handle stays open and then gets
    /// STATUS_KEY_DELETED); a key with subkeys is STATUS_CANNOT_DELETE.
    /// </summary>
    public static NTSTATUS ZwDeleteKey(HANDLE KeyHandle) => CmEnter().NtDeleteKey(KeyHandle, KernelMode);

    /// <summary>ZwFlushKey: PASSIVE_LEVEL; the key's changes are already in the registry, so this only checks the handle.</summary>
    public static NTSTATUS ZwFlushKey(HANDLE KeyHandle) => CmEnter().NtFlushKey(KeyHandle, KernelMode);

    /// <summary>
    /// ZwQueryKey: PASSIVE_LEVEL; KEY_*_INFORMATION about the key into the Length bytes at KeyInformation.
    /// ResultLength is the size the whole answer needs; STATUS_BUFFER_TOO_SMALL writes nothing,
    /// STATUS_BUFFER_OVERFLOW writes the header and what fits.
    /// </summary>
    public static NTSTATUS ZwQueryKey(HANDLE KeyHandle, KEY_INFORMATION_CLASS KeyInformationClass, ulong KeyInformation, uint Length,
        out uint ResultLength) =>
        CmEnter().NtQueryKey(KeyHandle, KeyInformationClass, KeyInformation, Length, out ResultLength, KernelMode);

    /// <summary>ZwQueryKey into a managed buffer.</summary>
    public static NTSTATUS ZwQueryKey(HANDLE KeyHandle, KEY_INFORMATION_CLASS KeyInformationClass, Span<byte> KeyInformation,
        out uint ResultLength) =>
        CmEnter().NtQueryKey(KeyHandle, KeyInformationClass, KeyInformation, out ResultLength, KernelMode);

    /// <summary>
    /// ZwEnumerateKey: PASSIVE_LEVEL; the subkey at Index (basic, node or full information);
    /// STATUS_NO_MORE_ENTRIES past the last one. Buffer rules as ZwQueryKey.
    /// </summary>
    public static NTSTATUS ZwEnumerateKey(HANDLE KeyHandle, uint Index, KEY_INFORMATION_CLASS KeyInformationClass, ulong KeyInformation,
        uint Length, out uint ResultLength) =>
        CmEnter().NtEnumerateKey(KeyHandle, Index, KeyInformationClass, KeyInformation, Length, out ResultLength, KernelMode);

    /// <summary>ZwEnumerateKey into a managed buffer.</summary>
    public static NTSTATUS ZwEnumerateKey(HANDLE KeyHandle, uint Index, KEY_INFORMATION_CLASS KeyInformationClass,
        Span<byte> KeyInformation, out uint ResultLength) =>
        CmEnter().NtEnumerateKey(KeyHandle, Index, KeyInformationClass, KeyInformation, out ResultLength, KernelMode);

    /// <summary>
    /// ZwQueryValueKey: PASSIVE_LEVEL; the value ValueName names (empty: the default value) as
    /// KEY_VALUE_*_INFORMATION into the Length bytes at KeyValueInformation; STATUS_OBJECT_NAME_NOT_FOUND if
    /// the key has no such value. Buffer rules as ZwQueryKey.
    /// </summary>
    public static NTSTATUS ZwQueryValueKey(HANDLE KeyHandle, UNICODE_STRING ValueName, KEY_VALUE_INFORMATION_CLASS KeyValueInformationClass,
        ulong KeyValueInformation, uint Length, out uint ResultLength) =>
        CmEnter().NtQueryValueKey(KeyHandle, ValueName, KeyValueInformationClass, KeyValueInformation, Length, out ResultLength, KernelMode);

    /// <summary>ZwQueryValueKey into a managed buffer.</summary>
    public static NTSTATUS ZwQueryValueKey(HANDLE KeyHandle, UNICODE_STRING ValueName, KEY_VALUE_INFORMATION_CLASS KeyValueInformationClass,
        Span<byte> KeyValueInformation, out uint ResultLength) =>
        CmEnter().NtQueryValueKey(KeyHandle, ValueName, KeyValueInformationClass, KeyValueInformation, out ResultLength, KernelMode);

    /// <summary>
    /// ZwEnumerateValueKey: PASSIVE_LEVEL; the value at Index, in the order values were first set;
    /// STATUS_NO_MORE_ENTRIES past the last one. Buffer rules as ZwQueryKey.
    /// </summary>
    public static NTSTATUS ZwEnumerateValueKey(HANDLE KeyHandle, uint Index, KEY_VALUE_INFORMATION_CLASS KeyValueInformationClass,
        ulong KeyValueInformation, uint Length, out uint ResultLength) =>
        CmEnter().NtEnumerateValueKey(KeyHandle, Index, KeyValueInformationClass, KeyValueInformation, Length, out ResultLength, KernelMode);

    /// <summary>ZwEnumerateValueKey into a managed buffer.</summary>
    public static NTSTATUS ZwEnumerateValueKey(HANDLE KeyHandle, uint Index, KEY_VALUE_INFORMATION_CLASS KeyValueInformationClass,
        Span<byte> KeyValueInformation, out uint ResultLength) =>
        CmEnter().NtEnumerateValueKey(KeyHandle, Index, KeyValueInformationClass, KeyValueInformation, out ResultLength, KernelMode);

    /// <summary>
    /// ZwSetValueKey: PASSIVE_LEVEL; sets ValueName (empty: the default value) to Type and the DataSize bytes
    /// at Data. TitleIndex is ignored, as documented.
    /// </summary>
    public static NTSTATUS ZwSetValueKey(HANDLE KeyHandle, UNICODE_STRING ValueName, uint TitleIndex, uint Type, ulong Data, uint DataSize) =>
        CmEnter().NtSetValueKey(KeyHandle, ValueName, TitleIndex, Type, Data, DataSize, KernelMode);

    /// <summary>ZwSetValueKey from a managed buffer.</summary>
    public static NTSTATUS ZwSetValueKey(HANDLE KeyHandle, UNICODE_STRING ValueName, uint TitleIndex, uint Type, ReadOnlySpan<byte> Data)
    {
        _ = TitleIndex;
        return CmEnter().NtSetValueKey(KeyHandle, ValueName, Type, Data, KernelMode);
    }

    /// <summary>ZwDeleteValueKey: PASSIVE_LEVEL; STATUS_OBJECT_NAME_NOT_FOUND if the key has no such value.</summary>
    public static NTSTATUS ZwDeleteValueKey(HANDLE KeyHandle, UNICODE_STRING ValueName) =>
        CmEnter().NtDeleteValueKey(KeyHandle, ValueName, KernelMode);

    /// <summary>
    /// IoOpenDeviceRegistryKey: PASSIVE_LEVEL; a kernel handle to a PDO's hardware key (PLUGPLAY_REGKEY_DEVICE:
    /// Enum\instance\Device Parameters) or software key (PLUGPLAY_REGKEY_DRIVER: Control\Class\{class}\NNNN), created
    /// if missing. DevInstKeyType naming both is STATUS_INVALID_PARAMETER; a device object that is not the PDO of a
    /// device node the PnP manager knows is STATUS_INVALID_DEVICE_REQUEST, as NT answers.
    /// </summary>
    public static NTSTATUS IoOpenDeviceRegistryKey(DEVICE_OBJECT DeviceObject, uint DevInstKeyType, uint DesiredAccess,
        out HANDLE DeviceRegKey)
    {
        DeviceRegKey = HANDLE.NULL;
        var cm = CmEnter();
        const uint both = PLUGPLAY_REGKEY_DEVICE | PLUGPLAY_REGKEY_DRIVER;
        if ((DevInstKeyType & both) == both)
        {
            return NTSTATUS.STATUS_INVALID_PARAMETER;
        }

        if (Pnp.NodeOf(DeviceObject) is not { InstancePath.Length: > 0 } node || node.Parent is null
            || node.State == Kernel.Pnp.PNP_DEVNODE_STATE.DeviceNodeDeleted)
        {
            return NTSTATUS.STATUS_INVALID_DEVICE_REQUEST;
        }

        var status = cm.OpenDeviceRegistryKey(node.InstancePath, DevInstKeyType, out var key);
        if (!status.IsSuccess())
        {
            return status;
        }

        InitializeObjectAttributes(out var attributes, new UNICODE_STRING(key!.FullPath), OBJ_CASE_INSENSITIVE | OBJ_KERNEL_HANDLE, HANDLE.NULL, null);
        return ZwOpenKey(out DeviceRegKey, DesiredAccess, attributes);
    }

    /// <summary>Entry to a registry DDI: PASSIVE_LEVEL only; returns the caller's configuration manager.</summary>
    private static ConfigurationManager CmEnter() => ObEnter(PASSIVE_LEVEL).Machine.Cm;
}
