using SharpNT.Kernel.Mm;
using static SharpNT.Kernel.Io.IRP_MN;

namespace SharpNT.Kernel.Pnp;

internal sealed partial class PnpManager
{
    /// <summary>Surprise-removed subtrees waiting for their last handle before IRP_MN_REMOVE_DEVICE.</summary>
    private readonly List<DEVICE_NODE> _pendingRemovals = [];

    /// <summary>
    /// A device its bus no longer reports: every started node of the subtree gets IRP_MN_SURPRISE_REMOVAL
    /// (children first) and waits in DeviceNodeRemovePendingCloses, its interfaces disabled; once no handle to
    /// any device of the subtree is open, IRP_MN_REMOVE_DEVICE follows and the nodes are deleted.
    /// </summary>
    private void SurpriseRemoveDevice(DEVICE_NODE node)
    {
        foreach (var n in node.PostOrder())
        {
            if (n.State is PNP_DEVNODE_STATE.DeviceNodeStarted or PNP_DEVNODE_STATE.DeviceNodeQueryRemoved)
            {
                SendPnp(n, IRP_MN_SURPRISE_REMOVAL, 0, null, out _);
                n.SetState(PNP_DEVNODE_STATE.DeviceNodeRemovePendingCloses);
            }

            DisableDeviceInterfaces(n);

            // No query for a device already gone: holders of file objects on it are told it is, and close them.
            NotifyTargetDevice(n, TARGET_DEVICE_REMOVAL_NOTIFICATION.GUID_TARGET_DEVICE_REMOVE_COMPLETE);
        }

        lock (_lock)
        {
            _pendingRemovals.Add(node);
        }

        CompletePendingRemovals();
    }

