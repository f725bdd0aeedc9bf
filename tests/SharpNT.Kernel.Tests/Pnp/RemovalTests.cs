using SharpNT.Cli;
using SharpNT.Drivers.Toaster;
using SharpNT.Kernel.Io;
using SharpNT.Kernel.Ke;
using SharpNT.Kernel.Pnp;
using static SharpNT.Kernel.Ddi.Wdm;

namespace SharpNT.Kernel.Tests.Pnp;

public sealed class RemovalTests
{
    /// <summary>
    /// Pool in use by tag: allocations not freed and their bytes. Free IRPs kept on the processors' lookaside lists
    /// stay allocated as 'Irp '; they are counted out (and IRP bytes, which depend on which list they sit on, left out).
    /// </summary>
    internal static Dictionary<string, (long Outstanding, long Bytes)> PoolByTag(Machine machine)
    {
        var usage = machine.Mm.QueryPoolUsage()
            .GroupBy(u => u.Tag)
            .ToDictionary(g => g.Key, g => (g.Sum(u => u.Allocs - u.Frees), g.Sum(u => u.Bytes)));
        if (usage.TryGetValue("Irp ", out var irps))
        {
            usage["Irp "] = (irps.Item1 - machine.Io.LookasideIrpCount, 0);
        }

        return usage;
    }

    private static string ToasterLink(Machine machine) => machine.Run(() =>
    {
        IoGetDeviceInterfaces(ToasterPublic.GUID_DEVINTERFACE_TOASTER, DEVICE_OBJECT.NULL, 0, out var links);
        return links[0];
    });

