using SharpNT.Cli;
using SharpNT.Drivers.Toaster;
using SharpNT.Kernel.Io;
using SharpNT.Kernel.Pnp;
using static SharpNT.Kernel.Ddi.Wdm;

namespace SharpNT.Kernel.Tests.Pnp;

public sealed class DeviceInterfaceTests
{
    /// <summary>A kernel client that registers for toaster interface notifications in DriverEntry.</summary>
    private sealed class NotificationClient : DriverImage
    {
        public List<(Guid Event, Guid Class, string Link)> Events { get; } = [];

        public PnpNotificationEntry? Entry { get; private set; }

        public override string ImageName => "pnpclient.sys";

        public override NTSTATUS DriverEntry(DRIVER_OBJECT DriverObject, UNICODE_STRING RegistryPath)
        {
            var status = IoRegisterPlugPlayNotification(EventCategoryDeviceInterfaceChange, PNPNOTIFY_DEVICE_INTERFACE_INCLUDE_EXISTING_INTERFACES,
                ToasterPublic.GUID_DEVINTERFACE_TOASTER, DriverObject, OnInterfaceChange, this, out var entry);
            Entry = entry;
            return status;
        }

        private static NTSTATUS OnInterfaceChange(ulong NotificationStructure, object? Context)
        {
            var n = new DEVICE_INTERFACE_CHANGE_NOTIFICATION(NotificationStructure);
            Assert.Equal(1, n.Version);
            Assert.Equal(DEVICE_INTERFACE_CHANGE_NOTIFICATION.SizeOf, n.Size);
            Assert.Equal(PASSIVE_LEVEL, KeGetCurrentIrql());
            ((NotificationClient)Context!).Events.Add((n.Event, n.InterfaceClassGuid, n.SymbolicLinkName));
            return NTSTATUS.STATUS_SUCCESS;
        }
    }

    [Fact]
    public void A_started_toaster_exposes_its_interface_as_a_symbolic_link_to_its_PDO()
    {
        using var m = new PnpMachine();
        m.Plug();
        var toaster = Assert.Single(m.Toasters);
        m.Machine.Run(() =>
        {
            Assert.True(IoGetDeviceInterfaces(ToasterPublic.GUID_DEVINTERFACE_TOASTER, toaster.PhysicalDeviceObject, 0, out var links).IsSuccess());
            var link = Assert.Single(links);
            Assert.Equal($@"\??\{toaster.InstancePath.Replace('\\', '#')}#{{781ef630-72b2-11d2-b852-00c04fad5171}}", link);

            // The link leads to the PDO; an open reaches the top of the stack (the upper filter saw the create).
            Assert.True(IoGetDeviceObjectPointer(new UNICODE_STRING(link), FILE_ALL_ACCESS, out var file, out var top).IsSuccess());
            Assert.Equal(toaster.PhysicalDeviceObject, file.DeviceObject);
            Assert.Equal(@"\Driver\ToasterUpperFilter", top.DriverObject.DriverName);
            Assert.Equal(1, IoGetDeviceExtension<ToasterFilterDriver.FilterData>(top).Passed[IRP_MJ.IRP_MJ_CREATE]);
            ObDereferenceObject(file);
        });
    }

    [Fact]
    public void IoSetDeviceInterfaceState_answers_as_documented()
    {
        using var m = new PnpMachine();
        m.Plug();
        var toaster = Assert.Single(m.Toasters);
        m.Machine.Run(() =>
        {
            Assert.True(IoRegisterDeviceInterface(toaster.PhysicalDeviceObject, ToasterPublic.GUID_DEVINTERFACE_TOASTER, null, out var name).IsSuccess());
            Assert.Equal(NTSTATUS.STATUS_OBJECT_NAME_EXISTS, IoSetDeviceInterfaceState(name, true));
            Assert.Equal(NTSTATUS.STATUS_SUCCESS, IoSetDeviceInterfaceState(name, false));
            Assert.Equal(NTSTATUS.STATUS_OBJECT_NAME_NOT_FOUND, IoSetDeviceInterfaceState(name, false));
            Assert.Equal(NTSTATUS.STATUS_OBJECT_NAME_NOT_FOUND, IoSetDeviceInterfaceState(new UNICODE_STRING(@"\??\NO#SUCH#0#{781ef630-72b2-11d2-b852-00c04fad5171}"), true));

            // Disabled, the link is gone; with DEVICE_INTERFACE_INCLUDE_NONACTIVE the interface is still listed.
            Assert.Equal(NTSTATUS.STATUS_OBJECT_NAME_NOT_FOUND, IoGetDeviceObjectPointer(name, FILE_ALL_ACCESS, out _, out _));
            IoGetDeviceInterfaces(ToasterPublic.GUID_DEVINTERFACE_TOASTER, DEVICE_OBJECT.NULL, DEVICE_INTERFACE_INCLUDE_NONACTIVE, out var all);
            Assert.Equal([name.Value], all);
            Assert.Equal(NTSTATUS.STATUS_SUCCESS, IoSetDeviceInterfaceState(name, true));

            // A reference string is a second instance on the same device, opened through the same link.
            Assert.True(IoRegisterDeviceInterface(toaster.PhysicalDeviceObject, ToasterPublic.GUID_DEVINTERFACE_TOASTER, new UNICODE_STRING("left"), out var left).IsSuccess());
            Assert.Equal(name.Value + @"\left", left.Value);

            // Not a PDO: the toaster's FDO.
            var fdo = toaster.PhysicalDeviceObject.AttachedDevice.AttachedDevice;
            Assert.Equal(NTSTATUS.STATUS_INVALID_DEVICE_REQUEST, IoRegisterDeviceInterface(fdo, ToasterPublic.GUID_DEVINTERFACE_TOASTER, null, out _));
        });

        // The registry keeps the interface under DeviceClasses.
        var key = m.Machine.Cm.OpenKey($@"{Kernel.Cm.ConfigurationManager.CurrentControlSetPath}\Control\DeviceClasses\{{781ef630-72b2-11d2-b852-00c04fad5171}}\##?#{toaster.InstancePath.Replace('\\', '#')}#{{781ef630-72b2-11d2-b852-00c04fad5171}}");
        Assert.NotNull(key);
        Assert.Equal(toaster.InstancePath, key!.FindValue("DeviceInstance")!.AsString());
    }

