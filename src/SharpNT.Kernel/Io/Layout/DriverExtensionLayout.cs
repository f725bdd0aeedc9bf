namespace SharpNT.Kernel.Io.Layout;

/// <summary>
/// DRIVER_EXTENSION on x64 (wdm.h), DRIVER_OBJECT.DriverExtension: where a PnP driver's DriverEntry stores
/// AddDevice. Only this public part is documented; the I/O manager places it right after the
/// DRIVER_OBJECT in the same allocation and may keep private fields after it.
/// </summary>
internal static class DriverExtensionLayout
{
    internal const int Size = 0x28;

    internal const int DriverObject = 0x00;
    internal const int AddDevice = 0x08;
    internal const int Count = 0x10;
    internal const int ServiceKeyName = 0x18;
}
