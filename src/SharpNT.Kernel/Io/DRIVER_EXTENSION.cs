using System.Diagnostics;
using SharpNT.Kernel.Io.Layout;

namespace SharpNT.Kernel.Io;

/// <summary>
/// A view of a DRIVER_EXTENSION: where a PnP driver's AddDevice routine is registered. The view rests on its
/// DRIVER_OBJECT (DriverObject->DriverExtension is a pointer the I/O manager set), so that
/// <c>DriverObject.DriverExtension.AddDevice = ...</c> assigns through it as the C statement does.
/// </summary>
[DebuggerDisplay("DRIVER_EXTENSION of {_driverObject,h}")]
public readonly record struct DRIVER_EXTENSION
{
    private readonly ulong _driverObject;

    internal DRIVER_EXTENSION(ulong driverObject) => _driverObject = driverObject;

    /// <summary>The extension's address (DRIVER_OBJECT.DriverExtension).</summary>
    public ulong Address => ViewMemory.Read<ulong>(_driverObject + DriverObjectLayout.DriverExtension);

    public DRIVER_OBJECT DriverObject => new(ViewMemory.Read<ulong>(Address + DriverExtensionLayout.DriverObject));

    /// <summary>PDRIVER_ADD_DEVICE AddDevice.</summary>
    public DRIVER_ADD_DEVICE? AddDevice
    {
        get => ViewMemory.Io.Thunks.Resolve<DRIVER_ADD_DEVICE>(ViewMemory.Read<ulong>(Address + DriverExtensionLayout.AddDevice));
        set => ViewMemory.Write(Address + DriverExtensionLayout.AddDevice, ViewMemory.Io.RegisterRoutine(DriverObject, value));
    }
}
