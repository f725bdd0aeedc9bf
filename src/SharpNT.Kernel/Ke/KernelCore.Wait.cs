using System.Diagnostics;

namespace SharpNT.Kernel.Ke;

internal sealed partial class KernelCore
{
    /// <summary>THREAD_WAIT_OBJECTS: waits on more objects than this need a caller-supplied wait block array.</summary>
    internal const int THREAD_WAIT_OBJECTS = 3;

    /// <summary>STATUS_WAIT_0: a wait satisfied by its first object (STATUS_WAIT_0 + n by object n).</summary>
    internal const NTSTATUS STATUS_WAIT_0 = NTSTATUS.STATUS_SUCCESS;

    /// <summary>STATUS_ABANDONED_WAIT_0: a wait satisfied by an abandoned mutex (+ n by object n).</summary>
    internal const NTSTATUS STATUS_ABANDONED_WAIT_0 = NTSTATUS.STATUS_ABANDONED;

    /// <summary>MAXIMUM_WAIT_OBJECTS: the most objects one wait can name.</summary>
    internal const int MAXIMUM_WAIT_OBJECTS = 64;

    /// <summary>
    /// KeWaitForSingleObject / KeWaitForMultipleObjects. IRQL rule (wdm.h): callers run at IRQL &lt;=
    /// DISPATCH_LEVEL, and at &lt;= APC_LEVEL unless the timeout is zero. A wait from a DPC routine is
    /// ATTEMPTED_SWITCH_FROM_DPC; any other wait at DISPATCH_LEVEL or above is IRQL_NOT_LESS_OR_EQUAL.
    /// </summary>
    /// <param name="timeout">Null: wait forever. Negative: relative, in 100 ns units. Positive: absolute system time.</param>
    internal NTSTATUS Wait(ReadOnlySpan<DispatcherObject> objects, WAIT_TYPE waitType, KWAIT_REASON reason,
        KPROCESSOR_MODE waitMode, bool alertable, long? timeout, KWAIT_BLOCK[]? waitBlockArray)
    {
        var thread = CurrentThread;
        ThrowIfStopping(thread);
        var prcb = thread.Processor!;
        var zeroTimeout = timeout == 0;
        CheckWaitIrql(thread, prcb, zeroTimeout, objects.Length > 0 ? objects[0] : null);
        if ((_machine.Options.Verifier.Flags & Vf.VerifierSettings.DeadlockDetection) != 0)
        {
            return VerifiedMutexWait(thread, objects, waitType, reason, waitMode, alertable, timeout, waitBlockArray);
        }

        return WaitChecked(thread, objects, waitType, reason, waitMode, alertable, timeout, waitBlockArray);
    }

    /// <summary>
    /// A wait under deadlock detection: each mutex among the objects is checked against the lock graph
    /// before the thread can block on it, and forgotten again if the wait ended without it.
    /// </summary>
    private NTSTATUS VerifiedMutexWait(KTHREAD thread, ReadOnlySpan<DispatcherObject> objects, WAIT_TYPE waitType, KWAIT_REASON reason,
        KPROCESSOR_MODE waitMode, bool alertable, long? timeout, KWAIT_BLOCK[]? waitBlockArray)
    {
        foreach (var o in objects)
        {
            if (o is KMUTEX m && m.OwnerThread != thread)
            {
                VerifierLockAcquiring(thread, ObjectAddress(o), recursive: true);
            }
        }

        var status = WaitChecked(thread, objects, waitType, reason, waitMode, alertable, timeout, waitBlockArray);
        foreach (var o in objects)
        {
            if (o is KMUTEX m && m.OwnerThread != thread)
            {
                VerifierLockReleased(thread, ObjectAddress(o), restoresIrql: false);
            }
        }

        return status;
    }

