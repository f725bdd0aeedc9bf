namespace SharpNT.Kernel.Kd;

/// <summary>What !devnode shows of a device node: its PDO, depth, instance path, service, states and problem.</summary>
internal sealed record KdDevNode(
    ulong PhysicalDeviceObject,
    int Level,
    string InstancePath,
    string? ServiceName,
    int State,
    int PreviousState,
    uint Problem);
