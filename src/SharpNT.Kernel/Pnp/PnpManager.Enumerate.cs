using System.Globalization;
using SharpNT.Kernel.Cm;
using SharpNT.Kernel.Io;
using SharpNT.Kernel.Mm;
using static SharpNT.Kernel.Io.IRP_MN;

namespace SharpNT.Kernel.Pnp;

internal sealed partial class PnpManager
{
    /// <summary>MAX_DEVICE_ID_LEN: the longest device ID or instance path, in characters.</summary>
    private const int MaxDeviceIdLength = 200;

    /// <summary>The longest identifier list read back from a driver (REG_MULTI_SZ of IDs), in characters.</summary>
    private const int MaxIdListLength = 4096;

    /// <summary>
    /// PipEnumerateDevice: asks a started node's stack for its BusRelations. A PDO not seen before becomes a new
    /// child node (which keeps the reference the bus driver took for it) and is interrogated, given its drivers
    /// and started; a PDO already known just loses the extra reference; a child no longer reported was
    /// unplugged and is surprise-removed.
    /// </summary>
    private void EnumerateDevice(DEVICE_NODE node)
    {
        if (node.State != PNP_DEVNODE_STATE.DeviceNodeStarted)
        {
            return;
        }

        var status = SendPnp(node, IRP_MN_QUERY_DEVICE_RELATIONS, DEVICE_RELATION_TYPE.BusRelations,
            static (sl, type) => sl.Parameters.QueryDeviceRelations.Type = (int)type, out var information);
        if (!status.IsSuccess() || information == 0)
        {
            return;
        }

        var relations = new DEVICE_RELATIONS(information);
        var reported = new List<DEVICE_NODE>();
        var added = new List<DEVICE_NODE>();
        var count = relations.Count;
        for (var i = 0u; i < count; i++)
        {
            var pdo = relations[i];
            if (NodeOf(pdo) is { } known)
            {
                reported.Add(known);
                Io.DereferenceDevice(pdo);
                continue;
            }

            pdo.Flags |= DO_FLAGS.DO_BUS_ENUMERATED_DEVICE;
            var child = new DEVICE_NODE(node, pdo);
            lock (_lock)
            {
                node.Children.Add(child);
                _nodesByPdo[pdo.Address] = child;
            }

            reported.Add(child);
            added.Add(child);
        }

        Mm.FreePool(information, 0);
        foreach (var child in node.Children.ToArray())
        {
            if (!reported.Contains(child) && !child.Missing)
            {
                child.Missing = true;
                SurpriseRemoveDevice(child);
            }
        }

        foreach (var child in added)
        {
            ProcessNewDevice(child);
        }
    }

    /// <summary>
    /// A new device node: IopActionInterrogateDeviceStack (device ID, capabilities, instance ID, hardware and
    /// compatible IDs, boot configuration), its instance key written, then its drivers added and the device started.
    /// </summary>
    private void ProcessNewDevice(DEVICE_NODE node)
    {
        var deviceId = QueryId(node, BUS_QUERY_ID_TYPE.BusQueryDeviceID);
        if (deviceId is not [{ Length: > 0 and <= MaxDeviceIdLength } id] || id.Contains(' ', StringComparison.Ordinal))
        {
            node.InstancePath = $@"UNKNOWN\{node.PhysicalDeviceObject.Address:X}";
            node.Problem = CM_PROB.CM_PROB_FAILED_INSTALL;
            return;
        }

        node.CapabilityBits = QueryCapabilities(node, out var uniqueId);
        var instanceId = QueryId(node, BUS_QUERY_ID_TYPE.BusQueryInstanceID) is [{ } inst] ? inst : "0";
        if (!uniqueId)
        {
            // An instance ID unique only among its siblings is made unique system-wide with the parent's prefix.
            instanceId = $"{ParentIdPrefix(node.Parent!)}&{instanceId}";
        }

        node.InstancePath = $@"{id}\{instanceId}";
        node.HardwareIds = QueryId(node, BUS_QUERY_ID_TYPE.BusQueryHardwareIDs) ?? [];
        node.CompatibleIds = QueryId(node, BUS_QUERY_ID_TYPE.BusQueryCompatibleIDs) ?? [];
        if (SendPnp(node, IRP_MN_QUERY_RESOURCES, 0, null, out var bootConfiguration).IsSuccess() && bootConfiguration != 0)
        {
            node.BootResources = bootConfiguration;
        }

        node.SetState(PNP_DEVNODE_STATE.DeviceNodeInitialized);
        var device = InstallDevice(node);
        if (device is null || device.Service is not { Length: > 0 })
        {
            node.Problem = CM_PROB.CM_PROB_FAILED_INSTALL;
            return;
        }

        node.ServiceName = device.Service;
        if (!AddDevices(node, device))
        {
            return;
        }

        StartDevice(node);
    }