    private NTSTATUS WaitChecked(KTHREAD thread, ReadOnlySpan<DispatcherObject> objects, WAIT_TYPE waitType, KWAIT_REASON reason,
        KPROCESSOR_MODE waitMode, bool alertable, long? timeout, KWAIT_BLOCK[]? waitBlockArray)
    {
        var zeroTimeout = timeout == 0;

        if (objects.Length > MAXIMUM_WAIT_OBJECTS)
        {
            _machine.BugCheck.Raise(BugCheckCode.MAXIMUM_WAIT_OBJECTS_EXCEEDED, (ulong)objects.Length, 0, 0, 0);
        }

        KWAIT_BLOCK[] blocks;
        if (objects.Length > THREAD_WAIT_OBJECTS)
        {
            if (waitBlockArray is null || waitBlockArray.Length < objects.Length)
            {
                // KeWaitForMultipleObjects: more than THREAD_WAIT_OBJECTS needs a WaitBlockArray.
                _machine.BugCheck.Raise(BugCheckCode.MAXIMUM_WAIT_OBJECTS_EXCEEDED, (ulong)objects.Length, 0, 0, 0);
            }

            blocks = waitBlockArray!;
        }
        else
        {
            blocks = thread.OwnWaitBlocks;
        }

        // A relative timeout counts from the first attempt: a wait interrupted to run a kernel APC
        // resumes with what remains of it.
        long? dueTime = timeout is { } t0 && !zeroTimeout ? ToInterruptTime(t0) : null;
        while (true)
        {
            if (waitMode == KPROCESSOR_MODE.UserMode)
            {
                // A wait on the caller's behalf is where a terminated thread's exit APC takes it out.
                ExitIfTerminationRequested(thread);
            }

            var apcPending = false;
            lock (DispatcherLock)
            {
                if (TrySatisfyNowLocked(thread, objects, waitType, out var status))
                {
                    return status;
                }

                // An object already signaled satisfies the wait first; then a pending alert or user APC ends an
                // alertable wait before it can time out.
                var alerted = TestAlertabilityLocked(thread, alertable, waitMode);
                if (alerted != NTSTATUS.STATUS_PENDING)
                {
                    return alerted;
                }

                if (zeroTimeout || (dueTime is { } d && d <= InterruptTime))
                {
                    return NTSTATUS.STATUS_TIMEOUT;
                }

                // A kernel APC queued while this thread ran (by another processor's completion) is delivered
                // before the thread waits, as NT's wait does when it finds KernelApcPending below APC_LEVEL: the
                // APC may be what satisfies the wait.
                apcPending = KernelApcDeliverableInWait(thread, waitMode);
            }

            if (apcPending)
            {
                DeliverApcsIfPending(thread, normal: waitMode == KPROCESSOR_MODE.UserMode);
                continue;
            }

            lock (DispatcherLock)
            {
                if (TrySatisfyNowLocked(thread, objects, waitType, out var status))
                {
                    return status;
                }

                var alerted = TestAlertabilityLocked(thread, alertable, waitMode);
                if (alerted != NTSTATUS.STATUS_PENDING)
                {
                    return alerted;
                }

                if (KernelApcDeliverableInWait(thread, waitMode))
                {
                    continue;
                }

                for (var i = 0; i < objects.Length; i++)
                {
                    var wb = blocks[i];
                    wb.Thread = thread;
                    wb.Object = objects[i];
                    wb.WaitKey = i;
                    wb.WaitType = waitType;
                    objects[i].WaitList.Add(wb);
                }

                thread.WaitBlocks = blocks;
                thread.WaitCount = objects.Length;
                thread.WaitType = waitType;
                thread.WaitReason = reason;
                thread.WaitAlertable = alertable;
                thread.WaitMode = waitMode;
                thread.WaitActive = true;
                thread.WaitStatus = NTSTATUS.STATUS_PENDING;
                thread.State = KTHREAD_STATE.Waiting;
                if (dueTime is { } due)
                {
                    InsertTimerLocked(thread.WaitTimer, due, 0);
                }
            }

            _machine.Events.OnWait(thread, reason);
            Scheduler.Block(thread);
            if (thread.WaitStatus != NTSTATUS.STATUS_KERNEL_APC)
            {
                return thread.WaitStatus;
            }

            DeliverApcsIfPending(thread, normal: waitMode == KPROCESSOR_MODE.UserMode);
        }
    }

