namespace SharpNT.Kernel.Io.Layout;

/// <summary>
/// FAST_IO_DISPATCH on x64 (wdm.h): SizeOfFastIoDispatch, then one 8-byte routine address per fast I/O
/// entry point, in the order the header declares them. A driver that has no routine for an entry leaves it
/// NULL; DRIVER_OBJECT.FastIoDispatch points at the table.
/// </summary>
internal static class FastIoDispatchLayout
{
    internal const int Size = 0xE0;

    internal const int SizeOfFastIoDispatch = 0x00;
    internal const int FastIoCheckIfPossible = 0x08;
    internal const int FastIoRead = 0x10;
    internal const int FastIoWrite = 0x18;
    internal const int FastIoQueryBasicInfo = 0x20;
    internal const int FastIoQueryStandardInfo = 0x28;
    internal const int FastIoLock = 0x30;
    internal const int FastIoUnlockSingle = 0x38;
    internal const int FastIoUnlockAll = 0x40;
    internal const int FastIoUnlockAllByKey = 0x48;
    internal const int FastIoDeviceControl = 0x50;
    internal const int AcquireFileForNtCreateSection = 0x58;
    internal const int ReleaseFileForNtCreateSection = 0x60;
    internal const int FastIoDetachDevice = 0x68;
    internal const int FastIoQueryNetworkOpenInfo = 0x70;
    internal const int AcquireForModWrite = 0x78;
    internal const int MdlRead = 0x80;
    internal const int MdlReadComplete = 0x88;
    internal const int PrepareMdlWrite = 0x90;
    internal const int MdlWriteComplete = 0x98;
    internal const int FastIoReadCompressed = 0xA0;
    internal const int FastIoWriteCompressed = 0xA8;
    internal const int MdlReadCompleteCompressed = 0xB0;
    internal const int MdlWriteCompleteCompressed = 0xB8;
    internal const int FastIoQueryOpen = 0xC0;
    internal const int ReleaseForModWrite = 0xC8;
    internal const int AcquireForCcFlush = 0xD0;
    internal const int ReleaseForCcFlush = 0xD8;
}
