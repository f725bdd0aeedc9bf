using System.Diagnostics;
using SharpNT.Kernel.Io.Layout;

namespace SharpNT.Kernel.Io;

/// <summary>A view of a DRIVER_EXTENSION: where a PnP driver's AddDevice routine is registered.</summary>
[DebuggerDisplay("DRIVER_EXTENSION {Address,h}")]
public readonly record struct DRIVER_EXTENSION(ulong Address)
{
    public DRIVER_OBJECT DriverObject => new(ViewMemory.Read<ulong>(Address + DriverExtensionLayout.DriverObject));

    /// <summary>PDRIVER_ADD_DEVICE AddDevice.</summary>
    public DRIVER_ADD_DEVICE? AddDevice
    {
        get => ViewMemory.Io.Thunks.Resolve<DRIVER_ADD_DEVICE>(ViewMemory.Read<ulong>(Address + DriverExtensionLayout.AddDevice));
        set => ViewMemory.Write(Address + DriverExtensionLayout.AddDevice, ViewMemory.Io.RegisterRoutine(DriverObject, value));
    }
}