    /// <summary>KeDelayExecutionThread: a wait on nothing but the thread's own timer.</summary>
    internal NTSTATUS Delay(KPROCESSOR_MODE waitMode, bool alertable, long interval)
    {
        var thread = CurrentThread;
        ThrowIfStopping(thread);
        var prcb = thread.Processor!;
        CheckWaitIrql(thread, prcb, zeroTimeout: false, null);
        NTSTATUS alerted;
        if (interval == 0)
        {
            // A zero interval gives the processor to another ready thread, if any (Sleep(0)); an alertable one
            // first runs what is pending (SleepEx(0, TRUE)).
            if (waitMode == KPROCESSOR_MODE.UserMode)
            {
                ExitIfTerminationRequested(thread);
            }

            lock (DispatcherLock)
            {
                alerted = TestAlertabilityLocked(thread, alertable, waitMode);
            }

            if (alerted != NTSTATUS.STATUS_PENDING)
            {
                return alerted;
            }

            Scheduler.Yield(thread);
            return NTSTATUS.STATUS_SUCCESS;
        }

        var due = ToInterruptTime(interval);
        while (true)
        {
            if (waitMode == KPROCESSOR_MODE.UserMode)
            {
                ExitIfTerminationRequested(thread);
            }

            var apcPending = false;
            lock (DispatcherLock)
            {
                alerted = TestAlertabilityLocked(thread, alertable, waitMode);
                if (alerted != NTSTATUS.STATUS_PENDING)
                {
                    return alerted;
                }

                if (due <= InterruptTime)
                {
                    return NTSTATUS.STATUS_SUCCESS;
                }

                apcPending = KernelApcDeliverableInWait(thread, waitMode);
            }

            if (apcPending)
            {
                DeliverApcsIfPending(thread, normal: waitMode == KPROCESSOR_MODE.UserMode);
                continue;
            }

            lock (DispatcherLock)
            {
                alerted = TestAlertabilityLocked(thread, alertable, waitMode);
                if (alerted != NTSTATUS.STATUS_PENDING)
                {
                    return alerted;
                }

                if (due <= InterruptTime)
                {
                    return NTSTATUS.STATUS_SUCCESS;
                }

                if (KernelApcDeliverableInWait(thread, waitMode))
                {
                    continue;
                }

                thread.WaitBlocks = [];
                thread.WaitCount = 0;
                thread.WaitReason = KWAIT_REASON.DelayExecution;
                thread.WaitAlertable = alertable;
                thread.WaitMode = waitMode;
                thread.WaitActive = true;
                thread.WaitStatus = NTSTATUS.STATUS_PENDING;
                thread.State = KTHREAD_STATE.Waiting;
                InsertTimerLocked(thread.WaitTimer, due, 0);
            }

            _machine.Events.OnWait(thread, KWAIT_REASON.DelayExecution);
            Scheduler.Block(thread);
            if (thread.WaitStatus != NTSTATUS.STATUS_KERNEL_APC)
            {
                return thread.WaitStatus;
            }

            DeliverApcsIfPending(thread, normal: waitMode == KPROCESSOR_MODE.UserMode);
        }
    }

    /// <summary>A scheduling point with no wait (ZwYieldExecution).</summary>
    internal void YieldExecution()
    {
        var thread = CurrentThread;
        ThrowIfStopping(thread);
        if (thread.Processor!.Irql < Irql.DISPATCH_LEVEL)
        {
            Scheduler.Yield(thread);
        }
    }

    private void CheckWaitIrql(KTHREAD thread, KPRCB prcb, bool zeroTimeout, DispatcherObject? first)
    {
        var irql = prcb.Irql;
        if (irql <= Irql.APC_LEVEL || (zeroTimeout && irql == Irql.DISPATCH_LEVEL))
        {
            return;
        }

        if (prcb.DpcRoutineActive)
        {
            _machine.BugCheck.Raise(BugCheckCode.ATTEMPTED_SWITCH_FROM_DPC, thread.Address, prcb.IdleThread.Address,
                thread.Address + 0x38, 0);
        }

        var caller = thread.InnermostFrame()?.Address ?? 0;
        _machine.BugCheck.Raise(BugCheckCode.IRQL_NOT_LESS_OR_EQUAL, ObjectAddress(first), irql, 0, caller);
    }

