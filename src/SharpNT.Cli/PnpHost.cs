using System.Globalization;
using System.Text;
using SharpNT.Drivers.Toaster;
using SharpNT.Kernel;
using SharpNT.Kernel.Cm;
using SharpNT.Kernel.Io;
using SharpNT.Kernel.Ke;
using SharpNT.Kernel.Pnp;
using static SharpNT.Kernel.Ddi.Wdm;
using static SharpNT.Kernel.NTSTATUS;

namespace SharpNT.Cli;

/// <summary>
/// The machine's Plug and Play side as `sharpnt` sets it up: the driver packages it knows (its driver store),
/// the toaster bus installed as a root-enumerated device when the registry does not name it, boot enumeration,
/// and the hot-plug controls (--plug, --unplug-after, the description's plugged devices), which act as the
/// toaster sample's enum.exe does: IOCTL_BUSENUM_PLUGIN_HARDWARE and _UNPLUG_HARDWARE on the bus's interface.
/// </summary>
internal static class PnpHost
{
    /// <summary>The System setup class, which root-enumerated buses belong to.</summary>
    public const string GUID_DEVCLASS_SYSTEM = "{4D36E97D-E325-11CE-BFC1-08002BE10318}";

    /// <summary>The toaster bus's instance path when sharpnt installs it.</summary>
    public const string BusInstancePath = @"ROOT\BUSENUM\0000";

    private static readonly uint PlugTag = PoolTag("Plug");

    /// <summary>The in-box driver packages: the toaster bus, the toaster and its two filters.</summary>
    public static void RegisterInBoxDrivers(Machine machine)
    {
        var pnp = machine.Pnp;
        pnp.RegisterDriver(new PnpDriverRegistration
        {
            ServiceName = "busenum",
            CreateImage = () => new BusEnumDriver(),
            HardwareIds = [@"root\busenum"],
            ClassGuid = GUID_DEVCLASS_SYSTEM,
            ClassName = "System",
        });
        pnp.RegisterDriver(new PnpDriverRegistration
        {
            ServiceName = "toaster",
            CreateImage = () => new ToasterDriver(),
            HardwareIds = [ToasterPublic.BUS_HARDWARE_IDS, ToasterPublic.BUSENUM_COMPATIBLE_IDS],
            ClassGuid = ToasterPublic.GUID_DEVCLASS_TOASTER,
            ClassName = "TOASTER",
        });
        pnp.RegisterDriver(new PnpDriverRegistration { ServiceName = ToasterFilterDriver.LowerFilterService, CreateImage = ToasterFilterDriver.Lower });
        pnp.RegisterDriver(new PnpDriverRegistration { ServiceName = ToasterFilterDriver.UpperFilterService, CreateImage = ToasterFilterDriver.Upper });
    }

