using SharpNT.Kernel.Cm;
using SharpNT.Kernel.Io;
using SharpNT.Kernel.Ke;
using SharpNT.Kernel.Mm;

namespace SharpNT.Kernel.Pnp;

/// <summary>
/// The PnP manager: the device tree (one <see cref="DEVICE_NODE"/> per device a bus reported), the stacks it
/// builds on each PDO from the registry (lower filters, function driver, upper filters), the PnP IRPs it
/// sends (start, enumeration, IDs, capabilities, removal), device interfaces and their notifications.
/// Work that NT does on its device-action worker (enumeration after IoInvalidateDeviceRelations, removal,
/// notification delivery) runs here on a system worker thread, one action at a time, in order.
/// </summary>
internal sealed partial class PnpManager
{
    /// <summary>'PnP ': the PnP manager's own pool (device relations it builds, notification structures).</summary>
    internal const uint TagPnp = 0x20506E50;

    /// <summary>The root device node's instance path, as NT names it.</summary>
    internal const string RootInstancePath = @"HTREE\ROOT\0";

    private readonly Machine _machine;
    private readonly object _lock = new();
    private readonly Dictionary<string, PnpDriverRegistration> _catalog = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<ulong, DEVICE_NODE> _nodesByPdo = [];
    private DEVICE_NODE? _root;

    internal PnpManager(Machine machine)
    {
        _machine = machine;
        KernelCore.InitializeEvent(_idle, EVENT_TYPE.NotificationEvent, true);
    }

    private IoManager Io => _machine.Io;

    private ConfigurationManager Cm => _machine.Cm;

    private MemoryManager Mm => _machine.Mm;

    /// <summary>The root device node (HTREE\ROOT\0), once <see cref="EnumerateRootDevices"/> ran.</summary>
    internal DEVICE_NODE? Root
    {
        get
        {
            lock (_lock)
            {
                return _root;
            }
        }
    }

    /// <summary>Makes a driver package known to the machine (its service name, image, and the IDs it is installed for).</summary>
    internal void RegisterDriver(PnpDriverRegistration registration)
    {
        lock (_lock)
        {
            _catalog[registration.ServiceName] = registration;
        }
    }

    /// <summary>The registered driver package for a service, or null.</summary>
    internal PnpDriverRegistration? FindRegistration(string serviceName)
    {
        lock (_lock)
        {
            return _catalog.GetValueOrDefault(serviceName);
        }
    }

    /// <summary>The device node whose PDO is <paramref name="physicalDeviceObject"/>, or null (not a PDO).</summary>
    internal DEVICE_NODE? NodeOf(DEVICE_OBJECT physicalDeviceObject)
    {
        lock (_lock)
        {
            return _nodesByPdo.GetValueOrDefault(physicalDeviceObject.Address);
        }
    }

    /// <summary>The device node of the stack <paramref name="device"/> belongs to (any device in it), or null.</summary>
    internal DEVICE_NODE? NodeOfStack(DEVICE_OBJECT device) => NodeOf(Io.GetLowestDevice(device));

    /// <summary>Every device node of the tree, parents before children.</summary>
    internal IReadOnlyList<DEVICE_NODE> SnapshotNodes()
    {
        lock (_lock)
        {
            var nodes = new List<DEVICE_NODE>();
            if (_root is not null)
            {
                Walk(_root, nodes);
            }

            return nodes;
        }

        static void Walk(DEVICE_NODE node, List<DEVICE_NODE> into)
        {
            into.Add(node);
            foreach (var child in node.Children)
            {
                Walk(child, into);
            }
        }
    }

    /// <summary>The device node with this instance path (case-insensitive), or null.</summary>
    internal DEVICE_NODE? FindNode(string instancePath) =>
        SnapshotNodes().FirstOrDefault(n => string.Equals(n.InstancePath, instancePath, StringComparison.OrdinalIgnoreCase));

    /// <summary>The device objects of a node's stack, from the top down to the PDO.</summary>
    internal IReadOnlyList<DEVICE_OBJECT> StackOf(DEVICE_NODE node)
    {
        var stack = new List<DEVICE_OBJECT>();
        for (var d = node.PhysicalDeviceObject; !d.IsNull; d = d.AttachedDevice)
        {
            stack.Insert(0, d);
        }

        return stack;
    }

