namespace SharpNT.Kernel.Io;

/// <summary>
/// DEVICE_OBJECT.Flags bits (wdm.h, ntddk.h). A driver sets DO_BUFFERED_IO or DO_DIRECT_IO to choose how
/// the I/O manager hands it read and write buffers, and clears DO_DEVICE_INITIALIZING once its AddDevice
/// (or DriverEntry, for a device it creates there) is done.
/// </summary>
public static class DO_FLAGS
{
    public const uint DO_VERIFY_VOLUME = 0x00000002;
    public const uint DO_BUFFERED_IO = 0x00000004;
    public const uint DO_EXCLUSIVE = 0x00000008;
    public const uint DO_DIRECT_IO = 0x00000010;
    public const uint DO_MAP_IO_BUFFER = 0x00000020;
    public const uint DO_DEVICE_HAS_NAME = 0x00000040;
    public const uint DO_DEVICE_INITIALIZING = 0x00000080;
    public const uint DO_SYSTEM_BOOT_PARTITION = 0x00000100;
    public const uint DO_LONG_TERM_REQUESTS = 0x00000200;
    public const uint DO_NEVER_LAST_DEVICE = 0x00000400;
    public const uint DO_SHUTDOWN_REGISTERED = 0x00000800;
    public const uint DO_BUS_ENUMERATED_DEVICE = 0x00001000;
    public const uint DO_POWER_PAGABLE = 0x00002000;
    public const uint DO_POWER_INRUSH = 0x00004000;
    public const uint DO_LOW_PRIORITY_FILESYSTEM = 0x00010000;
    public const uint DO_SUPPORTS_TRANSACTIONS = 0x00040000;
    public const uint DO_FORCE_NEITHER_IO = 0x00080000;
    public const uint DO_VOLUME_DEVICE_OBJECT = 0x00100000;
    public const uint DO_SYSTEM_SYSTEM_PARTITION = 0x00200000;
    public const uint DO_SYSTEM_CRITICAL_PARTITION = 0x00400000;
    public const uint DO_DISALLOW_EXECUTE = 0x00800000;
}
