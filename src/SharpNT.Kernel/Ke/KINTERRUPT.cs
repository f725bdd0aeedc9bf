using System.Diagnostics;
using SharpNT.Kernel.Mm;

namespace SharpNT.Kernel.Ke;

/// <summary>An interrupt service routine (KSERVICE_ROUTINE): runs at the device's IRQL; true if its device interrupted.</summary>
public delegate bool KSERVICE_ROUTINE(KINTERRUPT Interrupt, object? ServiceContext);

/// <summary>A routine run by KeSynchronizeExecution at the interrupt's SynchronizeIrql, under its spin lock.</summary>
public delegate bool KSYNCHRONIZE_ROUTINE(object? SynchronizeContext);

/// <summary>KINTERRUPT_MODE (wdm.h): how the interrupt line signals.</summary>
public enum KINTERRUPT_MODE
{
    LevelSensitive = 0,
    Latched = 1,
}

/// <summary>
/// An interrupt object (IoConnectInterrupt): the connection of a driver's ISR to a vector. The HAL's
/// interrupt controller delivers the vector at <see cref="Irql"/>; the kernel raises the processor to
/// <see cref="SynchronizeIrql"/>, takes <see cref="SpinLock"/> and calls the ISR (KiInterruptDispatch).
/// </summary>
[DebuggerDisplay("KINTERRUPT vector 0x{Vector,h} irql {Irql} {RoutineName}")]
public sealed class KINTERRUPT
{
    internal KSERVICE_ROUTINE ServiceRoutine { get; init; } = null!;

    internal object? ServiceContext { get; init; }

    /// <summary>The interrupt spin lock: the caller's (IoConnectInterrupt's SpinLock) or the object's own.</summary>
    internal KSPIN_LOCK SpinLock { get; init; } = null!;

    internal uint Vector { get; init; }

    internal byte Irql { get; init; }

    internal byte SynchronizeIrql { get; init; }

    internal KINTERRUPT_MODE Mode { get; init; }

    internal bool ShareVector { get; init; }

    internal ulong ProcessorEnableMask { get; init; }

    internal LoadedModule Module { get; init; } = null!;

    internal string RoutineName { get; init; } = "";

    internal ulong RoutineAddress { get; init; }

    internal bool Connected { get; set; }

    /// <summary>The address that stands for the object in bug check parameters.</summary>
    internal ulong Address { get; init; }

    /// <summary>How many times the ISR has been called (for the debugger and tests).</summary>
    internal long ServiceCount;
}
