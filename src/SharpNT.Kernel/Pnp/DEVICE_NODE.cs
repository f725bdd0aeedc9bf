using System.Diagnostics;
using SharpNT.Kernel.Io;

namespace SharpNT.Kernel.Pnp;

/// <summary>
/// A device node of the PnP manager's device tree (DEVICE_NODE, as !devnode shows it): one per device a bus
/// reported, holding its PDO, its place in the tree, its instance path and service, and its state. The device
/// objects stacked above the PDO are found through the PDO (AttachedDevice), as NT finds them.
/// </summary>
[DebuggerDisplay("DEVICE_NODE {InstancePath} {State}")]
internal sealed class DEVICE_NODE
{
    internal DEVICE_NODE(DEVICE_NODE? parent, DEVICE_OBJECT physicalDeviceObject)
    {
        Parent = parent;
        PhysicalDeviceObject = physicalDeviceObject;
        Level = parent is null ? 0 : parent.Level + 1;
    }

    internal DEVICE_NODE? Parent { get; }

    internal List<DEVICE_NODE> Children { get; } = [];

    /// <summary>The depth in the tree: 0 for the root node.</summary>
    internal int Level { get; }

    /// <summary>The bus driver's PDO (a reference the node holds until it is deleted).</summary>
    internal DEVICE_OBJECT PhysicalDeviceObject { get; }

    /// <summary>The device instance path, e.g. ROOT\BUSENUM\0000 (enumerator\device ID\instance ID).</summary>
    internal string InstancePath { get; set; } = "";

    /// <summary>The function driver's service name, or null while none is known.</summary>
    internal string? ServiceName { get; set; }

    internal PNP_DEVNODE_STATE State { get; private set; } = PNP_DEVNODE_STATE.DeviceNodeUninitialized;

    internal PNP_DEVNODE_STATE PreviousState { get; private set; } = PNP_DEVNODE_STATE.DeviceNodeUnspecified;

    /// <summary>CM_PROB_* when the node could not be started; 0 otherwise.</summary>
    internal uint Problem { get; set; }

    internal IReadOnlyList<string> HardwareIds { get; set; } = [];

    internal IReadOnlyList<string> CompatibleIds { get; set; } = [];

    /// <summary>The capability bits the stack answered IRP_MN_QUERY_CAPABILITIES with.</summary>
    internal uint CapabilityBits { get; set; }

    /// <summary>The bus driver no longer reports the device (it was unplugged).</summary>
    internal bool Missing { get; set; }

    /// <summary>The boot configuration the bus reported (IRP_MN_QUERY_RESOURCES): a CM_RESOURCE_LIST in pool, or 0.</summary>
    internal ulong BootResources { get; set; }

    /// <summary>The CM_RESOURCE_LIST the device was started with (raw), or 0 for none.</summary>
    internal ulong AllocatedResources { get; set; }

    /// <summary>The translated CM_RESOURCE_LIST the device was started with, or 0 for none.</summary>
    internal ulong AllocatedResourcesTranslated { get; set; }

    /// <summary>The services whose AddDevice built the stack, bottom first (filters and function driver).</summary>
    internal List<string> StackServices { get; } = [];

    internal void SetState(PNP_DEVNODE_STATE state)
    {
        PreviousState = State;
        State = state;
    }

    /// <summary>This node and every node below it, children before their parents (the order removal goes in).</summary>
    internal IEnumerable<DEVICE_NODE> PostOrder()
    {
        foreach (var child in Children.ToArray())
        {
            foreach (var node in child.PostOrder())
            {
                yield return node;
            }
        }

        yield return this;
    }
}