    /// <summary>
    /// Boot-time enumeration (IopInitializePlugPlayServices, then the root enumeration): creates the root
    /// device node, whose PDO belongs to \Driver\PnpManager, asks it for its BusRelations (one PDO for each
    /// instance key under Enum\Root), and builds and starts each device's stack, recursively. Call at
    /// PASSIVE_LEVEL inside Machine.Run; returns once the tree is built.
    /// </summary>
    internal NTSTATUS EnumerateRootDevices()
    {
        if (Root is null)
        {
            var status = CreateRootNode();
            if (!status.IsSuccess())
            {
                return status;
            }
        }

        RequestDeviceAction(Root!, PnpDeviceAction.Enumerate);
        SynchronizeDeviceEventQueue();
        return NTSTATUS.STATUS_SUCCESS;
    }

    private NTSTATUS CreateRootNode()
    {
        var status = Io.LoadDriver(new PnpRootDriver(this), out var driverObject);
        if (!status.IsSuccess())
        {
            return status;
        }

        status = PnpRootDriver.CreateRootDevice(driverObject, out var rootPdo);
        if (!status.IsSuccess())
        {
            return status;
        }

        var root = new DEVICE_NODE(null, rootPdo) { InstancePath = RootInstancePath };
        root.SetState(PNP_DEVNODE_STATE.DeviceNodeStarted);
        lock (_lock)
        {
            _root = root;
            _nodesByPdo[rootPdo.Address] = root;
        }

        return NTSTATUS.STATUS_SUCCESS;
    }

    /// <summary>Loads the driver of a service from the catalog, unless it is loaded already.</summary>
    private NTSTATUS LoadService(string serviceName, out DRIVER_OBJECT driverObject)
    {
        driverObject = DRIVER_OBJECT.NULL;
        if (Io.FindDriver(serviceName) is { } loaded)
        {
            driverObject = loaded.DriverObject;
            return NTSTATUS.STATUS_SUCCESS;
        }

        if (FindRegistration(serviceName) is not { } registration)
        {
            // No image for the service: what IopLoadDriver answers for a missing ImagePath file.
            return NTSTATUS.STATUS_OBJECT_NAME_NOT_FOUND;
        }

        if (!Cm.QueryService(serviceName, out _).IsSuccess())
        {
            // The package's AddService: a demand-start kernel driver.
            Cm.RegisterService(new CmServiceEntry
            {
                Name = serviceName,
                Start = SERVICE_LOAD_TYPE.SERVICE_DEMAND_START,
                Type = SERVICE_NODE_TYPE.SERVICE_KERNEL_DRIVER,
            });
        }

        return Io.LoadDriver(registration.CreateImage(), out driverObject);
    }

    /// <summary>
    /// After a removal: a PnP driver none of whose devices is left is unloaded (its DriverUnload runs), as the
    /// PnP manager unloads drivers whose last device went. A driver without DriverUnload stays.
    /// </summary>
    private void UnloadUnusedDrivers(IEnumerable<string> services)
    {
        foreach (var service in services.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            if (Io.FindDriver(service) is { } driver && driver.Image is not PnpRootDriver
                && driver.DriverObject.DeviceObject.IsNull && driver.DriverObject.DriverUnload is not null)
            {
                Io.UnloadDriver(driver.DriverObject);
            }
        }
    }

    /// <summary>The root enumerator's devices: each instance key under Enum\Root, as ROOT\name\instance.</summary>
    internal IReadOnlyList<string> RootEnumeratedInstances() =>
        [.. Cm.EnumerateDeviceInstances().Where(p => p.StartsWith(@"ROOT\", StringComparison.OrdinalIgnoreCase))];

    /// <summary>A root-enumerated device's HardwareID (or CompatibleIDs) value; its device ID when it has no HardwareID.</summary>
    internal IReadOnlyList<string> RootHardwareIds(string instancePath, bool compatible)
    {
        if (!Cm.QueryDeviceInstance(instancePath, out var device).IsSuccess() || device is null)
        {
            return [];
        }

        if (compatible)
        {
            return device.CompatibleIds;
        }

        return device.HardwareIds.Count > 0 ? device.HardwareIds : [instancePath[..instancePath.LastIndexOf('\\')]];
    }
}
