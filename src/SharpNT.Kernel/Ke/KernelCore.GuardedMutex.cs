namespace SharpNT.Kernel.Ke;

internal sealed partial class KernelCore
{
    /// <summary>Driver Verifier's DDI compliance rule IrqlExApcLte1 (ExAcquireFastMutex, ExTryToAcquireFastMutex).</summary>
    internal const ulong DdiRuleIrqlExApcLte1 = 0x20005;

    /// <summary>Driver Verifier's DDI compliance rule IrqlExApcLte3 (the ExAcquireResource* routines).</summary>
    internal const ulong DdiRuleIrqlExApcLte3 = 0x20007;

    /// <summary>
    /// The IRQL ceiling of a synchronization DDI (APC_LEVEL for fast mutexes, guarded mutexes and resources):
    /// above it, a driver under DDI compliance checking gets 0xC4 with the rule's code, any other caller
    /// IRQL_NOT_LESS_OR_EQUAL (0xA) with the object, the IRQL and the caller's address, the two bug checks
    /// the rule documents.
    /// </summary>
    internal void CheckIrqlAtMostApcLevel(object obj, ulong ddiRule)
    {
        var thread = CurrentThread;
        var irql = thread.Processor!.Irql;
        if (irql <= Irql.APC_LEVEL)
        {
            return;
        }

        if (VerifiesCallerFor(thread, Vf.VerifierSettings.DdiComplianceChecking))
        {
            _machine.BugCheck.Raise(BugCheckCode.DRIVER_VERIFIER_DETECTED_VIOLATION, ddiRule, ObjectAddress(obj), irql, 0);
        }

        _machine.BugCheck.Raise(BugCheckCode.IRQL_NOT_LESS_OR_EQUAL, ObjectAddress(obj), irql, 1, thread.InnermostFrame()?.Address ?? 0);
    }

    /// <summary>
    /// Takes the gate of a fast or guarded mutex for the calling thread: at once if it is free, else by
    /// waiting on it (a synchronization event, so one waiter passes per release). <paramref name="wait"/>
    /// false: only if free. The deadlock detector sees the acquisition first, so that a verified driver's
    /// second acquisition of its own mutex is 0xC4 0x1000 rather than a hang.
    /// </summary>
    internal bool AcquireGate(KEVENT gate, object owner, bool wait, ref uint contention)
    {
        var thread = CurrentThread;
        VerifierLockAcquiring(thread, ObjectAddress(owner), recursive: false);
        ReadOnlySpan<DispatcherObject> one = [gate];
        if (Wait(one, WAIT_TYPE.WaitAny, KWAIT_REASON.Executive, KPROCESSOR_MODE.KernelMode, false, 0, null) == NTSTATUS.STATUS_SUCCESS)
        {
            return true;
        }

        if (!wait)
        {
            VerifierLockReleased(thread, ObjectAddress(owner), restoresIrql: false);
            return false;
        }

        contention++;
        Wait(one, WAIT_TYPE.WaitAny, KWAIT_REASON.Executive, KPROCESSOR_MODE.KernelMode, false, null, null);
        return true;
    }

    /// <summary>Opens the gate of a fast or guarded mutex: one waiter, if any, passes.</summary>
    internal void ReleaseGate(KEVENT gate, object owner)
    {
        VerifierLockReleased(CurrentThread, ObjectAddress(owner), restoresIrql: false);
        SetEvent(gate);
    }

    internal static void InitializeGuardedMutex(KGUARDED_MUTEX mutex)
    {
        InitializeEvent(mutex.Gate, EVENT_TYPE.SynchronizationEvent, true);
        mutex.Owner = null;
        mutex.Contention = 0;
    }

    /// <summary>
    /// KeAcquireGuardedMutex: IRQL &lt;= APC_LEVEL; enters a guarded region and takes the mutex, waiting if
    /// another thread owns it. <paramref name="unsafeAcquire"/> (KeAcquireGuardedMutexUnsafe): the caller is
    /// already in a guarded region or at APC_LEVEL, and no region is entered.
    /// </summary>
    internal bool AcquireGuardedMutex(KGUARDED_MUTEX mutex, bool wait, bool unsafeAcquire)
    {
        CheckIrqlAtMostApcLevel(mutex, DdiRuleIrqlExApcLte1);
        if (!unsafeAcquire)
        {
            EnterGuardedRegion();
        }

        var contention = mutex.Contention;
        var acquired = AcquireGate(mutex.Gate, mutex, wait, ref contention);
        mutex.Contention = contention;
        if (!acquired)
        {
            if (!unsafeAcquire)
            {
                LeaveGuardedRegion();
            }

            return false;
        }

        mutex.Owner = CurrentThread;
        return true;
    }

    /// <summary>KeReleaseGuardedMutex: gives the mutex up and leaves the guarded region its acquisition entered.</summary>
    internal void ReleaseGuardedMutex(KGUARDED_MUTEX mutex, bool unsafeRelease)
    {
        mutex.Owner = null;
        ReleaseGate(mutex.Gate, mutex);
        if (!unsafeRelease)
        {
            LeaveGuardedRegion();
        }
    }
}
