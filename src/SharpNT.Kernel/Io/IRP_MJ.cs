namespace SharpNT.Kernel.Io;

/// <summary>
/// IRP major function codes (wdm.h): the index into DRIVER_OBJECT.MajorFunction and the value of
/// IO_STACK_LOCATION.MajorFunction.
/// </summary>
public static class IRP_MJ
{
    public const byte IRP_MJ_CREATE = 0x00;
    public const byte IRP_MJ_CREATE_NAMED_PIPE = 0x01;
    public const byte IRP_MJ_CLOSE = 0x02;
    public const byte IRP_MJ_READ = 0x03;
    public const byte IRP_MJ_WRITE = 0x04;
    public const byte IRP_MJ_QUERY_INFORMATION = 0x05;
    public const byte IRP_MJ_SET_INFORMATION = 0x06;
    public const byte IRP_MJ_QUERY_EA = 0x07;
    public const byte IRP_MJ_SET_EA = 0x08;
    public const byte IRP_MJ_FLUSH_BUFFERS = 0x09;
    public const byte IRP_MJ_QUERY_VOLUME_INFORMATION = 0x0A;
    public const byte IRP_MJ_SET_VOLUME_INFORMATION = 0x0B;
    public const byte IRP_MJ_DIRECTORY_CONTROL = 0x0C;
    public const byte IRP_MJ_FILE_SYSTEM_CONTROL = 0x0D;
    public const byte IRP_MJ_DEVICE_CONTROL = 0x0E;
    public const byte IRP_MJ_INTERNAL_DEVICE_CONTROL = 0x0F;

    /// <summary>Storage port drivers receive SCSI request blocks as internal device control.</summary>
    public const byte IRP_MJ_SCSI = 0x0F;
    public const byte IRP_MJ_SHUTDOWN = 0x10;
    public const byte IRP_MJ_LOCK_CONTROL = 0x11;
    public const byte IRP_MJ_CLEANUP = 0x12;
    public const byte IRP_MJ_CREATE_MAILSLOT = 0x13;
    public const byte IRP_MJ_QUERY_SECURITY = 0x14;
    public const byte IRP_MJ_SET_SECURITY = 0x15;
    public const byte IRP_MJ_POWER = 0x16;
    public const byte IRP_MJ_SYSTEM_CONTROL = 0x17;
    public const byte IRP_MJ_DEVICE_CHANGE = 0x18;
    public const byte IRP_MJ_QUERY_QUOTA = 0x19;
    public const byte IRP_MJ_SET_QUOTA = 0x1A;
    public const byte IRP_MJ_PNP = 0x1B;

    /// <summary>The Windows 98-era name of IRP_MJ_PNP.</summary>
    public const byte IRP_MJ_PNP_POWER = 0x1B;

    /// <summary>The highest major function code: DRIVER_OBJECT.MajorFunction has this many plus one entries.</summary>
    public const byte IRP_MJ_MAXIMUM_FUNCTION = 0x1B;

    /// <summary>
    /// The symbolic name of a major function code, as traces and the debugger show it. Where two names
    /// share a value the general one wins (IRP_MJ_INTERNAL_DEVICE_CONTROL, IRP_MJ_PNP).
    /// </summary>
    public static string Name(byte majorFunction) => majorFunction switch
    {
        IRP_MJ_CREATE => nameof(IRP_MJ_CREATE),
        IRP_MJ_CREATE_NAMED_PIPE => nameof(IRP_MJ_CREATE_NAMED_PIPE),
        IRP_MJ_CLOSE => nameof(IRP_MJ_CLOSE),
        IRP_MJ_READ => nameof(IRP_MJ_READ),
        IRP_MJ_WRITE => nameof(IRP_MJ_WRITE),
        IRP_MJ_QUERY_INFORMATION => nameof(IRP_MJ_QUERY_INFORMATION),
        IRP_MJ_SET_INFORMATION => nameof(IRP_MJ_SET_INFORMATION),
        IRP_MJ_QUERY_EA => nameof(IRP_MJ_QUERY_EA),
        IRP_MJ_SET_EA => nameof(IRP_MJ_SET_EA),
        IRP_MJ_FLUSH_BUFFERS => nameof(IRP_MJ_FLUSH_BUFFERS),
        IRP_MJ_QUERY_VOLUME_INFORMATION => nameof(IRP_MJ_QUERY_VOLUME_INFORMATION),
        IRP_MJ_SET_VOLUME_INFORMATION => nameof(IRP_MJ_SET_VOLUME_INFORMATION),
        IRP_MJ_DIRECTORY_CONTROL => nameof(IRP_MJ_DIRECTORY_CONTROL),
        IRP_MJ_FILE_SYSTEM_CONTROL => nameof(IRP_MJ_FILE_SYSTEM_CONTROL),
        IRP_MJ_DEVICE_CONTROL => nameof(IRP_MJ_DEVICE_CONTROL),
        IRP_MJ_INTERNAL_DEVICE_CONTROL => nameof(IRP_MJ_INTERNAL_DEVICE_CONTROL),
        IRP_MJ_SHUTDOWN => nameof(IRP_MJ_SHUTDOWN),
        IRP_MJ_LOCK_CONTROL => nameof(IRP_MJ_LOCK_CONTROL),
        IRP_MJ_CLEANUP => nameof(IRP_MJ_CLEANUP),
        IRP_MJ_CREATE_MAILSLOT => nameof(IRP_MJ_CREATE_MAILSLOT),
        IRP_MJ_QUERY_SECURITY => nameof(IRP_MJ_QUERY_SECURITY),
        IRP_MJ_SET_SECURITY => nameof(IRP_MJ_SET_SECURITY),
        IRP_MJ_POWER => nameof(IRP_MJ_POWER),
        IRP_MJ_SYSTEM_CONTROL => nameof(IRP_MJ_SYSTEM_CONTROL),
        IRP_MJ_DEVICE_CHANGE => nameof(IRP_MJ_DEVICE_CHANGE),
        IRP_MJ_QUERY_QUOTA => nameof(IRP_MJ_QUERY_QUOTA),
        IRP_MJ_SET_QUOTA => nameof(IRP_MJ_SET_QUOTA),
        IRP_MJ_PNP => nameof(IRP_MJ_PNP),
        _ => $"IRP_MJ_0x{majorFunction:X2}",
    };
}
