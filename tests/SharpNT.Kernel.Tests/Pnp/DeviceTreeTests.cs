using SharpNT.Cli;
using SharpNT.Drivers.Toaster;
using SharpNT.Kernel.Pnp;

namespace SharpNT.Kernel.Tests.Pnp;

public sealed class DeviceTreeTests
{
    [Fact]
    public void The_root_enumerator_builds_the_bus_from_Enum_Root_and_starts_it()
    {
        using var m = new PnpMachine();
        var root = m.Node(PnpManager.RootInstancePath);
        Assert.Equal(PNP_DEVNODE_STATE.DeviceNodeStarted, root.State);
        var bus = Assert.Single(root.Children);
        Assert.Equal(PnpHost.BusInstancePath, bus.InstancePath);
        Assert.Equal("busenum", bus.ServiceName);
        Assert.Equal(PNP_DEVNODE_STATE.DeviceNodeStarted, bus.State);
        Assert.Equal([@"\Driver\busenum", @"\Driver\PnpManager"], m.Stack(bus));
        Assert.Equal([@"root\busenum"], bus.HardwareIds);
    }

    [Fact]
    public void A_plugged_toaster_gets_its_stack_from_the_class_filters_lower_filter_between_PDO_and_FDO()
    {
        using var m = new PnpMachine();
        var serial = m.Plug();
        Assert.Equal(1u, serial);
        var toaster = Assert.Single(m.Toasters);
        Assert.Equal(PNP_DEVNODE_STATE.DeviceNodeStarted, toaster.State);
        Assert.Equal("toaster", toaster.ServiceName);
        Assert.Equal(
            [@"\Driver\ToasterUpperFilter", @"\Driver\toaster", @"\Driver\ToasterLowerFilter", @"\Driver\busenum"],
            m.Stack(toaster));
        Assert.Equal([ToasterFilterDriver.LowerFilterService, "toaster", ToasterFilterDriver.UpperFilterService], toaster.StackServices);
    }

    [Fact]
    public void The_instance_path_comes_from_QUERY_ID_made_unique_with_the_parent_prefix_when_UniqueID_is_clear()
    {
        using var m = new PnpMachine();
        m.Plug();
        var toaster = Assert.Single(m.Toasters);
        Assert.StartsWith(ToasterPublic.BUS_HARDWARE_IDS + @"\2&", toaster.InstancePath, StringComparison.Ordinal);
        Assert.EndsWith("&0&01", toaster.InstancePath, StringComparison.Ordinal);
        Assert.Equal([ToasterPublic.BUS_HARDWARE_IDS], toaster.HardwareIds);
        Assert.Equal([ToasterPublic.BUSENUM_COMPATIBLE_IDS], toaster.CompatibleIds);

        // The capabilities the bus answered: Removable (bit 4) and SurpriseRemovalOK (bit 9), not UniqueID (bit 6).
        Assert.NotEqual(0u, toaster.CapabilityBits & (1u << 4));
        Assert.NotEqual(0u, toaster.CapabilityBits & (1u << 9));
        Assert.Equal(0u, toaster.CapabilityBits & (1u << 6));
    }

    [Fact]
    public void Installation_writes_the_instance_key_with_its_IDs_service_and_class()
    {
        using var m = new PnpMachine();
        m.Plug();
        var toaster = Assert.Single(m.Toasters);
        Assert.True(m.Machine.Cm.QueryDeviceInstance(toaster.InstancePath, out var key).IsSuccess());
        Assert.Equal("toaster", key!.Service);
        Assert.Equal(ToasterPublic.GUID_DEVCLASS_TOASTER, key.ClassGuid);
        Assert.Equal([ToasterPublic.BUS_HARDWARE_IDS], key.HardwareIds);
        Assert.Equal([ToasterFilterDriver.UpperFilterService], key.ClassUpperFilters);
    }

    [Fact]
    public void Device_lower_filters_come_before_class_lower_filters()
    {
        using var m = new PnpMachine(machine => machine.Cm.RegisterDeviceInstance(new Kernel.Cm.CmDeviceInstance
        {
            InstancePath = @"ROOT\BUSENUM\0000",
            HardwareIds = [@"root\busenum"],
            Service = "busenum",
            ClassGuid = ToasterPublic.GUID_DEVCLASS_TOASTER,
            UpperFilters = [ToasterFilterDriver.LowerFilterService],
        }));
        var bus = m.Node(PnpHost.BusInstancePath);

        // Device upper filter, then the class's upper filter above it; the class's lower filter below busenum.
        Assert.Equal(
            [@"\Driver\ToasterUpperFilter", @"\Driver\ToasterLowerFilter", @"\Driver\busenum", @"\Driver\ToasterLowerFilter", @"\Driver\PnpManager"],
            m.Stack(bus));
    }

    [Fact]
    public void A_service_without_a_driver_leaves_the_device_with_CM_PROB_DRIVER_FAILED_LOAD()
    {
        using var m = new PnpMachine(machine => machine.Cm.RegisterDeviceInstance(new Kernel.Cm.CmDeviceInstance
        {
            InstancePath = @"ROOT\NOSUCH\0000",
            Service = "nosuchdriver",
        }));
        var node = m.Node(@"ROOT\NOSUCH\0000");
        Assert.Equal(CM_PROB.CM_PROB_DRIVER_FAILED_LOAD, node.Problem);
        Assert.NotEqual(PNP_DEVNODE_STATE.DeviceNodeStarted, node.State);
        Assert.Equal([@"\Driver\PnpManager"], m.Stack(node));
    }
}
