namespace SharpNT.Kernel.Io;

/// <summary>
/// IRP minor function codes (wdm.h, ntddk.h), the value of IO_STACK_LOCATION.MinorFunction. A minor code
/// means something only together with its major code, so the same value appears under several names.
/// </summary>
public static class IRP_MN
{
    // IRP_MJ_PNP.
    public const byte IRP_MN_START_DEVICE = 0x00;
    public const byte IRP_MN_QUERY_REMOVE_DEVICE = 0x01;
    public const byte IRP_MN_REMOVE_DEVICE = 0x02;
    public const byte IRP_MN_CANCEL_REMOVE_DEVICE = 0x03;
    public const byte IRP_MN_STOP_DEVICE = 0x04;
    public const byte IRP_MN_QUERY_STOP_DEVICE = 0x05;
    public const byte IRP_MN_CANCEL_STOP_DEVICE = 0x06;
    public const byte IRP_MN_QUERY_DEVICE_RELATIONS = 0x07;
    public const byte IRP_MN_QUERY_INTERFACE = 0x08;
    public const byte IRP_MN_QUERY_CAPABILITIES = 0x09;
    public const byte IRP_MN_QUERY_RESOURCES = 0x0A;
    public const byte IRP_MN_QUERY_RESOURCE_REQUIREMENTS = 0x0B;
    public const byte IRP_MN_QUERY_DEVICE_TEXT = 0x0C;
    public const byte IRP_MN_FILTER_RESOURCE_REQUIREMENTS = 0x0D;
    public const byte IRP_MN_READ_CONFIG = 0x0F;
    public const byte IRP_MN_WRITE_CONFIG = 0x10;
    public const byte IRP_MN_EJECT = 0x11;
    public const byte IRP_MN_SET_LOCK = 0x12;
    public const byte IRP_MN_QUERY_ID = 0x13;
    public const byte IRP_MN_QUERY_PNP_DEVICE_STATE = 0x14;
    public const byte IRP_MN_QUERY_BUS_INFORMATION = 0x15;
    public const byte IRP_MN_DEVICE_USAGE_NOTIFICATION = 0x16;
    public const byte IRP_MN_SURPRISE_REMOVAL = 0x17;
    public const byte IRP_MN_QUERY_LEGACY_BUS_INFORMATION = 0x18;
    public const byte IRP_MN_DEVICE_ENUMERATED = 0x19;

    // IRP_MJ_POWER.
    public const byte IRP_MN_WAIT_WAKE = 0x00;
    public const byte IRP_MN_POWER_SEQUENCE = 0x01;
    public const byte IRP_MN_SET_POWER = 0x02;
    public const byte IRP_MN_QUERY_POWER = 0x03;

    // IRP_MJ_SYSTEM_CONTROL (WMI).
    public const byte IRP_MN_QUERY_ALL_DATA = 0x00;
    public const byte IRP_MN_QUERY_SINGLE_INSTANCE = 0x01;
    public const byte IRP_MN_CHANGE_SINGLE_INSTANCE = 0x02;
    public const byte IRP_MN_CHANGE_SINGLE_ITEM = 0x03;
    public const byte IRP_MN_ENABLE_EVENTS = 0x04;
    public const byte IRP_MN_DISABLE_EVENTS = 0x05;
    public const byte IRP_MN_ENABLE_COLLECTION = 0x06;
    public const byte IRP_MN_DISABLE_COLLECTION = 0x07;
    public const byte IRP_MN_REGINFO = 0x08;
    public const byte IRP_MN_EXECUTE_METHOD = 0x09;
    public const byte IRP_MN_REGINFO_EX = 0x0B;

    // IRP_MJ_SCSI.
    public const byte IRP_MN_SCSI_CLASS = 0x01;

    // IRP_MJ_FILE_SYSTEM_CONTROL.
    public const byte IRP_MN_USER_FS_REQUEST = 0x00;
    public const byte IRP_MN_MOUNT_VOLUME = 0x01;
    public const byte IRP_MN_VERIFY_VOLUME = 0x02;
    public const byte IRP_MN_LOAD_FILE_SYSTEM = 0x03;
    public const byte IRP_MN_TRACK_LINK = 0x04;
    public const byte IRP_MN_KERNEL_CALL = 0x04;

    // IRP_MJ_DIRECTORY_CONTROL.
    public const byte IRP_MN_QUERY_DIRECTORY = 0x01;
    public const byte IRP_MN_NOTIFY_CHANGE_DIRECTORY = 0x02;

    // IRP_MJ_LOCK_CONTROL.
    public const byte IRP_MN_LOCK = 0x01;
    public const byte IRP_MN_UNLOCK_SINGLE = 0x02;
    public const byte IRP_MN_UNLOCK_ALL = 0x03;
    public const byte IRP_MN_UNLOCK_ALL_BY_KEY = 0x04;

    // IRP_MJ_FLUSH_BUFFERS.
    public const byte IRP_MN_FLUSH_AND_PURGE = 0x01;

