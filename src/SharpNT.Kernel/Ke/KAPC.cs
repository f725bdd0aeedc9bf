using System.Diagnostics;
using SharpNT.Kernel.Mm;

namespace SharpNT.Kernel.Ke;

/// <summary>The routine a kernel APC runs, at APC_LEVEL in the context of its target thread.</summary>
public delegate void KKERNEL_ROUTINE(KAPC Apc, object? Context);

/// <summary>
/// An asynchronous procedure call: work that must run in the context of one particular thread, such as
/// the I/O manager's completion of a request in the thread (and so the process) that made it. A special
/// kernel APC runs as soon as its thread runs below APC_LEVEL, interrupting a wait if it must.
/// </summary>
[DebuggerDisplay("KAPC {RoutineName} inserted={Inserted}")]
public sealed class KAPC
{
    internal KTHREAD? Thread { get; set; }

    internal KKERNEL_ROUTINE? KernelRoutine { get; set; }

    internal object? Context { get; set; }

    internal bool Inserted { get; set; }

    internal LoadedModule? Module { get; set; }

    internal string RoutineName { get; set; } = "";

    internal ulong RoutineAddress { get; set; }
}
