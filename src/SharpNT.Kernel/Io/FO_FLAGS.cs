namespace SharpNT.Kernel.Io;

/// <summary>FILE_OBJECT.Flags bits (wdm.h).</summary>
public static class FO_FLAGS
{
    public const uint FO_FILE_OPEN = 0x00000001;
    public const uint FO_SYNCHRONOUS_IO = 0x00000002;
    public const uint FO_ALERTABLE_IO = 0x00000004;
    public const uint FO_NO_INTERMEDIATE_BUFFERING = 0x00000008;
    public const uint FO_WRITE_THROUGH = 0x00000010;
    public const uint FO_SEQUENTIAL_ONLY = 0x00000020;
    public const uint FO_CACHE_SUPPORTED = 0x00000040;
    public const uint FO_NAMED_PIPE = 0x00000080;
    public const uint FO_STREAM_FILE = 0x00000100;
    public const uint FO_MAILSLOT = 0x00000200;
    public const uint FO_GENERATE_AUDIT_ON_CLOSE = 0x00000400;
    public const uint FO_QUEUE_IRP_TO_THREAD = 0x00000400;
    public const uint FO_DIRECT_DEVICE_OPEN = 0x00000800;
    public const uint FO_FILE_MODIFIED = 0x00001000;
    public const uint FO_FILE_SIZE_CHANGED = 0x00002000;
    public const uint FO_CLEANUP_COMPLETE = 0x00004000;
    public const uint FO_TEMPORARY_FILE = 0x00008000;
    public const uint FO_DELETE_ON_CLOSE = 0x00010000;
    public const uint FO_OPENED_CASE_SENSITIVE = 0x00020000;
    public const uint FO_HANDLE_CREATED = 0x00040000;
    public const uint FO_FILE_FAST_IO_READ = 0x00080000;
    public const uint FO_RANDOM_ACCESS = 0x00100000;
    public const uint FO_FILE_OPEN_CANCELLED = 0x00200000;
    public const uint FO_VOLUME_OPEN = 0x00400000;
    public const uint FO_REMOTE_ORIGIN = 0x01000000;
    public const uint FO_DISALLOW_EXCLUSIVE = 0x02000000;
    public const uint FO_SKIP_COMPLETION_PORT = 0x02000000;
    public const uint FO_SKIP_SET_EVENT = 0x04000000;
    public const uint FO_SKIP_SET_FAST_IO = 0x08000000;

    /// <summary>Bits that mean something only while IRP_MJ_CREATE is in progress (FO_DISALLOW_EXCLUSIVE).</summary>
    public const uint FO_FLAGS_VALID_ONLY_DURING_CREATE = FO_DISALLOW_EXCLUSIVE;
}
