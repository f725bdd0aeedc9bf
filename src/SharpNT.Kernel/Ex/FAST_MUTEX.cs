using SharpNT.Kernel.Ke;

namespace SharpNT.Kernel.Ex;

/// <summary>
/// An executive fast mutex: one owner, not recursive, taken at APC_LEVEL (ExAcquireFastMutex raises to it
/// and keeps the caller's IRQL in OldIrql for ExReleaseFastMutex). A second acquisition by its owner
/// deadlocks, as on NT; Driver Verifier's deadlock detection reports it instead.
/// </summary>
public sealed class FAST_MUTEX
{
    /// <summary>The gate waiters block on: a synchronization event, signaled while the mutex is free.</summary>
    internal KEVENT Gate { get; } = new();

    internal KTHREAD? Owner { get; set; }

    /// <summary>Acquisitions that had to wait (FAST_MUTEX.Contention).</summary>
    public uint Contention { get; internal set; }

    internal byte OldIrql { get; set; }
}
