using SharpNT.Kernel.Hardware;
using SharpNT.Kernel.Hardware.Nvme;

namespace SharpNT.Kernel;

/// <summary>Boot of the machine's storage: the disk controllers of the description, then the boot-start drivers.</summary>
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
    }
}