    /// <summary>
    /// Writes what the bus reported into the instance key (Enum\instance path), keeping what is there; a device
    /// without a Service is installed from the first driver package whose IDs match (hardware IDs first).
    /// </summary>
    private CmDeviceInstance? InstallDevice(DEVICE_NODE node)
    {
        var status = Cm.QueryDeviceInstance(node.InstancePath, out var existing);
        if (!status.IsSuccess() && status != NTSTATUS.STATUS_OBJECT_NAME_NOT_FOUND)
        {
            return null;
        }

        var device = (existing ?? new CmDeviceInstance { InstancePath = node.InstancePath }) with
        {
            HardwareIds = node.HardwareIds.Count > 0 ? node.HardwareIds : existing?.HardwareIds ?? [],
            CompatibleIds = node.CompatibleIds.Count > 0 ? node.CompatibleIds : existing?.CompatibleIds ?? [],
        };
        if (device.Service is null && MatchDriver(device) is { } package)
        {
            device = device with { Service = package.ServiceName, ClassGuid = device.ClassGuid ?? package.ClassGuid, Class = device.Class ?? package.ClassName };
        }

        if (!Cm.RegisterDeviceInstance(device).IsSuccess())
        {
            return null;
        }

        // Read back through the class key too: its UpperFilters and LowerFilters apply to every device of the class.
        return Cm.QueryDeviceInstance(node.InstancePath, out var installed).IsSuccess() ? installed : null;
    }

    private PnpDriverRegistration? MatchDriver(CmDeviceInstance device)
    {
        lock (_lock)
        {
            foreach (var id in device.HardwareIds.Concat(device.CompatibleIds))
            {
                foreach (var package in _catalog.Values)
                {
                    if (package.HardwareIds.Contains(id, StringComparer.OrdinalIgnoreCase))
                    {
                        return package;
                    }
                }
            }

            return null;
        }
    }

    /// <summary>
    /// PipCallDriverAddDevice: loads each driver of the stack and calls its AddDevice with the PDO, bottom first:
    /// the device's lower filters, the class's lower filters, the function driver, the device's upper filters,
    /// the class's upper filters. A driver that cannot load or whose AddDevice fails leaves the device not
    /// started, with its problem code, and what was stacked so far is removed again.
    /// </summary>
    private bool AddDevices(DEVICE_NODE node, CmDeviceInstance device)
    {
        foreach (var service in device.DriverStack)
        {
            var status = LoadService(service, out var driverObject);
            uint problem = 0;
            if (!status.IsSuccess())
            {
                problem = CM_PROB.CM_PROB_DRIVER_FAILED_LOAD;
            }
            else
            {
                status = Io.CallAddDevice(driverObject, node.PhysicalDeviceObject);
                if (!status.IsSuccess())
                {
                    problem = CM_PROB.CM_PROB_FAILED_ADD;
                }
            }

            if (problem != 0)
            {
                _machine.DebugPrint($"PnP: {node.InstancePath}: {service} {(problem == CM_PROB.CM_PROB_FAILED_ADD ? "AddDevice" : "load")} failed with {status.Describe()}");
                node.Problem = problem;
                if (node.StackServices.Count > 0)
                {
                    SendPnp(node, IRP_MN_REMOVE_DEVICE, 0, null, out _);
                }

                UnloadUnusedDrivers([.. node.StackServices, service]);
                node.StackServices.Clear();
                return false;
            }

            node.StackServices.Add(service);
        }

        node.SetState(PNP_DEVNODE_STATE.DeviceNodeDriversAdded);
        return true;
    }

    /// <summary>
    /// IRP_MN_START_DEVICE down the whole stack, with the device's resources (its boot configuration, raw, and
    /// translated: interrupts through the HAL's translator, memory as is) or NULL when it has none; then the started device's own bus
    /// is enumerated. A failed start removes the stack again (CM_PROB_FAILED_START).
    /// </summary>
    private void StartDevice(DEVICE_NODE node)
    {
        node.SetState(PNP_DEVNODE_STATE.DeviceNodeResourcesAssigned);
        ulong raw = 0;
        ulong translated = 0;
        if (node.BootResources != 0)
        {
            raw = CopyResourceList(node.BootResources);
            translated = CopyResourceList(node.BootResources);
            TranslateResources(translated);
            node.AllocatedResources = raw;
            node.AllocatedResourcesTranslated = translated;
        }

        node.SetState(PNP_DEVNODE_STATE.DeviceNodeStartPending);
        var status = SendPnp(node, IRP_MN_START_DEVICE, (raw, translated), static (sl, r) =>
        {
            sl.Parameters.StartDevice.AllocatedResources = r.raw;
            sl.Parameters.StartDevice.AllocatedResourcesTranslated = r.translated;
        }, out _);
        if (!status.IsSuccess())
        {
            _machine.DebugPrint($"PnP: {node.InstancePath}: IRP_MN_START_DEVICE failed with {status.Describe()}");
            node.Problem = CM_PROB.CM_PROB_FAILED_START;
            SendPnp(node, IRP_MN_REMOVE_DEVICE, 0, null, out _);
            node.SetState(PNP_DEVNODE_STATE.DeviceNodeRemoved);
            UnloadUnusedDrivers(node.StackServices);
            node.StackServices.Clear();
            return;
        }

        node.SetState(PNP_DEVNODE_STATE.DeviceNodeStarted);
        EnumerateDevice(node);
    }

