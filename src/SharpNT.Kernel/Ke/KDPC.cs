using System.Diagnostics;
using SharpNT.Kernel.Mm;

namespace SharpNT.Kernel.Ke;


/// <summary>
/// A deferred procedure call object. Queued on a processor's DPC queue; drained at DISPATCH_LEVEL when
/// that processor's IRQL drops below DISPATCH_LEVEL.
/// </summary>
[DebuggerDisplay("KDPC {RoutineName} queued={Queued}")]
public sealed class KDPC
{
    internal KDEFERRED_ROUTINE? DeferredRoutine { get; set; }

    internal object? DeferredContext { get; set; }

    internal object? SystemArgument1 { get; set; }

    internal object? SystemArgument2 { get; set; }

    internal KDPC_IMPORTANCE Importance { get; set; } = KDPC_IMPORTANCE.MediumImportance;

    /// <summary>-1: the processor that queues it; otherwise a processor number (KeSetTargetProcessorDpc).</summary>
    internal int TargetProcessor { get; set; } = -1;

    /// <summary>The processor whose queue holds it, or null (DpcData in KDPC).</summary>
    internal KPRCB? QueuedOn { get; set; }

    internal bool Queued => QueuedOn is not null;

    /// <summary>The module whose code initialised the DPC: its routine runs as that driver's code.</summary>
    internal LoadedModule? Module { get; set; }

    internal string RoutineName { get; set; } = "";

    internal ulong RoutineAddress { get; set; }
}
