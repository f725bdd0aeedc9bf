using SharpNT.Kernel.Vf;

namespace SharpNT.Kernel.Kd;

/// <summary>
/// The machine state a crash dump carries for the debugger: driver and device objects, the object
/// namespace, IRPs in flight, pool pages and the verifier's settings, as the live debugger reads them at
/// the moment of the bug check.
/// </summary>
internal sealed record KdSnapshot(
    IReadOnlyList<KdDriver> Drivers,
    IReadOnlyList<KdDevice> Devices,
    IReadOnlyList<KdIrp> Irps,
    IReadOnlyList<KdObject> Objects,
    IReadOnlyList<KdPoolPage> PoolPages,
    VerifierStatus Verifier)
{
    /// <summary>The PnP manager's device tree (null in a dump written before it was recorded).</summary>
    internal IReadOnlyList<KdDevNode>? DevNodes { get; init; }

    /// <summary>Reads the state of <paramref name="machine"/> through the live debugger's view (no faults, no references).</summary>
    internal static KdSnapshot Capture(Machine machine)
    {
        var live = new LiveTarget(machine);
        return new KdSnapshot(live.Drivers, live.Devices, live.Irps, live.Objects, live.PoolPages, live.Verifier) { DevNodes = live.DevNodes };
    }
}