    // IRP_MJ_READ and IRP_MJ_WRITE: bits that combine (cache manager MDL reads and writes).
    public const byte IRP_MN_NORMAL = 0x00;
    public const byte IRP_MN_DPC = 0x01;
    public const byte IRP_MN_MDL = 0x02;
    public const byte IRP_MN_COMPLETE = 0x04;
    public const byte IRP_MN_COMPRESSED = 0x08;
    public const byte IRP_MN_MDL_DPC = IRP_MN_MDL | IRP_MN_DPC;
    public const byte IRP_MN_COMPLETE_MDL = IRP_MN_COMPLETE | IRP_MN_MDL;
    public const byte IRP_MN_COMPLETE_MDL_DPC = IRP_MN_COMPLETE_MDL | IRP_MN_DPC;

    /// <summary>
    /// The symbolic name of a minor function code under its major function, as traces show it; a
    /// hexadecimal fallback for codes that have no name under that major function.
    /// </summary>
    public static string Name(byte majorFunction, byte minorFunction)
    {
        var name = majorFunction switch
        {
            IRP_MJ.IRP_MJ_PNP => PnpName(minorFunction),
            IRP_MJ.IRP_MJ_POWER => PowerName(minorFunction),
            IRP_MJ.IRP_MJ_SYSTEM_CONTROL => WmiName(minorFunction),
            IRP_MJ.IRP_MJ_FILE_SYSTEM_CONTROL => FileSystemControlName(minorFunction),
            IRP_MJ.IRP_MJ_DIRECTORY_CONTROL => DirectoryControlName(minorFunction),
            IRP_MJ.IRP_MJ_LOCK_CONTROL => LockControlName(minorFunction),
            IRP_MJ.IRP_MJ_READ or IRP_MJ.IRP_MJ_WRITE => ReadWriteName(minorFunction),
            IRP_MJ.IRP_MJ_FLUSH_BUFFERS when minorFunction == IRP_MN_FLUSH_AND_PURGE => nameof(IRP_MN_FLUSH_AND_PURGE),
            IRP_MJ.IRP_MJ_SCSI when minorFunction == IRP_MN_SCSI_CLASS => nameof(IRP_MN_SCSI_CLASS),
            _ => null,
        };
        return name ?? $"IRP_MN_0x{minorFunction:X2}";
    }

    private static string? PnpName(byte minorFunction) => minorFunction switch
    {
        IRP_MN_START_DEVICE => nameof(IRP_MN_START_DEVICE),
        IRP_MN_QUERY_REMOVE_DEVICE => nameof(IRP_MN_QUERY_REMOVE_DEVICE),
        IRP_MN_REMOVE_DEVICE => nameof(IRP_MN_REMOVE_DEVICE),
        IRP_MN_CANCEL_REMOVE_DEVICE => nameof(IRP_MN_CANCEL_REMOVE_DEVICE),
        IRP_MN_STOP_DEVICE => nameof(IRP_MN_STOP_DEVICE),
        IRP_MN_QUERY_STOP_DEVICE => nameof(IRP_MN_QUERY_STOP_DEVICE),
        IRP_MN_CANCEL_STOP_DEVICE => nameof(IRP_MN_CANCEL_STOP_DEVICE),
        IRP_MN_QUERY_DEVICE_RELATIONS => nameof(IRP_MN_QUERY_DEVICE_RELATIONS),
        IRP_MN_QUERY_INTERFACE => nameof(IRP_MN_QUERY_INTERFACE),
        IRP_MN_QUERY_CAPABILITIES => nameof(IRP_MN_QUERY_CAPABILITIES),
        IRP_MN_QUERY_RESOURCES => nameof(IRP_MN_QUERY_RESOURCES),
        IRP_MN_QUERY_RESOURCE_REQUIREMENTS => nameof(IRP_MN_QUERY_RESOURCE_REQUIREMENTS),
        IRP_MN_QUERY_DEVICE_TEXT => nameof(IRP_MN_QUERY_DEVICE_TEXT),
        IRP_MN_FILTER_RESOURCE_REQUIREMENTS => nameof(IRP_MN_FILTER_RESOURCE_REQUIREMENTS),
        IRP_MN_READ_CONFIG => nameof(IRP_MN_READ_CONFIG),
        IRP_MN_WRITE_CONFIG => nameof(IRP_MN_WRITE_CONFIG),
        IRP_MN_EJECT => nameof(IRP_MN_EJECT),
        IRP_MN_SET_LOCK => nameof(IRP_MN_SET_LOCK),
        IRP_MN_QUERY_ID => nameof(IRP_MN_QUERY_ID),
        IRP_MN_QUERY_PNP_DEVICE_STATE => nameof(IRP_MN_QUERY_PNP_DEVICE_STATE),
        IRP_MN_QUERY_BUS_INFORMATION => nameof(IRP_MN_QUERY_BUS_INFORMATION),
        IRP_MN_DEVICE_USAGE_NOTIFICATION => nameof(IRP_MN_DEVICE_USAGE_NOTIFICATION),
        IRP_MN_SURPRISE_REMOVAL => nameof(IRP_MN_SURPRISE_REMOVAL),
        IRP_MN_QUERY_LEGACY_BUS_INFORMATION => nameof(IRP_MN_QUERY_LEGACY_BUS_INFORMATION),
        IRP_MN_DEVICE_ENUMERATED => nameof(IRP_MN_DEVICE_ENUMERATED),
        _ => null,
    };

