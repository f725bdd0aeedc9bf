namespace SharpNT.Kernel.Io.Layout;

/// <summary>
/// DRIVER_OBJECT on x64 (wdm.h). MajorFunction holds IRP_MJ_MAXIMUM_FUNCTION + 1 (28) dispatch routine
/// addresses, indexed by IRP_MJ code.
/// </summary>
internal static class DriverObjectLayout
{
    internal const int Size = 0x150;

    internal const int Type = 0x00;

    /// <summary>Offset of the member named Size; the object's own size is <see cref="Size"/>.</summary>
    internal const int SizeField = 0x02;
    internal const int DeviceObject = 0x08;
    internal const int Flags = 0x10;
    internal const int DriverStart = 0x18;
    internal const int DriverSize = 0x20;
    internal const int DriverSection = 0x28;
    internal const int DriverExtension = 0x30;
    internal const int DriverName = 0x38;
    internal const int HardwareDatabase = 0x48;
    internal const int FastIoDispatch = 0x50;
    internal const int DriverInit = 0x58;
    internal const int DriverStartIo = 0x60;
    internal const int DriverUnload = 0x68;
    internal const int MajorFunction = 0x70;

    /// <summary>Offset of MajorFunction[majorFunction]: one 8-byte routine address per IRP_MJ code.</summary>
    internal static int MajorFunctionEntry(byte majorFunction)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(majorFunction, IRP_MJ.IRP_MJ_MAXIMUM_FUNCTION);
        return MajorFunction + (majorFunction * 8);
    }
}