    /// <summary>
    /// What the toaster package's INF would have written, for a registry that lacks it: the bus as Enum\Root\BUSENUM\0000,
    /// the toaster setup class with its class filters (a lower filter between the bus's PDO and toaster.sys, an upper
    /// filter above it), and the four services.
    /// </summary>
    public static void InstallToasterPackage(Machine machine)
    {
        var cm = machine.Cm;
        if (!cm.EnumerateDeviceInstances().Any(p => p.StartsWith(@"ROOT\BUSENUM\", StringComparison.OrdinalIgnoreCase)))
        {
            cm.RegisterDeviceInstance(new CmDeviceInstance
            {
                InstancePath = BusInstancePath,
                HardwareIds = [@"root\busenum"],
                Service = "busenum",
                ClassGuid = GUID_DEVCLASS_SYSTEM,
                Class = "System",
            });
        }

        if (cm.OpenKey($@"{ConfigurationManager.ClassPath}\{ToasterPublic.GUID_DEVCLASS_TOASTER}") is null)
        {
            cm.RegisterDeviceClass(ToasterPublic.GUID_DEVCLASS_TOASTER, "TOASTER", [ToasterFilterDriver.UpperFilterService], [ToasterFilterDriver.LowerFilterService]);
        }

        foreach (var service in new[] { "busenum", "toaster", ToasterFilterDriver.LowerFilterService, ToasterFilterDriver.UpperFilterService })
        {
            if (!cm.QueryService(service, out _).IsSuccess())
            {
                cm.RegisterService(new CmServiceEntry
                {
                    Name = service,
                    Start = SERVICE_LOAD_TYPE.SERVICE_DEMAND_START,
                    Type = SERVICE_NODE_TYPE.SERVICE_KERNEL_DRIVER,
                });
            }
        }
    }

    /// <summary>
    /// Boot-time Plug and Play (call inside Machine.Run): the in-box packages, the toaster package when the registry
    /// lacks it, the root enumeration, then the description's plugged devices, serial numbers 1, 2, ... in order.
    /// </summary>
    public static void Start(Machine machine)
    {
        // Once only; the root may exist already (the storage stack was enumerated at boot): enumerating it again adds the toaster bus.
        if (machine.Pnp.FindRegistration("busenum") is not null)
        {
            return;
        }

        RegisterInBoxDrivers(machine);
        InstallToasterPackage(machine);
        var status = machine.Pnp.EnumerateRootDevices();
        if (!status.IsSuccess())
        {
            machine.DebugPrint($"PnP: the root enumeration failed with {status.Describe()}");
            return;
        }

        foreach (var id in machine.Description.PluggedDevices)
        {
            status = TryPlug(machine, id, 0, out _);
            if (!status.IsSuccess())
            {
                machine.DebugPrint($"PnP: the toaster bus refused the plugged device {id} ({status.Describe()})");
            }
        }
    }

    /// <summary>
    /// The command line's hot-plug options (call inside Machine.Run, after <see cref="Start"/>): each --plug ID is plugged in
    /// now; with --unplug-after MS a system thread pulls every toaster out of the bus MS milliseconds of machine time later,
    /// while whatever runs next goes on.
    /// </summary>
    public static (NTSTATUS Status, string? Refused) ApplyHotPlugOptions(Machine machine, IReadOnlyList<string> plug, int? unplugAfterMs)
    {
        foreach (var id in plug)
        {
            var status = TryPlug(machine, id, 0, out _);
            if (!status.IsSuccess())
            {
                return (status, id);
            }
        }

        if (unplugAfterMs is { } ms)
        {
            ScheduleUnplug(machine, ms);
        }

        return (STATUS_SUCCESS, null);
    }

    /// <summary>A system thread that waits <paramref name="milliseconds"/> of machine time, then unplugs every toaster.</summary>
    public static void ScheduleUnplug(Machine machine, int milliseconds) =>
        machine.Ke.CreateSystemThread(_ =>
        {
            KeDelayExecutionThread(KernelMode, false, new LARGE_INTEGER(-10_000L * milliseconds));
            machine.DebugPrint($"hot-plug: {milliseconds} ms later, every toaster is pulled out of the bus");
            Unplug(machine, 0);
        }, null, machine.Modules.Kernel, "PnpHotPlugUnplugTimer");

    /// <summary>The serial number the next plugged toaster gets: one more than the highest on the bus.</summary>
    public static uint NextSerialNumber(Machine machine) =>
        1 + machine.Pnp.SnapshotNodes()
            .Where(n => n.Parent?.InstancePath.StartsWith(@"ROOT\BUSENUM\", StringComparison.OrdinalIgnoreCase) == true)
            .Select(n => uint.TryParse(n.InstancePath.Split('&')[^1], NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : 0)
            .DefaultIfEmpty(0u).Max();

    /// <summary>
    /// Plugs a device into the toaster bus (enum.exe -p): <paramref name="id"/> is a hardware ID, or a bare name
    /// ("MsToaster") taken under the toaster's enumerator; returns its serial number once the PnP manager has
    /// enumerated and started it. A refusal (an ID the bus does not take, no bus) throws its status.
    /// </summary>
    public static uint Plug(Machine machine, string id, uint serialNo = 0)
    {
        var status = TryPlug(machine, id, serialNo, out var serial);
        return status.IsSuccess() ? serial : throw new NtException(status);
    }

    /// <summary><see cref="Plug"/>, answering the bus's status instead of throwing it.</summary>
    public static NTSTATUS TryPlug(Machine machine, string id, uint serialNo, out uint serial)
    {
        var hardwareId = id.Contains('\\', StringComparison.Ordinal) ? id : $@"{ToasterPublic.GUID_DEVCLASS_TOASTER}\{id}";
        serial = serialNo == 0 ? NextSerialNumber(machine) : serialNo;
        var ids = Encoding.Unicode.GetBytes(hardwareId + "\0\0");
        var length = ToasterPublic.BUSENUM_PLUGIN_HARDWARE_SIZE + (uint)ids.Length;
        var buffer = ExAllocatePool2(POOL_FLAG_NON_PAGED, length, PlugTag);
        WriteMemory(buffer, ToasterPublic.BUSENUM_PLUGIN_HARDWARE_SIZE);
        WriteMemory(buffer + 4, serial);
        CopyFromHost(buffer + ToasterPublic.BUSENUM_PLUGIN_HARDWARE_SIZE, ids);
        var status = BusIoctl(ToasterPublic.IOCTL_BUSENUM_PLUGIN_HARDWARE, buffer, length);
        ExFreePoolWithTag(buffer, PlugTag);
        machine.Pnp.SynchronizeDeviceEventQueue();
        return status;
    }

    /// <summary>Pulls a toaster out of the bus (enum.exe -u); 0 pulls every one. Returns once the PnP manager has acted.</summary>
    public static NTSTATUS Unplug(Machine machine, uint serialNo)
    {
        var buffer = ExAllocatePool2(POOL_FLAG_NON_PAGED, ToasterPublic.BUSENUM_UNPLUG_HARDWARE_SIZE, PlugTag);
        WriteMemory(buffer, ToasterPublic.BUSENUM_UNPLUG_HARDWARE_SIZE);
        WriteMemory(buffer + 4, serialNo);
        var status = BusIoctl(ToasterPublic.IOCTL_BUSENUM_UNPLUG_HARDWARE, buffer, ToasterPublic.BUSENUM_UNPLUG_HARDWARE_SIZE);
        ExFreePoolWithTag(buffer, PlugTag);
        machine.Pnp.SynchronizeDeviceEventQueue();
        return status;
    }

    /// <summary>An IOCTL to the bus enumerator, opened through its device interface.</summary>
    private static NTSTATUS BusIoctl(uint code, ulong input, uint inputLength)
    {
        var status = IoGetDeviceInterfaces(ToasterPublic.GUID_DEVINTERFACE_BUSENUM_TOASTER, DEVICE_OBJECT.NULL, 0, out var links);
        if (!status.IsSuccess() || links.Count == 0)
        {
            return STATUS_NO_SUCH_DEVICE;
        }

        status = IoGetDeviceObjectPointer(new UNICODE_STRING(links[0]), FILE_ALL_ACCESS, out var file, out var device);
        if (!status.IsSuccess())
        {
            return status;
        }

        var evt = new KEVENT();
        KeInitializeEvent(evt, NotificationEvent, false);
        var iosb = new IO_STATUS_BLOCK(ExAllocatePool2(POOL_FLAG_NON_PAGED, 16, PlugTag));
        var irp = IoBuildDeviceIoControlRequest(code, device, input, inputLength, 0, 0, false, evt, iosb);
        status = IoCallDriver(device, irp);
        if (status == STATUS_PENDING)
        {
            KeWaitForSingleObject(evt, Executive, KernelMode, false, null);
            status = iosb.Status;
        }

        ExFreePoolWithTag(iosb.Address, PlugTag);
        ObDereferenceObject(file);
        return status;
    }
}