    private static string? PowerName(byte minorFunction) => minorFunction switch
    {
        IRP_MN_WAIT_WAKE => nameof(IRP_MN_WAIT_WAKE),
        IRP_MN_POWER_SEQUENCE => nameof(IRP_MN_POWER_SEQUENCE),
        IRP_MN_SET_POWER => nameof(IRP_MN_SET_POWER),
        IRP_MN_QUERY_POWER => nameof(IRP_MN_QUERY_POWER),
        _ => null,
    };

    private static string? WmiName(byte minorFunction) => minorFunction switch
    {
        IRP_MN_QUERY_ALL_DATA => nameof(IRP_MN_QUERY_ALL_DATA),
        IRP_MN_QUERY_SINGLE_INSTANCE => nameof(IRP_MN_QUERY_SINGLE_INSTANCE),
        IRP_MN_CHANGE_SINGLE_INSTANCE => nameof(IRP_MN_CHANGE_SINGLE_INSTANCE),
        IRP_MN_CHANGE_SINGLE_ITEM => nameof(IRP_MN_CHANGE_SINGLE_ITEM),
        IRP_MN_ENABLE_EVENTS => nameof(IRP_MN_ENABLE_EVENTS),
        IRP_MN_DISABLE_EVENTS => nameof(IRP_MN_DISABLE_EVENTS),
        IRP_MN_ENABLE_COLLECTION => nameof(IRP_MN_ENABLE_COLLECTION),
        IRP_MN_DISABLE_COLLECTION => nameof(IRP_MN_DISABLE_COLLECTION),
        IRP_MN_REGINFO => nameof(IRP_MN_REGINFO),
        IRP_MN_EXECUTE_METHOD => nameof(IRP_MN_EXECUTE_METHOD),
        IRP_MN_REGINFO_EX => nameof(IRP_MN_REGINFO_EX),
        _ => null,
    };

    // IRP_MN_KERNEL_CALL (0x04) shares its value with IRP_MN_TRACK_LINK; kernel-mode FSCTLs are the common case.
    private static string? FileSystemControlName(byte minorFunction) => minorFunction switch
    {
        IRP_MN_USER_FS_REQUEST => nameof(IRP_MN_USER_FS_REQUEST),
        IRP_MN_MOUNT_VOLUME => nameof(IRP_MN_MOUNT_VOLUME),
        IRP_MN_VERIFY_VOLUME => nameof(IRP_MN_VERIFY_VOLUME),
        IRP_MN_LOAD_FILE_SYSTEM => nameof(IRP_MN_LOAD_FILE_SYSTEM),
        IRP_MN_KERNEL_CALL => nameof(IRP_MN_KERNEL_CALL),
        _ => null,
    };

    private static string? DirectoryControlName(byte minorFunction) => minorFunction switch
    {
        IRP_MN_QUERY_DIRECTORY => nameof(IRP_MN_QUERY_DIRECTORY),
        IRP_MN_NOTIFY_CHANGE_DIRECTORY => nameof(IRP_MN_NOTIFY_CHANGE_DIRECTORY),
        _ => null,
    };

    private static string? LockControlName(byte minorFunction) => minorFunction switch
    {
        IRP_MN_LOCK => nameof(IRP_MN_LOCK),
        IRP_MN_UNLOCK_SINGLE => nameof(IRP_MN_UNLOCK_SINGLE),
        IRP_MN_UNLOCK_ALL => nameof(IRP_MN_UNLOCK_ALL),
        IRP_MN_UNLOCK_ALL_BY_KEY => nameof(IRP_MN_UNLOCK_ALL_BY_KEY),
        _ => null,
    };

    private static string? ReadWriteName(byte minorFunction) => minorFunction switch
    {
        IRP_MN_NORMAL => nameof(IRP_MN_NORMAL),
        IRP_MN_DPC => nameof(IRP_MN_DPC),
        IRP_MN_MDL => nameof(IRP_MN_MDL),
        IRP_MN_COMPLETE => nameof(IRP_MN_COMPLETE),
        IRP_MN_COMPRESSED => nameof(IRP_MN_COMPRESSED),
        IRP_MN_MDL_DPC => nameof(IRP_MN_MDL_DPC),
        IRP_MN_COMPLETE_MDL => nameof(IRP_MN_COMPLETE_MDL),
        IRP_MN_COMPLETE_MDL_DPC => nameof(IRP_MN_COMPLETE_MDL_DPC),
        _ => null,
    };
}