    [Fact]
    public void Kernel_clients_are_told_of_existing_interfaces_of_arrivals_and_of_removals_on_a_system_thread()
    {
        using var m = new PnpMachine();
        m.Plug();
        var client = new NotificationClient();
        m.Machine.Run(() =>
        {
            Assert.True(m.Machine.Io.LoadDriver(client, out _).IsSuccess());
            m.Pnp.SynchronizeDeviceEventQueue();
        });
        var first = Assert.Single(client.Events);
        Assert.Equal(GUID_DEVICE_INTERFACE_ARRIVAL_Value, first.Event);
        Assert.Equal(ToasterPublic.GUID_DEVINTERFACE_TOASTER, first.Class);

        m.Plug();
        m.Unplug(1);
        Assert.Equal(3, client.Events.Count);
        Assert.Equal(GUID_DEVICE_INTERFACE_ARRIVAL_Value, client.Events[1].Event);
        Assert.Equal(GUID_DEVICE_INTERFACE_REMOVAL_Value, client.Events[2].Event);
        Assert.Equal(first.Link, client.Events[2].Link);

        m.Machine.Run(() => Assert.Equal(NTSTATUS.STATUS_SUCCESS, IoUnregisterPlugPlayNotificationEx(client.Entry!)));
        m.Unplug(2);
        Assert.Equal(3, client.Events.Count);
    }

    [Fact]
    public void IoOpenDeviceRegistryKey_opens_the_hardware_and_software_keys_of_a_PDO()
    {
        using var m = new PnpMachine();
        m.Plug();
        var toaster = Assert.Single(m.Toasters);
        m.Machine.Run(() =>
        {
            var pdo = toaster.PhysicalDeviceObject;
            Assert.Equal(NTSTATUS.STATUS_SUCCESS, IoOpenDeviceRegistryKey(pdo, PLUGPLAY_REGKEY_DEVICE, KEY_ALL_ACCESS, out var hardware));
            Assert.True(ZwSetValueKey(hardware, new UNICODE_STRING("Color"), 0, REG_SZ, Kernel.Cm.RegData.String("chrome")).IsSuccess());
            ZwClose(hardware);
            Assert.Equal(NTSTATUS.STATUS_SUCCESS, IoOpenDeviceRegistryKey(pdo, PLUGPLAY_REGKEY_DRIVER, KEY_READ, out var software));
            ZwClose(software);

            Assert.Equal(NTSTATUS.STATUS_INVALID_PARAMETER, IoOpenDeviceRegistryKey(pdo, PLUGPLAY_REGKEY_DEVICE | PLUGPLAY_REGKEY_DRIVER, KEY_READ, out _));
            var fdo = pdo.AttachedDevice.AttachedDevice;
            Assert.Equal(NTSTATUS.STATUS_INVALID_DEVICE_REQUEST, IoOpenDeviceRegistryKey(fdo, PLUGPLAY_REGKEY_DEVICE, KEY_READ, out _));
        });

        var parameters = m.Machine.Cm.OpenKey($@"{Kernel.Cm.ConfigurationManager.EnumPath}\{toaster.InstancePath}\Device Parameters");
        Assert.Equal("chrome", parameters!.FindValue("Color")!.AsString());
        Assert.True(m.Machine.Cm.QueryDeviceInstance(toaster.InstancePath, out var device).IsSuccess());
        Assert.Equal(ToasterPublic.GUID_DEVCLASS_TOASTER + @"\0000", device!.Driver);
    }

    [Fact]
    public void IoInvalidateDeviceRelations_on_a_device_that_is_not_a_PDO_is_bug_check_0xCA_with_parameter_2()
    {
        using var m = new PnpMachine();
        var bus = m.Node(PnpHost.BusInstancePath);
        var e = Assert.Throws<Kernel.Ke.BugCheckException>(() => m.Machine.Run(() =>
            IoInvalidateDeviceRelations(bus.PhysicalDeviceObject.AttachedDevice, BusRelations)));
        Assert.Equal(0xCAu, e.Info.Code);
        Assert.Equal(2ul, e.Info.Parameter1);
    }

    private static Guid GUID_DEVICE_INTERFACE_ARRIVAL_Value => DEVICE_INTERFACE_CHANGE_NOTIFICATION.GUID_DEVICE_INTERFACE_ARRIVAL;

    private static Guid GUID_DEVICE_INTERFACE_REMOVAL_Value => DEVICE_INTERFACE_CHANGE_NOTIFICATION.GUID_DEVICE_INTERFACE_REMOVAL;
}