    /// <summary>Surprise-removed subtrees with no open handle left get IRP_MN_REMOVE_DEVICE, children first, and go.</summary>
    private void CompletePendingRemovals()
    {
        DEVICE_NODE[] pending;
        lock (_lock)
        {
            pending = [.. _pendingRemovals];
        }

        foreach (var node in pending)
        {
            var subtree = node.PostOrder().ToList();
            if (subtree.Any(n => OpenCount(n) > 0))
            {
                continue;
            }

            lock (_lock)
            {
                _pendingRemovals.Remove(node);
            }

            var services = new List<string>();
            foreach (var n in subtree)
            {
                services.AddRange(n.StackServices);
                services.Add(n.PhysicalDeviceObject.DriverObject.DriverName.Replace(@"\Driver\", "", StringComparison.Ordinal));
                SendPnp(n, IRP_MN_REMOVE_DEVICE, 0, null, out _);
                n.SetState(PNP_DEVNODE_STATE.DeviceNodeRemoved);
                DeleteNode(n);
            }

            UnloadUnusedDrivers(services);
        }
    }

    /// <summary>Handles open on the devices of a node's stack (each file object counts on the device it opened).</summary>
    internal int OpenCount(DEVICE_NODE node) => StackOf(node).Sum(d => d.ReferenceCount);

    /// <summary>Called by the I/O manager when a file object on <paramref name="device"/> goes (IopDeleteFile).</summary>
    internal void OnFileObjectClosed(Io.DEVICE_OBJECT device)
    {
        bool any;
        lock (_lock)
        {
            any = _pendingRemovals.Count > 0;
        }

        if (any && device.ReferenceCount == 0)
        {
            QueueWork(CompletePendingRemovals);
        }
    }

    /// <summary>
    /// An orderly removal (CM_Query_And_Remove_SubTree, "safely remove"): IRP_MN_QUERY_REMOVE_DEVICE to the node
    /// and every started node below it, children first; an open handle or a driver's failure vetoes it, and the
    /// nodes already asked get IRP_MN_CANCEL_REMOVE_DEVICE. Then IRP_MN_REMOVE_DEVICE, children first: the
    /// children go with their bus; the node itself stays in the tree, removed, as long as its bus reports it.
    /// </summary>
    internal NTSTATUS QueryRemoveAndRemoveDevice(DEVICE_NODE node)
    {
        var subtree = node.PostOrder().Where(n => n.State == PNP_DEVNODE_STATE.DeviceNodeStarted).ToList();

        // Holders of file objects on the devices are asked first: each closes its handle, or fails to veto.
        var notified = new List<DEVICE_NODE>();
        foreach (var n in subtree)
        {
            notified.Add(n);
            var (status, vetoer) = NotifyTargetDevice(n, TARGET_DEVICE_REMOVAL_NOTIFICATION.GUID_TARGET_DEVICE_QUERY_REMOVE);
            if (!status.IsSuccess())
            {
                CancelTargetNotifications(notified);
                _machine.DebugPrint($"PnP: removal of {node.InstancePath} vetoed by {vetoer} ({status.Describe()}, PNP_VetoDriver)");
                LastVeto = (PNP_VETO_TYPE.PNP_VetoDriver, vetoer ?? "");
                return NTSTATUS.STATUS_PLUGPLAY_QUERY_VETOED;
            }
        }

        if (subtree.FirstOrDefault(n => OpenCount(n) > 0) is { } open)
        {
            // PNP_VetoOutstandingOpen: a handle to the device is still open.
            CancelTargetNotifications(notified);
            _machine.DebugPrint($"PnP: removal of {node.InstancePath} vetoed: {open.InstancePath} has open handles (PNP_VetoOutstandingOpen)");
            LastVeto = (PNP_VETO_TYPE.PNP_VetoOutstandingOpen, open.InstancePath);
            return NTSTATUS.STATUS_PLUGPLAY_QUERY_VETOED;
        }

        var queried = new List<DEVICE_NODE>();
        foreach (var n in subtree)
        {
            var status = SendPnp(n, IRP_MN_QUERY_REMOVE_DEVICE, 0, null, out _);
            if (!status.IsSuccess())
            {
                foreach (var q in queried)
                {
                    SendPnp(q, IRP_MN_CANCEL_REMOVE_DEVICE, 0, null, out _);
                    q.SetState(PNP_DEVNODE_STATE.DeviceNodeStarted);
                }

                CancelTargetNotifications(notified);

                _machine.DebugPrint($"PnP: removal of {node.InstancePath} vetoed by {n.ServiceName ?? n.InstancePath} ({status.Describe()})");
                LastVeto = (PNP_VETO_TYPE.PNP_VetoDevice, n.InstancePath);
                return NTSTATUS.STATUS_PLUGPLAY_QUERY_VETOED;
            }

            n.SetState(PNP_DEVNODE_STATE.DeviceNodeQueryRemoved);
            queried.Add(n);
        }

        var services = new List<string>();
        foreach (var n in node.PostOrder().ToList())
        {
            services.AddRange(n.StackServices);
            if (n.State is PNP_DEVNODE_STATE.DeviceNodeQueryRemoved)
            {
                SendPnp(n, IRP_MN_REMOVE_DEVICE, 0, null, out _);
            }

            DisableDeviceInterfaces(n);
            n.SetState(PNP_DEVNODE_STATE.DeviceNodeRemoved);
            n.StackServices.Clear();
            NotifyTargetDevice(n, TARGET_DEVICE_REMOVAL_NOTIFICATION.GUID_TARGET_DEVICE_REMOVE_COMPLETE);
            if (n != node)
            {
                DeleteNode(n);
            }
        }

        UnloadUnusedDrivers(services);
        return NTSTATUS.STATUS_SUCCESS;
    }

    private void CancelTargetNotifications(IEnumerable<DEVICE_NODE> nodes)
    {
        foreach (var n in nodes)
        {
            NotifyTargetDevice(n, TARGET_DEVICE_REMOVAL_NOTIFICATION.GUID_TARGET_DEVICE_REMOVE_CANCELLED);
        }
    }

    /// <summary>Why the last orderly removal was vetoed, and which device vetoed it.</summary>
    internal (PNP_VETO_TYPE Type, string Name)? LastVeto { get; private set; }

    /// <summary>Takes a removed node out of the tree and drops the reference it held on its PDO.</summary>
    private void DeleteNode(DEVICE_NODE node)
    {
        ForgetDeviceInterfaces(node);
        lock (_lock)
        {
            // Target-device registrations end with their device (the driver was told GUID_TARGET_DEVICE_REMOVE_COMPLETE).
            foreach (var entry in _notifications.Where(e => e.TargetNode == node).ToList())
            {
                entry.Unregistered = true;
                _notifications.Remove(entry);
            }

            node.Parent?.Children.Remove(node);
            _nodesByPdo.Remove(node.PhysicalDeviceObject.Address);
            _pendingRemovals.Remove(node);
        }

        foreach (var list in new[] { node.BootResources, node.AllocatedResources, node.AllocatedResourcesTranslated })
        {
            if (list != 0)
            {
                Mm.FreePool(list, 0);
            }
        }

        node.BootResources = node.AllocatedResources = node.AllocatedResourcesTranslated = 0;
        node.SetState(PNP_DEVNODE_STATE.DeviceNodeDeleted);
        Io.DereferenceDevice(node.PhysicalDeviceObject);
    }

    /// <summary>A copy of a CM_RESOURCE_LIST in paged pool, owned by the PnP manager.</summary>
    private ulong CopyResourceList(ulong list)
    {
        var size = new CM_RESOURCE_LIST(list).SizeInBytes;
        var copy = Mm.AllocatePool2(PoolFlags.POOL_FLAG_PAGED, size, TagPnp);
        if (copy != 0)
        {
            var bytes = new byte[size];
            Mm.Read(list, bytes);
            Mm.Write(copy, (ReadOnlySpan<byte>)bytes);
        }

        return copy;
    }
}