    [Fact]
    public void Unplugging_an_idle_toaster_removes_its_node_deletes_its_stack_and_unloads_its_drivers()
    {
        using var m = new PnpMachine();
        m.Plug();
        var toaster = Assert.Single(m.Toasters);
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, m.Unplug(1));
        Assert.Empty(m.Toasters);
        Assert.Equal(PNP_DEVNODE_STATE.DeviceNodeDeleted, toaster.State);
        Assert.Null(m.Machine.Io.FindDriver("toaster"));
        Assert.Null(m.Machine.Io.FindDriver(ToasterFilterDriver.UpperFilterService));
        Assert.Null(m.Machine.Io.FindDriver(ToasterFilterDriver.LowerFilterService));
        Assert.NotNull(m.Machine.Io.FindDriver("busenum"));
        Assert.Equal(PNP_DEVNODE_STATE.DeviceNodeStarted, m.Node(PnpHost.BusInstancePath).State);
    }

    [Fact]
    public void Plugging_and_unplugging_leaves_pool_by_tag_where_it_was()
    {
        using var m = new PnpMachine();

        // One round first, so that lookaside lists and the like have settled.
        m.Plug();
        m.Unplug(1);
        var before = PoolByTag(m.Machine);
        for (var i = 0; i < 3; i++)
        {
            m.Plug();
            m.Plug();
            var link = ToasterLink(m.Machine);
            Assert.NotNull(link);
            m.Unplug(0);
        }

        Assert.Empty(m.Toasters);
        Assert.Equal(before, PoolByTag(m.Machine));
    }

    [Fact]
    public void Surprise_removal_ends_pending_IRPs_with_STATUS_NO_SUCH_DEVICE_and_waits_for_the_last_handle()
    {
        using var m = new PnpMachine();

        // The same unplug twice: the second leaves pool by tag exactly where the first left it (lookaside lists warm).
        UnplugWithOpenHandleAndPendingIrp(m);
        var before = PoolByTag(m.Machine);
        UnplugWithOpenHandleAndPendingIrp(m);
        Assert.Equal(before, PoolByTag(m.Machine));
    }

    private static void UnplugWithOpenHandleAndPendingIrp(PnpMachine m)
    {
        var serial = m.Plug();
        var link = ToasterLink(m.Machine);
        var toaster = Assert.Single(m.Toasters);
        m.Machine.Run(() =>
        {
            Assert.True(IoGetDeviceObjectPointer(new UNICODE_STRING(link), FILE_ALL_ACCESS, out var file, out var device).IsSuccess());
            var tag = PoolTag("Test");
            var buffer = ExAllocatePool2(POOL_FLAG_NON_PAGED, 32, tag);
            var evt = new KEVENT();
            KeInitializeEvent(evt, NotificationEvent, false);
            var iosb = new IO_STATUS_BLOCK(buffer + 16);
            var irp = IoBuildDeviceIoControlRequest(ToasterPublic.IOCTL_TOASTER_WAIT_FOR_POP, device, 0, 0, buffer, 4, false, evt, iosb);
            Assert.Equal(NTSTATUS.STATUS_PENDING, IoCallDriver(device, irp));

            Assert.Equal(NTSTATUS.STATUS_SUCCESS, PnpHost.Unplug(m.Machine, serial));
            KeWaitForSingleObject(evt, Executive, KernelMode, false, null);
            Assert.Equal(NTSTATUS.STATUS_NO_SUCH_DEVICE, iosb.Status);

            // Surprise-removed, the device waits for its handle; its interface is gone already.
            Assert.Equal(PNP_DEVNODE_STATE.DeviceNodeRemovePendingCloses, toaster.State);
            IoGetDeviceInterfaces(ToasterPublic.GUID_DEVINTERFACE_TOASTER, DEVICE_OBJECT.NULL, 0, out var links);
            Assert.Empty(links);
            Assert.NotNull(m.Machine.Io.FindDriver("toaster"));

            // A new request through the open handle: the toaster is gone.
            KeClearEvent(evt);
            irp = IoBuildDeviceIoControlRequest(ToasterPublic.IOCTL_TOASTER_MAKE_TOAST, device, buffer, 4, buffer, 4, false, evt, iosb);
            Assert.Equal(NTSTATUS.STATUS_NO_SUCH_DEVICE, IoCallDriver(device, irp));

            ExFreePoolWithTag(buffer, tag);
            ObDereferenceObject(file);
            m.Pnp.SynchronizeDeviceEventQueue();
        });

        Assert.Equal(PNP_DEVNODE_STATE.DeviceNodeDeleted, toaster.State);
        Assert.Empty(m.Toasters);
        Assert.Null(m.Machine.Io.FindDriver("toaster"));
    }

    [Fact]
    public void An_orderly_removal_is_vetoed_while_a_handle_is_open_and_then_removes_the_bus_and_its_children()
    {
        using var m = new PnpMachine();
        m.Plug();
        m.Plug();
        var link = ToasterLink(m.Machine);
        var bus = m.Node(PnpHost.BusInstancePath);
        var children = m.Toasters;
        m.Machine.Run(() =>
        {
            Assert.True(IoGetDeviceObjectPointer(new UNICODE_STRING(link), FILE_ALL_ACCESS, out var file, out _).IsSuccess());
            Assert.Equal(NTSTATUS.STATUS_PLUGPLAY_QUERY_VETOED, m.Pnp.QueryRemoveAndRemoveDevice(bus));
            Assert.Equal(PNP_VETO_TYPE.PNP_VetoOutstandingOpen, m.Pnp.LastVeto!.Value.Type);
            Assert.Equal(PNP_DEVNODE_STATE.DeviceNodeStarted, bus.State);
            ObDereferenceObject(file);

            Assert.Equal(NTSTATUS.STATUS_SUCCESS, m.Pnp.QueryRemoveAndRemoveDevice(bus));
        });

        Assert.Equal(PNP_DEVNODE_STATE.DeviceNodeRemoved, bus.State);
        Assert.All(children, c => Assert.Equal(PNP_DEVNODE_STATE.DeviceNodeDeleted, c.State));
        Assert.Empty(bus.Children);
        Assert.Equal([@"\Driver\PnpManager"], m.Stack(bus));
        Assert.Null(m.Machine.Io.FindDriver("busenum"));
        Assert.Null(m.Machine.Io.FindDriver("toaster"));
    }

    [Fact]
    public void A_root_device_whose_key_is_deleted_goes_at_the_next_enumeration()
    {
        using var m = new PnpMachine();
        var bus = m.Node(PnpHost.BusInstancePath);
        m.Machine.Run(() =>
        {
            var cm = m.Machine.Cm;
            var key = cm.OpenKey($@"{Kernel.Cm.ConfigurationManager.EnumPath}\{PnpHost.BusInstancePath}")!;
            Assert.True(cm.DeleteKey(key).IsSuccess());
            IoInvalidateDeviceRelations(m.Pnp.Root!.PhysicalDeviceObject, BusRelations);
            m.Pnp.SynchronizeDeviceEventQueue();
        });

        Assert.Equal(PNP_DEVNODE_STATE.DeviceNodeDeleted, bus.State);
        Assert.Empty(m.Pnp.Root!.Children);
        Assert.Null(m.Machine.Io.FindDriver("busenum"));
    }
}