    /// <summary>
    /// The HAL's resource translation (IopTranslateResourceList with the HAL's interrupt translator): a bus
    /// interrupt (Level and Vector the bus's line) becomes the system vector, its DIRQL as Level, and the
    /// processors it may run on, as HalGetInterruptVector gives them. Memory needs no translation here: the
    /// machine's buses decode physical addresses one to one. A line the HAL does not know stays as it is.
    /// </summary>
    private void TranslateResources(ulong list)
    {
        if (list == 0)
        {
            return;
        }

        var resources = new CM_RESOURCE_LIST(list);
        for (var i = 0u; i < resources.PartialCount; i++)
        {
            if (resources.TypeOf(i) != CM_RESOURCE_LIST.CmResourceTypeInterrupt)
            {
                continue;
            }

            var vector = _machine.Hal.GetInterruptVector(resources.InterfaceType, resources.BusNumber, resources.InterruptLevelOf(i),
                out var irql, out var affinity);
            if (vector != 0)
            {
                resources.SetInterrupt(i, irql, vector, affinity);
            }
        }
    }

    /// <summary>Sends an IRP_MJ_PNP request to the top of the node's stack and waits for it.</summary>
    private NTSTATUS SendPnp<TState>(DEVICE_NODE node, byte minorFunction, TState state, Action<IO_STACK_LOCATION, TState>? setUp,
        out ulong information)
    {
        var top = Io.GetAttachedDeviceReference(node.PhysicalDeviceObject);
        try
        {
            return Io.SendPnpIrp(top, minorFunction, state, setUp, out information);
        }
        finally
        {
            Io.DereferenceDevice(top);
        }
    }

    /// <summary>
    /// IRP_MN_QUERY_ID: the driver returns a NUL-terminated string (a REG_MULTI_SZ list for hardware and compatible
    /// IDs) in paged pool; the PnP manager reads it and frees it. Null when the stack gives none.
    /// </summary>
    private IReadOnlyList<string>? QueryId(DEVICE_NODE node, BUS_QUERY_ID_TYPE type)
    {
        var status = SendPnp(node, IRP_MN_QUERY_ID, type, static (sl, t) => sl.Parameters.QueryId.IdType = (int)t, out var buffer);
        if (!status.IsSuccess() || buffer == 0)
        {
            return null;
        }

        var multi = type is BUS_QUERY_ID_TYPE.BusQueryHardwareIDs or BUS_QUERY_ID_TYPE.BusQueryCompatibleIDs;
        var strings = new List<string>();
        var current = new System.Text.StringBuilder();
        for (var i = 0; i < MaxIdListLength; i++)
        {
            var c = (char)Mm.Read<ushort>(buffer + ((ulong)i * 2));
            if (c != '\0')
            {
                current.Append(c);
                continue;
            }

            if (current.Length == 0)
            {
                break;
            }

            strings.Add(current.ToString());
            current.Clear();
            if (!multi)
            {
                break;
            }
        }

        Mm.FreePool(buffer, 0);
        return strings;
    }

    /// <summary>
    /// IRP_MN_QUERY_CAPABILITIES with a DEVICE_CAPABILITIES the PnP manager owns: Size and Version 1 set, Address
    /// and UINumber -1, as the documented contract requires. Returns the capability bits.
    /// </summary>
    private uint QueryCapabilities(DEVICE_NODE node, out bool uniqueId)
    {
        uniqueId = false;
        var buffer = Mm.AllocatePool2(PoolFlags.POOL_FLAG_NON_PAGED, DEVICE_CAPABILITIES.SizeOf, TagPnp);
        if (buffer == 0)
        {
            return 0;
        }

        var caps = new DEVICE_CAPABILITIES(buffer)
        {
            Size = DEVICE_CAPABILITIES.SizeOf,
            Version = 1,
            AddressOnBus = uint.MaxValue,
            UINumber = uint.MaxValue,
        };
        var status = SendPnp(node, IRP_MN_QUERY_CAPABILITIES, buffer, static (sl, b) => sl.Parameters.DeviceCapabilities.Capabilities = b, out _);
        var bits = status.IsSuccess() ? caps.Bits : 0;
        uniqueId = status.IsSuccess() && caps.UniqueID;
        Mm.FreePool(buffer, TagPnp);
        return bits;
    }

    /// <summary>
    /// ParentIdPrefix: what makes a child's instance ID unique when its bus says it is not (UniqueID clear): the
    /// parent's level and a hash of its instance path, as "level&amp;hash&amp;0".
    /// </summary>
    private static string ParentIdPrefix(DEVICE_NODE parent)
    {
        var hash = 2166136261u;
        foreach (var c in parent.InstancePath.ToUpperInvariant())
        {
            hash = (hash ^ c) * 16777619u;
        }

        return string.Create(CultureInfo.InvariantCulture, $"{parent.Level + 1:x}&{hash:x8}&0");
    }
}
