using System.Buffers.Binary;
using SharpNT.Cli;
using SharpNT.Drivers.Pci;
using SharpNT.Drivers.Storage.Nvme;
using SharpNT.Kernel;
using SharpNT.Kernel.Pnp;
using static SharpNT.Kernel.Ddi.Wdm;
using static SharpNT.Kernel.NTSTATUS;

namespace SharpNT.Drivers.Tests.Storage;

/// <summary>
/// The storage stack as the PnP manager builds it: the root enumerator's PCI bus (pci.sys), one controller PDO per NVMe
/// controller with nvmeport.sys's FDO over it, started with its BAR and interrupt, and the disk PDOs it reports with
/// disk.sys's FDO over each.
/// </summary>
public sealed class PnpStorageTests
{
    private static DEVICE_NODE Node(Machine machine, string instancePath) =>
        machine.Pnp.FindNode(instancePath) ?? throw new InvalidOperationException($"no device node {instancePath}");

    private static List<string> Stack(Machine machine, DEVICE_NODE node) =>
        machine.Run(() => machine.Pnp.StackOf(node).Select(d => $"{d.DriverObject.DriverName} {machine.Io.DeviceNameOf(d)}").ToList());

    [Fact]
    public void With_a_disk_the_tree_is_root_then_PCI_bus_then_the_NVMe_controller_then_its_disk_all_started()
    {
        using var images = new DiskImages();
        using var machine = StorageMachine.Boot([images.Patterned("a.raw", 2048)]);

        var bus = Node(machine, PciBusDriver.BusInstancePath);
        Assert.Equal(PnpManager.RootInstancePath, bus.Parent!.InstancePath);
        Assert.Equal("pci", bus.ServiceName);
        Assert.Equal(PNP_DEVNODE_STATE.DeviceNodeStarted, bus.State);

        var controller = Assert.Single(bus.Children);
        Assert.Equal("nvmeport", controller.ServiceName);
        Assert.Equal(PNP_DEVNODE_STATE.DeviceNodeStarted, controller.State);
        Assert.Equal(0u, controller.Problem);
        Assert.StartsWith(@"PCI\VEN_1B36&DEV_0010&SUBSYS_", controller.InstancePath, StringComparison.Ordinal);
        Assert.Contains(@"PCI\VEN_1B36&DEV_0010&CC_010802", controller.HardwareIds);
        Assert.Contains(@"PCI\CC_010802", controller.CompatibleIds);

        var disk = Assert.Single(controller.Children);
        Assert.Equal("disk", disk.ServiceName);
        Assert.Equal(PNP_DEVNODE_STATE.DeviceNodeStarted, disk.State);
        Assert.StartsWith(@"SCSI\Disk&Ven_NVMe&Prod_", disk.InstancePath, StringComparison.Ordinal);
        Assert.Equal("GenDisk", disk.HardwareIds[^1]);
        Assert.Empty(disk.Children);

        // Each stack from the top down: the function driver's FDO, then the bus driver's PDO.
        Assert.Equal([@"\Driver\pci", @"\Driver\PnpManager"], Stack(machine, bus).Select(s => s.Split(' ')[0]));
        var controllerStack = Stack(machine, controller);
        Assert.Equal(2, controllerStack.Count);
        Assert.Equal(@"\Driver\nvmeport \Device\RaidPort0", controllerStack[0]);
        Assert.StartsWith(@"\Driver\pci \Device\", controllerStack[1], StringComparison.Ordinal);
        var diskStack = Stack(machine, disk);
        Assert.Equal(2, diskStack.Count);
        Assert.Equal(@"\Driver\disk \Device\Harddisk0\DR0", diskStack[0]);
        Assert.StartsWith(@"\Driver\nvmeport \Device\", diskStack[1], StringComparison.Ordinal);

        // And the disk works through that stack.
        var read = machine.Run(() =>
        {
            var buffer = ExAllocatePool2(POOL_FLAG_NON_PAGED, 512, PoolTag("Test"));
            var result = StorageMachine.Transfer(StorageMachine.Open(@"\Device\Harddisk0\Partition0"), Kernel.Io.IRP_MJ.IRP_MJ_READ, buffer, 512, 512 * 7);
            var bytes = new byte[512];
            CopyToHost(buffer, bytes);
            ExFreePoolWithTag(buffer, PoolTag("Test"));
            return (result.Status, bytes);
        });
        Assert.Equal(STATUS_SUCCESS, read.Status);
        var expected = new byte[512];
        DiskImages.Pattern(expected, 7, 0);
        Assert.Equal(expected, read.bytes);
    }

    [Fact]
    public void The_controller_starts_with_its_BAR_and_its_interrupt_raw_from_the_bus_and_translated_by_the_HAL()
    {
        using var images = new DiskImages();
        using var machine = StorageMachine.Boot([images.Patterned("a.raw", 2048)]);
        var controller = Assert.Single(Node(machine, PciBusDriver.BusInstancePath).Children);

        var (bar, line, raw, translated) = machine.Run(() =>
        {
            Span<byte> header = stackalloc byte[0x40];
            Assert.Equal(0x40u, HalGetBusDataByOffset(PCIConfiguration, 0, 0, header, 0));
            var bar0 = (BinaryPrimitives.ReadUInt32LittleEndian(header[0x10..]) & ~0xFUL) | ((ulong)BinaryPrimitives.ReadUInt32LittleEndian(header[0x14..]) << 32);
            static (int Bus, uint Count, byte T0, ulong Start, uint Length, byte T1, uint Level, uint Vector, ulong Affinity) Read(ulong address)
            {
                var list = new CM_RESOURCE_LIST(address);
                return (list.InterfaceType, list.PartialCount, list.TypeOf(0), list.StartOf(0), list.LengthOf(0), list.TypeOf(1),
                    list.InterruptLevelOf(1), list.InterruptVectorOf(1), list.InterruptAffinityOf(1));
            }

            return (bar0, header[0x3C], Read(controller.AllocatedResources), Read(controller.AllocatedResourcesTranslated));
        });

        Assert.Equal(PCIBus, raw.Bus);
        Assert.Equal(2u, raw.Count);
        Assert.Equal((CM_RESOURCE_LIST.CmResourceTypeMemory, bar, PciBusDriver.Bar0Length), (raw.T0, raw.Start, raw.Length));
        Assert.Equal((CM_RESOURCE_LIST.CmResourceTypeInterrupt, (uint)line, (uint)line), (raw.T1, raw.Level, raw.Vector));

        // Translated: the memory as is; the interrupt as HalGetInterruptVector gives it (vector 0x70 + line, DIRQL 7, both processors).
        Assert.Equal((CM_RESOURCE_LIST.CmResourceTypeMemory, bar, PciBusDriver.Bar0Length), (translated.T0, translated.Start, translated.Length));
        Assert.Equal((CM_RESOURCE_LIST.CmResourceTypeInterrupt, 7u, 0x70u + line, 0b11UL),
            (translated.T1, translated.Level, translated.Vector, translated.Affinity));
    }

    [Fact]
    public void Two_disks_are_two_controllers_on_the_PCI_bus_each_with_its_disk()
    {
        using var images = new DiskImages();
        using var machine = StorageMachine.Boot([images.Patterned("a.raw", 2048), images.Patterned("b.raw", 4096, fill: 0x5A)]);
        var controllers = Node(machine, PciBusDriver.BusInstancePath).Children;
        Assert.Equal(2, controllers.Count);
        Assert.NotEqual(controllers[0].InstancePath, controllers[1].InstancePath);
        Assert.Equal([@"\Driver\disk \Device\Harddisk0\DR0", @"\Driver\disk \Device\Harddisk1\DR1"],
            controllers.Select(c => Stack(machine, Assert.Single(c.Children))[0]));
        Assert.All(controllers, c => Assert.Equal(PNP_DEVNODE_STATE.DeviceNodeStarted, Assert.Single(c.Children).State));
    }

    [Fact]
    public void The_IDs_follow_the_PCI_and_storage_port_forms()
    {
        var hardware = PciBusDriver.IdText(0x1B36, 0x0010, 0x11223344, 0x02, 0x01, 0x08, 0x02, 3, BUS_QUERY_ID_TYPE.BusQueryHardwareIDs)!;
        Assert.Equal([@"PCI\VEN_1B36&DEV_0010&SUBSYS_11223344&REV_02", @"PCI\VEN_1B36&DEV_0010&SUBSYS_11223344",
            @"PCI\VEN_1B36&DEV_0010&CC_010802", @"PCI\VEN_1B36&DEV_0010&CC_0108"], hardware.TrimEnd('\0').Split('\0'));
        Assert.Equal("18\0", PciBusDriver.IdText(0x1B36, 0x0010, 0, 0, 1, 8, 2, 3, BUS_QUERY_ID_TYPE.BusQueryInstanceID));
        Assert.EndsWith("PCI\\CC_010802\0PCI\\CC_0108\0\0", PciBusDriver.IdText(0x1B36, 0x0010, 0, 0, 1, 8, 2, 3, BUS_QUERY_ID_TYPE.BusQueryCompatibleIDs),
            StringComparison.Ordinal);

        Assert.Equal("SCSI\\Disk&Ven_NVMe&Prod_SharpNT_NVMe_Con\0", NvmePortDriver.DiskIdText("SharpNT NVMe Controller", "1.0", 1, BUS_QUERY_ID_TYPE.BusQueryDeviceID));
        var disk = NvmePortDriver.DiskIdText("SharpNT NVMe Controller", "1.0", 1, BUS_QUERY_ID_TYPE.BusQueryHardwareIDs)!.TrimEnd('\0').Split('\0');
        Assert.Equal(@"SCSI\DiskNVMe____SharpNT_NVMe_Con1.0_", disk[0]);
        Assert.Equal("GenDisk", disk[^1]);
    }

    [Fact]
    public void Sharpnt_devices_with_a_disk_prints_root_PCI_bus_controller_and_disk()
    {
        using var images = new DiskImages();
        images.Patterned("a.raw", 2048);
        var description = images.PathOf("machine.toml");
        File.WriteAllText(description, "disks = [\"a.raw\"]\n");
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = SharpNtCommand.Create(stdout, stderr).Parse(["devices", "--machine", description]).Invoke();
        Assert.True(exit == 0, stderr.ToString());
        var lines = stdout.ToString().Split('\n');
        int Find(string text) => Array.FindIndex(lines, l => l.Contains(text, StringComparison.Ordinal));
        var bus = Find(@"ROOT\PCI_HAL\0000  pci  DeviceNodeStarted");
        var controller = Find(@"PCI\VEN_1B36&DEV_0010");
        var disk = Find(@"SCSI\Disk&Ven_NVMe");
        Assert.True(bus > 0 && controller > bus && disk > controller, stdout.ToString());
        Assert.Contains("nvmeport  DeviceNodeStarted", lines[controller], StringComparison.Ordinal);
        Assert.Contains(@"stack: \Driver\nvmeport \Device\RaidPort0 > \Driver\pci \Device\", lines[controller + 1], StringComparison.Ordinal);
        Assert.Contains("disk  DeviceNodeStarted", lines[disk], StringComparison.Ordinal);
        Assert.Contains(@"stack: \Driver\disk \Device\Harddisk0\DR0 > \Driver\nvmeport \Device\", lines[disk + 1], StringComparison.Ordinal);
    }

    [Fact]
    public void Safely_removing_the_controller_removes_its_disk_and_an_open_volume_vetoes_it()
    {
        using var images = new DiskImages();
        using var machine = StorageMachine.Boot([images.Patterned("a.raw", 2048)]);
        var controller = Assert.Single(Node(machine, PciBusDriver.BusInstancePath).Children);

        // A handle on the disk: PNP_VetoOutstandingOpen, and everything stays started.
        var vetoed = machine.Run(() =>
        {
            var status = IoGetDeviceObjectPointer(new UNICODE_STRING(@"\Device\Harddisk0\Partition0"), FILE_READ_DATA, out var file, out _);
            Assert.Equal(STATUS_SUCCESS, status);
            var removal = machine.Pnp.QueryRemoveAndRemoveDevice(controller);
            ObDereferenceObject(file);
            return removal;
        });
        Assert.Equal(STATUS_PLUGPLAY_QUERY_VETOED, vetoed);
        Assert.Equal(PNP_DEVNODE_STATE.DeviceNodeStarted, controller.State);
        Assert.Equal(PNP_DEVNODE_STATE.DeviceNodeStarted, Assert.Single(controller.Children).State);

        // Nothing open: the disk's stack goes (its names with it), then the adapter's FDO; the controller's node stays, removed.
        var (removed, afterwards) = machine.Run(() =>
        {
            var status = machine.Pnp.QueryRemoveAndRemoveDevice(controller);
            var open = IoGetDeviceObjectPointer(new UNICODE_STRING(@"\Device\Harddisk0\Partition0"), FILE_READ_DATA, out _, out _);
            return (status, open);
        });
        Assert.Equal(STATUS_SUCCESS, removed);
        Assert.Equal(STATUS_OBJECT_NAME_NOT_FOUND, afterwards);
        Assert.Equal(PNP_DEVNODE_STATE.DeviceNodeRemoved, controller.State);
        Assert.Empty(controller.Children);
        Assert.Equal([@"\Driver\pci"], Stack(machine, controller).Select(s => s.Split(' ')[0]));
    }
}
