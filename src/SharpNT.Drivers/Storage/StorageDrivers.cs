using SharpNT.Drivers.Pci;
using SharpNT.Drivers.Storage.Disk;
using SharpNT.Drivers.Storage.Nvme;
using SharpNT.Kernel.Pnp;

namespace SharpNT.Drivers.Storage;

/// <summary>
/// The storage driver packages (the driver store's machine.inf, stornvme.inf and disk.inf, as this machine has them):
/// pci.sys for the root-enumerated PCI bus, nvmeport.sys for NVM Express controllers, disk.sys for the disks they report.
/// </summary>
public static class StorageDrivers
{
    /// <summary>The System setup class (buses).</summary>
    public const string GUID_DEVCLASS_SYSTEM = "{4D36E97D-E325-11CE-BFC1-08002BE10318}";

    /// <summary>The SCSIAdapter setup class (storage controllers).</summary>
    public const string GUID_DEVCLASS_SCSIADAPTER = "{4D36E97B-E325-11CE-BFC1-08002BE10318}";

    /// <summary>The DiskDrive setup class.</summary>
    public const string GUID_DEVCLASS_DISKDRIVE = "{4D36E967-E325-11CE-BFC1-08002BE10318}";

    /// <summary>
    /// The packages for one machine's MachineOptions.DriverPackages: the PnP manager installs and loads them as it
    /// enumerates the PCI bus, its NVMe controllers and their disks. Each load makes a fresh image.
    /// </summary>
    public static IReadOnlyList<PnpDriverRegistration> Packages() =>
    [
        new PnpDriverRegistration
        {
            ServiceName = PciBusDriver.Service,
            CreateImage = () => new PciBusDriver(),
            HardwareIds = [PciBusDriver.BusHardwareId, PciBusDriver.BusCompatibleId],
            ClassGuid = GUID_DEVCLASS_SYSTEM,
            ClassName = "System",
        },
        new PnpDriverRegistration
        {
            ServiceName = "nvmeport",
            CreateImage = () => new NvmePortDriver(),

            // Any NVM Express controller: mass storage (01), non-volatile memory (08), NVMe programming interface (02).
            HardwareIds = [@"PCI\CC_010802"],
            ClassGuid = GUID_DEVCLASS_SCSIADAPTER,
            ClassName = "SCSIAdapter",
        },
        new PnpDriverRegistration
        {
            ServiceName = "disk",
            CreateImage = () => new DiskClassDriver(),
            HardwareIds = ["GenDisk"],
            ClassGuid = GUID_DEVCLASS_DISKDRIVE,
            ClassName = "DiskDrive",
        },
    ];
}
