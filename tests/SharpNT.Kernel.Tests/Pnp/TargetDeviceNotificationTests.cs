using SharpNT.Cli;
using SharpNT.Drivers.Toaster;
using SharpNT.Kernel.Io;
using SharpNT.Kernel.Pnp;
using static SharpNT.Kernel.Ddi.Wdm;

namespace SharpNT.Kernel.Tests.Pnp;

public sealed class TargetDeviceNotificationTests
{
    /// <summary>A kernel client holding a file object on a toaster, registered for target device notification.</summary>
    private sealed class ToasterClient(bool refuseQueryRemove) : DriverImage
    {
        public List<Guid> Events { get; } = [];

        public bool RefuseQueryRemove => refuseQueryRemove;

        public FILE_OBJECT File { get; private set; }

        public bool Closed { get; private set; }

        public PnpNotificationEntry? Entry { get; private set; }

        public override string ImageName => "toastcli.sys";

        public override NTSTATUS DriverEntry(DRIVER_OBJECT DriverObject, UNICODE_STRING RegistryPath)
        {
            IoGetDeviceInterfaces(ToasterPublic.GUID_DEVINTERFACE_TOASTER, DEVICE_OBJECT.NULL, 0, out var links);
            var status = IoGetDeviceObjectPointer(new UNICODE_STRING(links[0]), FILE_ALL_ACCESS, out var file, out _);
            if (!status.IsSuccess())
            {
                return status;
            }

            File = file;
            status = IoRegisterPlugPlayNotification(EventCategoryTargetDeviceChange, 0, file, DriverObject, OnTargetChange, this, out var entry);
            Entry = entry;
            return status;
        }

        private static NTSTATUS OnTargetChange(ulong NotificationStructure, object? Context)
        {
            var client = (ToasterClient)Context!;
            var n = new TARGET_DEVICE_REMOVAL_NOTIFICATION(NotificationStructure);
            Assert.Equal(TARGET_DEVICE_REMOVAL_NOTIFICATION.SizeOf, n.Size);
            Assert.Equal(client.File, n.FileObject);
            client.Events.Add(n.Event);
            if (n.Event == GUID_TARGET_DEVICE_QUERY_REMOVE)
            {
                if (client.RefuseQueryRemove)
                {
                    return NTSTATUS.STATUS_UNSUCCESSFUL;
                }

                client.Close();
            }
            else if (n.Event == GUID_TARGET_DEVICE_REMOVE_COMPLETE)
            {
                client.Close();
                IoUnregisterPlugPlayNotificationEx(client.Entry!);
            }

            return NTSTATUS.STATUS_SUCCESS;
        }

        private void Close()
        {
            if (!Closed)
            {
                Closed = true;
                ObDereferenceObject(File);
            }
        }
    }

    private static ToasterClient Load(PnpMachine m, bool refuse = false)
    {
        var client = new ToasterClient(refuse);
        m.Machine.Run(() => Assert.True(m.Machine.Io.LoadDriver(client, out _).IsSuccess()));
        return client;
    }

    [Fact]
    public void A_surprise_removal_tells_the_holder_REMOVE_COMPLETE_and_the_device_goes_when_it_closes()
    {
        using var m = new PnpMachine();
        m.Plug();
        var toaster = Assert.Single(m.Toasters);
        var client = Load(m);
        m.Unplug(1);
        Assert.Equal([GUID_TARGET_DEVICE_REMOVE_COMPLETE], client.Events);
        Assert.True(client.Closed);
        Assert.Equal(PNP_DEVNODE_STATE.DeviceNodeDeleted, toaster.State);
    }

    [Fact]
    public void An_orderly_removal_asks_the_holder_first_who_closes_and_is_told_it_completed()
    {
        using var m = new PnpMachine();
        m.Plug();
        var client = Load(m);
        var bus = m.Node(PnpHost.BusInstancePath);
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, m.Machine.Run(() => m.Pnp.QueryRemoveAndRemoveDevice(bus)));
        Assert.Equal([GUID_TARGET_DEVICE_QUERY_REMOVE, GUID_TARGET_DEVICE_REMOVE_COMPLETE], client.Events);
        Assert.Equal(PNP_DEVNODE_STATE.DeviceNodeRemoved, bus.State);
    }

    [Fact]
    public void A_holder_that_fails_the_query_vetoes_the_removal_and_is_told_it_was_cancelled()
    {
        using var m = new PnpMachine();
        m.Plug();
        var toaster = Assert.Single(m.Toasters);
        var client = Load(m, refuse: true);
        Assert.Equal(NTSTATUS.STATUS_PLUGPLAY_QUERY_VETOED, m.Machine.Run(() => m.Pnp.QueryRemoveAndRemoveDevice(toaster)));
        Assert.Equal((PNP_VETO_TYPE.PNP_VetoDriver, @"\Driver\toastcli"), m.Pnp.LastVeto);
        Assert.Equal([GUID_TARGET_DEVICE_QUERY_REMOVE, GUID_TARGET_DEVICE_REMOVE_CANCELLED], client.Events);
        Assert.Equal(PNP_DEVNODE_STATE.DeviceNodeStarted, toaster.State);
        Assert.False(client.Closed);
    }
}
