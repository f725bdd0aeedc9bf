using SharpNT.Drivers.Storage.Disk;
using SharpNT.Drivers.Storage.Nvme;
using SharpNT.Kernel.Io;

namespace SharpNT.Drivers.Storage;

/// <summary>The storage boot drivers, in load order: the port driver finds the controllers, the disk class driver sits on them.</summary>
public static class StorageDrivers
{
    /// <summary>
    /// Fresh instances for one machine's MachineOptions.BootDrivers. Until the PnP manager exists, nvmeport.sys
    /// finds and starts its controllers itself in DriverEntry (a legacy driver scanning the PCI bus).
    /// </summary>
    public static IReadOnlyList<DriverImage> BootDrivers() => [new NvmePortDriver(), new DiskClassDriver()];
}
