using SharpNT.Kernel.Ke;
using SharpNT.Kernel.Mm;
using SharpNT.Kernel.Vf;

namespace SharpNT.Kernel.Kd;

/// <summary>A crash dump as a debugger target: what the dump recorded, nothing more.</summary>
internal sealed class DumpTarget(BugCheckInfo dump) : DebugTarget
{
    private KdSnapshot? State => dump.MachineState;

    internal override string Kind => "crash dump";

    internal override BugCheckInfo? BugCheck => dump;

    internal override IReadOnlyList<ModuleSnapshot> Modules => dump.Modules;

    internal override IReadOnlyList<ProcessorSnapshot> Processors => dump.Processors;

    internal override IReadOnlyList<StackFrameSnapshot> Stack => dump.Stack;

    internal override int CurrentProcessor => dump.CrashingProcessor;

    internal override IReadOnlyList<PoolTagUsage> PoolUsage => dump.PoolUsage;

    internal override IReadOnlyList<KdDriver>? Drivers => State?.Drivers;

    internal override IReadOnlyList<KdDevice>? Devices => State?.Devices;

    internal override IReadOnlyList<KdIrp>? Irps => State?.Irps;

    internal override IReadOnlyList<KdObject>? Objects => State?.Objects;

    internal override IReadOnlyList<KdPoolPage>? PoolPages => State?.PoolPages;

    internal override VerifierStatus? Verifier => State?.Verifier;

    internal override IReadOnlyList<KdDevNode>? DevNodes => State?.DevNodes;
}
