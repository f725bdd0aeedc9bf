using SharpNT.Kernel.Mm;

namespace SharpNT.Kernel.Ke;

/// <summary>Everything a bug check records: what the blue screen shows and what a crash dump holds.</summary>
public sealed record BugCheckInfo
{
    public required uint Code { get; init; }

    public required ulong Parameter1 { get; init; }

    public required ulong Parameter2 { get; init; }

    public required ulong Parameter3 { get; init; }

    public required ulong Parameter4 { get; init; }

    /// <summary>The symbolic name of the stop code (bugcodes.h).</summary>
    public required string Name { get; init; }

    /// <summary>The image name of the driver at fault, or null when no driver code was on the stack.</summary>
    public string? FaultingModule { get; init; }

    /// <summary>The address of the faulting code and its module!routine form.</summary>
    public ulong FaultingAddress { get; init; }

    public string? FaultingSymbol { get; init; }

    public required int CrashingProcessor { get; init; }

    public required string CrashingThread { get; init; }

    public required long InterruptTime { get; init; }

    public required IReadOnlyList<ProcessorSnapshot> Processors { get; init; }

    public required IReadOnlyList<StackFrameSnapshot> Stack { get; init; }

    public required IReadOnlyList<ModuleSnapshot> Modules { get; init; }

    public required IReadOnlyList<PoolTagUsage> PoolUsage { get; init; }

    /// <summary>The buffers of the registered bug check callbacks (KeRegisterBugCheckCallback), for `!bugdump`.</summary>
    public IReadOnlyList<BugCheckCallbackData> CallbackData { get; init; } = [];

    /// <summary>The blue screen as text, first line "*** STOP: 0x000000XX (...)".</summary>
    public required string BlueScreen { get; init; }

    /// <summary>
    /// What the debugger reads of the machine (devices, drivers, namespace, IRPs, pool pages, verifier), captured
    /// when a dump is written; null in a dump written before dumps carried it.
    /// </summary>
    internal Kd.KdSnapshot? MachineState { get; init; }

    public ulong[] Parameters => [Parameter1, Parameter2, Parameter3, Parameter4];
}
