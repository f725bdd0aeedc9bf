namespace SharpNT.Kernel.Io;

/// <summary>
/// IRP flag bits (wdm.h, ntifs.h). IRP.Flags (ULONG) records how the request was built and what the I/O
/// manager must do at completion (copy back and free a system buffer, signal the user event). The byte
/// constants at the end belong to IRP.AllocationFlags, which records where the IRP's memory came from.
/// </summary>
public static class IRP_FLAGS
{
    // IRP.Flags.
    public const uint IRP_NOCACHE = 0x00000001;
    public const uint IRP_PAGING_IO = 0x00000002;
    public const uint IRP_MOUNT_COMPLETION = 0x00000002;
    public const uint IRP_SYNCHRONOUS_API = 0x00000004;
    public const uint IRP_ASSOCIATED_IRP = 0x00000008;
    public const uint IRP_BUFFERED_IO = 0x00000010;
    public const uint IRP_DEALLOCATE_BUFFER = 0x00000020;
    public const uint IRP_INPUT_OPERATION = 0x00000040;
    public const uint IRP_SYNCHRONOUS_PAGING_IO = 0x00000040;
    public const uint IRP_CREATE_OPERATION = 0x00000080;
    public const uint IRP_READ_OPERATION = 0x00000100;
    public const uint IRP_WRITE_OPERATION = 0x00000200;
    public const uint IRP_CLOSE_OPERATION = 0x00000400;
    public const uint IRP_DEFER_IO_COMPLETION = 0x00000800;
    public const uint IRP_OB_QUERY_NAME = 0x00001000;
    public const uint IRP_HOLD_DEVICE_QUEUE = 0x00002000;
    public const uint IRP_RETRY_IO_COMPLETION = 0x00004000;
    public const uint IRP_CLASS_CACHE_OPERATION = 0x00008000;

    // IRP.AllocationFlags.
    public const byte IRP_QUOTA_CHARGED = 0x01;
    public const byte IRP_ALLOCATED_MUST_SUCCEED = 0x02;
    public const byte IRP_ALLOCATED_FIXED_SIZE = 0x04;
    public const byte IRP_LOOKASIDE_ALLOCATION = 0x08;
    public const byte IRP_BEING_VERIFIED = 0x10;
}
