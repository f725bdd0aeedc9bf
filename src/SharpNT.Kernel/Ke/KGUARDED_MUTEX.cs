namespace SharpNT.Kernel.Ke;

/// <summary>
/// A guarded mutex: a fast mutex that, instead of raising the IRQL, holds its owner in a guarded region
/// (KeEnterGuardedRegion), so that no kernel APC runs on the owner while it holds the mutex.
/// </summary>
public sealed class KGUARDED_MUTEX
{
    /// <summary>The gate waiters block on: a synchronization event, signaled while the mutex is free.</summary>
    internal KEVENT Gate { get; } = new();

    internal KTHREAD? Owner { get; set; }

    public uint Contention { get; internal set; }
}
