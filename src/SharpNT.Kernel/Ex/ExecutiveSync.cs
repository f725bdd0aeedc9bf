using SharpNT.Kernel.Ke;

namespace SharpNT.Kernel.Ex;

/// <summary>
/// The executive's synchronization support for drivers: fast mutexes and resources (ERESOURCE), built on
/// the kernel's dispatcher objects and IRQL as NT builds them.
/// </summary>
internal sealed partial class ExecutiveSync(Machine machine)
{
    private KernelCore Ke => machine.Ke;

    /// <summary>Stands for the 16-byte compare-exchange with which NT updates an SLIST_HEADER.</summary>
    internal Lock SListAtomic { get; } = new();

    internal static void InitializeFastMutex(FAST_MUTEX mutex)
    {
        KernelCore.InitializeEvent(mutex.Gate, EVENT_TYPE.SynchronizationEvent, true);
        mutex.Owner = null;
        mutex.Contention = 0;
    }

    /// <summary>
    /// ExAcquireFastMutex / ExTryToAcquireFastMutex: IRQL &lt;= APC_LEVEL; raises to APC_LEVEL, takes the
    /// mutex (waiting for it when <paramref name="wait"/>), and keeps the previous IRQL for the release.
    /// </summary>
    internal bool AcquireFastMutex(FAST_MUTEX mutex, bool wait)
    {
        Ke.CheckIrqlAtMostApcLevel(mutex, KernelCore.DdiRuleIrqlExApcLte1);
        var old = Ke.RaiseIrql(Irql.APC_LEVEL);
        var contention = mutex.Contention;
        var acquired = Ke.AcquireGate(mutex.Gate, mutex, wait, ref contention);
        mutex.Contention = contention;
        if (!acquired)
        {
            Ke.LowerIrql(old);
            return false;
        }

        mutex.Owner = Ke.CurrentThread;
        mutex.OldIrql = old;
        return true;
    }

    /// <summary>ExReleaseFastMutex: at APC_LEVEL; frees the mutex and returns to the IRQL its acquisition saved.</summary>
    internal void ReleaseFastMutex(FAST_MUTEX mutex)
    {
        var old = mutex.OldIrql;
        mutex.Owner = null;
        Ke.ReleaseGate(mutex.Gate, mutex);
        Ke.LowerIrql(old);
    }

    /// <summary>
    /// ExAcquireFastMutexUnsafe: the caller already keeps APCs away (a critical region, or APC_LEVEL), so the
    /// IRQL is left as it is.
    /// </summary>
    internal void AcquireFastMutexUnsafe(FAST_MUTEX mutex)
    {
        var contention = mutex.Contention;
        Ke.AcquireGate(mutex.Gate, mutex, wait: true, ref contention);
        mutex.Contention = contention;
        mutex.Owner = Ke.CurrentThread;
    }

    /// <summary>ExReleaseFastMutexUnsafe: frees a mutex taken by ExAcquireFastMutexUnsafe; the IRQL is left as it is.</summary>
    internal void ReleaseFastMutexUnsafe(FAST_MUTEX mutex)
    {
        mutex.Owner = null;
        Ke.ReleaseGate(mutex.Gate, mutex);
    }
}
