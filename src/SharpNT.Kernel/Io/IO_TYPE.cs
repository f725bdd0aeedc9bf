namespace SharpNT.Kernel.Io;

/// <summary>
/// I/O object type codes (wdm.h, ntifs.h): the CSHORT Type member at offset 0 of IRP, DEVICE_OBJECT,
/// DRIVER_OBJECT, FILE_OBJECT, VPB and DEVOBJ_EXTENSION, which IofCallDriver and the verifier check to
/// catch a pointer to the wrong kind of object.
/// </summary>
public static class IO_TYPE
{
    public const short IO_TYPE_ADAPTER = 1;
    public const short IO_TYPE_CONTROLLER = 2;
    public const short IO_TYPE_DEVICE = 3;
    public const short IO_TYPE_DRIVER = 4;
    public const short IO_TYPE_FILE = 5;
    public const short IO_TYPE_IRP = 6;
    public const short IO_TYPE_MASTER_ADAPTER = 7;
    public const short IO_TYPE_OPEN_PACKET = 8;
    public const short IO_TYPE_TIMER = 9;
    public const short IO_TYPE_VPB = 10;
    public const short IO_TYPE_ERROR_LOG = 11;
    public const short IO_TYPE_ERROR_MESSAGE = 12;
    public const short IO_TYPE_DEVICE_OBJECT_EXTENSION = 13;
    public const short IO_TYPE_APC = 18;
    public const short IO_TYPE_DPC = 19;
    public const short IO_TYPE_DEVICE_QUEUE = 20;
    public const short IO_TYPE_EVENT_PAIR = 21;
    public const short IO_TYPE_INTERRUPT = 22;
    public const short IO_TYPE_PROFILE = 23;
}
