using SharpNT.Kernel.Io;

namespace SharpNT.Kernel.Pnp;

/// <summary>
/// A driver package the machine knows: the service a driver is installed as, how to make its image, and the
/// hardware IDs its INF names (the models section). When a device node has no Service yet, the PnP manager
/// plays device installation: the first registration matching one of the device's hardware IDs, then one of
/// its compatible IDs, gives the node its Service and setup class in the registry.
/// </summary>
public sealed record PnpDriverRegistration
{
    /// <summary>The service name (Services\Name, \Driver\Name).</summary>
    public required string ServiceName { get; init; }

    /// <summary>Makes a fresh image each time the driver is loaded (a driver can be unloaded and loaded again).</summary>
    public required Func<DriverImage> CreateImage { get; init; }

    /// <summary>The hardware or compatible IDs the driver is installed for; empty for a filter.</summary>
    public IReadOnlyList<string> HardwareIds { get; init; } = [];

    /// <summary>The setup class GUID written as ClassGUID of a device installed with this driver, e.g. {B85B7C50-...}.</summary>
    public string? ClassGuid { get; init; }

    /// <summary>The setup class name written as Class.</summary>
    public string? ClassName { get; init; }
}
