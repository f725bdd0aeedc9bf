namespace SharpNT.Kernel.Io;

/// <summary>
/// IO_STACK_LOCATION flag bits (wdm.h). The Control byte holds the I/O manager's bits (pending returned,
/// when to call the completion routine); the Flags byte holds request modifiers whose meaning depends on
/// the major function, so equal values recur under different names.
/// </summary>
public static class SL_FLAGS
{
    // IO_STACK_LOCATION.Control.
    public const byte SL_PENDING_RETURNED = 0x01;
    public const byte SL_ERROR_RETURNED = 0x02;
    public const byte SL_INVOKE_ON_CANCEL = 0x20;
    public const byte SL_INVOKE_ON_SUCCESS = 0x40;
    public const byte SL_INVOKE_ON_ERROR = 0x80;

    // Flags for IRP_MJ_CREATE.
    public const byte SL_FORCE_ACCESS_CHECK = 0x01;
    public const byte SL_OPEN_PAGING_FILE = 0x02;
    public const byte SL_OPEN_TARGET_DIRECTORY = 0x04;
    public const byte SL_STOP_ON_SYMLINK = 0x08;
    public const byte SL_CASE_SENSITIVE = 0x80;

    // Flags for IRP_MJ_READ and IRP_MJ_WRITE.
    public const byte SL_KEY_SPECIFIED = 0x01;
    public const byte SL_OVERRIDE_VERIFY_VOLUME = 0x02;
    public const byte SL_WRITE_THROUGH = 0x04;
    public const byte SL_FT_SEQUENTIAL_WRITE = 0x08;
    public const byte SL_FORCE_DIRECT_WRITE = 0x10;
    public const byte SL_REALTIME_STREAM = 0x20;

    // Flags for IRP_MJ_DEVICE_CONTROL and IRP_MJ_FILE_SYSTEM_CONTROL.
    public const byte SL_READ_ACCESS_GRANTED = 0x01;
    public const byte SL_WRITE_ACCESS_GRANTED = 0x04;

    // Flags for IRP_MJ_LOCK_CONTROL.
    public const byte SL_FAIL_IMMEDIATELY = 0x01;
    public const byte SL_EXCLUSIVE_LOCK = 0x02;

    // Flags for IRP_MJ_QUERY_EA and IRP_MJ_DIRECTORY_CONTROL.
    public const byte SL_RESTART_SCAN = 0x01;
    public const byte SL_RETURN_SINGLE_ENTRY = 0x02;
    public const byte SL_INDEX_SPECIFIED = 0x04;
    public const byte SL_WATCH_TREE = 0x01;

    // Flags for IRP_MJ_FILE_SYSTEM_CONTROL / IRP_MN_VERIFY_VOLUME.
    public const byte SL_ALLOW_RAW_MOUNT = 0x01;
}
