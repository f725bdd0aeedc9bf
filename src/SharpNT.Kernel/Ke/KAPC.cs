using System.Diagnostics;
using SharpNT.Kernel.Mm;

namespace SharpNT.Kernel.Ke;

/// <summary>The routine a kernel APC runs, at APC_LEVEL in the context of its target thread.</summary>
public delegate void KKERNEL_ROUTINE(KAPC Apc, object? Context);

/// <summary>
/// A kernel-mode normal routine (PKNORMAL_ROUTINE): runs at PASSIVE_LEVEL in its thread, after the APC's
/// kernel routine, with NormalContext and the two system arguments.
/// </summary>
public delegate void KNORMAL_ROUTINE(ulong NormalContext, ulong SystemArgument1, ulong SystemArgument2);

/// <summary>
/// PKRUNDOWN_ROUTINE: what becomes of an APC still queued when its thread ends (PspExitThread flushes the
/// user-mode queue): it frees what the APC carries; the APC's routines never run.
/// </summary>
public delegate void KRUNDOWN_ROUTINE(KAPC Apc);

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

    /// <summary>KAPC.ApcMode: KernelMode (a special or normal kernel APC) or UserMode (runs in the thread's user code).</summary>
    internal KPROCESSOR_MODE ApcMode { get; set; }

    /// <summary>A kernel-mode APC's normal routine; null for a special kernel APC.</summary>
    internal KNORMAL_ROUTINE? KernelNormalRoutine { get; set; }

    /// <summary>A user-mode APC's normal routine: a code address in the target thread's process.</summary>
    internal ulong NormalRoutine { get; set; }

    internal ulong NormalContext { get; set; }

    internal ulong SystemArgument1 { get; set; }

    internal ulong SystemArgument2 { get; set; }

    internal KRUNDOWN_ROUTINE? RundownRoutine { get; set; }

    /// <summary>A normal kernel APC (delivered at PASSIVE_LEVEL outside critical regions) rather than a special one.</summary>
    internal bool IsNormalKernelApc => ApcMode == KPROCESSOR_MODE.KernelMode && KernelNormalRoutine is not null;
}