    /// <summary>A stable address standing for a dispatcher object in bug check parameters.</summary>
    internal static ulong ObjectAddress(object? obj) =>
        obj is null ? 0 : 0xFFFFFA80_00000000UL | ((ulong)(uint)System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj) << 4);

    private static bool TrySatisfyNowLocked(KTHREAD thread, ReadOnlySpan<DispatcherObject> objects, WAIT_TYPE waitType, out NTSTATUS status)
    {
        if (waitType == WAIT_TYPE.WaitAny)
        {
            for (var i = 0; i < objects.Length; i++)
            {
                var obj = objects[i];
                if (obj.IsSignaledFor(thread))
                {
                    status = ConsumeForWait(obj, thread, i);
                    return true;
                }
            }
        }
        else
        {
            var all = objects.Length > 0;
            foreach (var obj in objects)
            {
                if (!obj.IsSignaledFor(thread))
                {
                    all = false;
                    break;
                }
            }

            if (all)
            {
                var abandoned = false;
                foreach (var obj in objects)
                {
                    abandoned |= ConsumeForWait(obj, thread, 0) != STATUS_WAIT_0;
                }

                status = abandoned ? STATUS_ABANDONED_WAIT_0 : STATUS_WAIT_0;
                return true;
            }
        }

        status = default;
        return false;
    }

    private static NTSTATUS ConsumeForWait(DispatcherObject obj, KTHREAD thread, int key)
    {
        var abandoned = obj is KMUTEX { Abandoned: true } m && m.OwnerThread is null;
        obj.Consume(thread);
        if (abandoned)
        {
            ((KMUTEX)obj).Abandoned = false;
            return (NTSTATUS)((uint)STATUS_ABANDONED_WAIT_0 + (uint)key);
        }

        return (NTSTATUS)((uint)STATUS_WAIT_0 + (uint)key);
    }

    /// <summary>
    /// The object became signaled: satisfy waits in arrival order while it stays signaled (a notification
    /// event releases all its waiters, a synchronization event one). Dispatcher lock held.
    /// Returns whether any thread was made ready.
    /// </summary>
    internal bool SignalObjectLocked(DispatcherObject obj)
    {
        Debug.Assert(DispatcherLock.IsHeldByCurrentThread);
        var readied = false;
        var i = 0;
        while (i < obj.WaitList.Count && obj.SignalState > 0)
        {
            var wb = obj.WaitList[i];
            var thread = wb.Thread!;
            if (wb.WaitType == WAIT_TYPE.WaitAny)
            {
                if (obj.IsSignaledFor(thread))
                {
                    var status = ConsumeForWait(obj, thread, wb.WaitKey);
                    CompleteWaitLocked(thread, status);
                    readied = true;
                    continue;
                }
            }
            else if (AllSignaledFor(thread))
            {
                var abandoned = false;
                for (var k = 0; k < thread.WaitCount; k++)
                {
                    abandoned |= ConsumeForWait(thread.WaitBlocks[k].Object!, thread, 0) != STATUS_WAIT_0;
                }

                CompleteWaitLocked(thread, abandoned ? STATUS_ABANDONED_WAIT_0 : STATUS_WAIT_0);
                readied = true;
                continue;
            }

            i++;
        }

        return readied;
    }

    private static bool AllSignaledFor(KTHREAD thread)
    {
        for (var k = 0; k < thread.WaitCount; k++)
        {
            if (!thread.WaitBlocks[k].Object!.IsSignaledFor(thread))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Ends a thread's wait with <paramref name="status"/> and makes it ready.</summary>
    internal void CompleteWaitLocked(KTHREAD thread, NTSTATUS status)
    {
        for (var k = 0; k < thread.WaitCount; k++)
        {
            var wb = thread.WaitBlocks[k];
            wb.Object!.WaitList.Remove(wb);
            wb.Object = null;
            wb.Thread = null;
        }

        thread.WaitCount = 0;
        if (thread.WaitTimer.Inserted)
        {
            RemoveTimerLocked(thread.WaitTimer);
        }

        thread.WaitActive = false;
        thread.WaitStatus = status;
        Scheduler.ReadyThreadLocked(thread);
    }

    /// <summary>After signaling: a thread made ready is a chance for the scheduler to switch.</summary>
    internal void AfterSignal(bool readied)
    {
        if (!readied)
        {
            return;
        }

        var thread = KTHREAD.Current;
        if (thread is not null && thread.Machine == _machine && thread.Kind != ThreadKind.Idle
            && thread.State == KTHREAD_STATE.Running && thread.Processor!.Irql < Irql.DISPATCH_LEVEL)
        {
            Scheduler.Yield(thread);
        }
    }

    // ---- Events, semaphores, mutexes -----------------------------------------------------------------

    internal static void InitializeEvent(KEVENT evt, EVENT_TYPE type, bool state)
    {
        evt.Type = type == EVENT_TYPE.SynchronizationEvent ? KObjectType.EventSynchronizationObject : KObjectType.EventNotificationObject;
        evt.SignalState = state ? 1 : 0;
        evt.WaitList.Clear();
    }

    internal int SetEvent(KEVENT evt)
    {
        bool readied;
        int previous;
        lock (DispatcherLock)
        {
            previous = evt.SignalState;
            evt.SignalState = 1;
            readied = SignalObjectLocked(evt);
        }

        AfterSignal(readied);
        return previous;
    }

    /// <summary>
    /// KeClearEvent: the event becomes not signaled. Unlike KeResetEvent it returns nothing and takes no
    /// lock (a plain store, as documented: the caller needs no previous state).
    /// </summary>
    internal static void ClearEvent(KEVENT evt) => evt.SignalState = 0;

    internal int ResetEvent(KEVENT evt)
    {
        lock (DispatcherLock)
        {
            var previous = evt.SignalState;
            evt.SignalState = 0;
            return previous;
        }
    }

    internal int PulseEvent(KEVENT evt)
    {
        bool readied;
        int previous;
        lock (DispatcherLock)
        {
            previous = evt.SignalState;
            evt.SignalState = 1;
            readied = SignalObjectLocked(evt);
            evt.SignalState = 0;
        }

        AfterSignal(readied);
        return previous;
    }

    internal static void InitializeSemaphore(KSEMAPHORE semaphore, int count, int limit)
    {
        semaphore.SignalState = count;
        semaphore.Limit = limit;
        semaphore.WaitList.Clear();
    }

    /// <summary>
    /// KeReleaseSemaphore: adds <paramref name="adjustment"/> to the count and returns the previous count.
    /// Passing the limit raises STATUS_SEMAPHORE_LIMIT_EXCEEDED, as the DDI documents.
    /// </summary>
    internal int ReleaseSemaphore(KSEMAPHORE semaphore, int adjustment)
    {
        bool readied;
        int previous;
        lock (DispatcherLock)
        {
            previous = semaphore.SignalState;
            if (adjustment <= 0 || (long)previous + adjustment > semaphore.Limit)
            {
                throw new NtException(NTSTATUS.STATUS_SEMAPHORE_LIMIT_EXCEEDED);
            }

            semaphore.SignalState = previous + adjustment;
            readied = SignalObjectLocked(semaphore);
        }

        AfterSignal(readied);
        return previous;
    }

    internal static void InitializeMutex(KMUTEX mutex)
    {
        mutex.SignalState = 1;
        mutex.OwnerThread = null;
        mutex.Abandoned = false;
        mutex.WaitList.Clear();
    }

    /// <summary>
    /// KeReleaseMutex: only the owner may release (THREAD_NOT_MUTEX_OWNER otherwise); the last release
    /// frees the mutex, re-enables kernel APCs and wakes the next waiter.
    /// </summary>
    internal int ReleaseMutex(KMUTEX mutex)
    {
        var thread = CurrentThread;
        bool readied = false;
        int previous;

        // Only the owner changes a mutex it owns, so this check needs no lock.
        if (mutex.OwnerThread != thread)
        {
            // THREAD_NOT_MUTEX_OWNER: (mutex, owning thread, current thread).
            _machine.BugCheck.Raise(BugCheckCode.THREAD_NOT_MUTEX_OWNER, ObjectAddress(mutex),
                mutex.OwnerThread?.Address ?? 0, thread.Address, 0);
        }

        lock (DispatcherLock)
        {
            previous = mutex.SignalState;
            mutex.SignalState++;
            if (mutex.SignalState == 1)
            {
                mutex.OwnerThread = null;
                thread.KernelApcDisable--;
                thread.OwnedMutexes.Remove(mutex);
                readied = SignalObjectLocked(mutex);
            }
        }

        if (mutex.SignalState == 1 && _machine.Options.Verifier.Flags != 0)
        {
            VerifierLockReleased(thread, ObjectAddress(mutex), restoresIrql: false);
        }

        AfterSignal(readied);
        return previous;
    }
}
