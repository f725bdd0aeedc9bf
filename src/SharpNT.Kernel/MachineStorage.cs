using SharpNT.Kernel.Hardware;
using SharpNT.Kernel.Hardware.Nvme;

namespace SharpNT.Kernel;

/// <summary>
/// Boot of the machine's storage: the disk controllers of the description, the boot-start drivers, then Plug and Play:
/// the driver store's packages registered and the root enumeration, which finds the PCI bus (a root-enumerated device of
/// the HAL, Enum\Root\PCI_HAL\0000, as a non-ACPI machine has it), its NVMe controllers and their disks.
/// </summary>
public sealed partial class Machine
{
    private void BootStorage()
    {
        foreach (var image in Description.Disks)
        {
            var line = Hal.NextInterruptLine;
            NvmeController controller;
            try
            {
                controller = new NvmeController(Hal, $"nvme{Hal.Devices.Count}", image, Hal.NextRegisterBase, line);
            }
            catch (DiskImageException e)
            {
                Shutdown();
                throw new MachineDescriptionException($"disk image '{image}': {e.Message}", e);
            }

            Hal.AddDevice(controller, line);
        }

        foreach (var driver in Options.BootDrivers)
        {
            var status = Run(() => Io.LoadDriver(driver, out _));
            if (!status.IsSuccess())
            {
                Shutdown();
                throw new MachineDescriptionException(
                    $"boot driver {driver.ImageName} did not start: {status} (0x{(uint)status:X8}).");
            }
        }

        if (Options.DriverPackages.Count == 0)
        {
            return;
        }

        foreach (var package in Options.DriverPackages)
        {
            Pnp.RegisterDriver(package);
        }

        if (Hal.Devices.Count > 0 && !Cm.QueryDeviceInstance(PciBusInstancePath, out _).IsSuccess())
        {
            // What the HAL reports on a machine with a PCI bus and no ACPI: the bus as a root-enumerated device.
            Cm.RegisterDeviceInstance(new Cm.CmDeviceInstance { InstancePath = PciBusInstancePath, HardwareIds = [@"PCI_HAL\PNP0A03", "*PNP0A03"] });
        }

        var enumerated = Run(() => Pnp.EnumerateRootDevices());
        if (!enumerated.IsSuccess())
        {
            Shutdown();
            throw new MachineDescriptionException($"the root enumeration failed: {enumerated} (0x{(uint)enumerated:X8}).");
        }

        var failed = Pnp.SnapshotNodes().FirstOrDefault(n => n.Problem != 0);
        if (failed is not null)
        {
            DebugPrint($"PnP: {failed.InstancePath} has problem {failed.Problem}");
        }
    }

    /// <summary>The HAL's PCI bus as the root enumerator lists it.</summary>
    internal const string PciBusInstancePath = @"ROOT\PCI_HAL\0000";
}
