namespace SharpNT.Kernel.Ke;

internal sealed partial class KernelCore
{
    /// <summary>
    /// The alert and user-APC test a wait makes before it blocks (and again each time it is resumed to wait
    /// on): for an alertable wait, a pending alert for the wait's mode ends it with STATUS_ALERTED, a queued
    /// user APC ends a user-mode wait with STATUS_USER_APC (setting UserApcPending, so the return to user mode
    /// delivers it), and a pending kernel-mode alert ends it with STATUS_ALERTED; a non-alertable user-mode
    /// wait still ends with STATUS_USER_APC when delivery is already pending. STATUS_PENDING: the wait goes on.
    /// Dispatcher lock held.
    /// </summary>
    private static NTSTATUS TestAlertabilityLocked(KTHREAD thread, bool alertable, KPROCESSOR_MODE waitMode)
    {
        if (alertable)
        {
            if (thread.Alerted[(int)waitMode])
            {
                thread.Alerted[(int)waitMode] = false;
                return NTSTATUS.STATUS_ALERTED;
            }

            if (waitMode == KPROCESSOR_MODE.UserMode && thread.UserApcQueue.Count > 0)
            {
                thread.UserApcPending = true;
                return NTSTATUS.STATUS_USER_APC;
            }

            if (thread.Alerted[(int)KPROCESSOR_MODE.KernelMode])
            {
                thread.Alerted[(int)KPROCESSOR_MODE.KernelMode] = false;
                return NTSTATUS.STATUS_ALERTED;
            }
        }
        else if (waitMode == KPROCESSOR_MODE.UserMode && thread.UserApcPending)
        {
            return NTSTATUS.STATUS_USER_APC;
        }

        return NTSTATUS.STATUS_PENDING;
    }

    /// <summary>
    /// KeTestAlertThread: a pending alert for <paramref name="alertMode"/> is consumed (true); for user mode,
    /// queued user APCs become pending delivery on the return to user mode (NtTestAlert runs them).
    /// </summary>
    internal bool TestAlertThread(KTHREAD thread, KPROCESSOR_MODE alertMode)
    {
        lock (DispatcherLock)
        {
            var alerted = thread.Alerted[(int)alertMode];
            if (alerted)
            {
                thread.Alerted[(int)alertMode] = false;
            }
            else if (alertMode == KPROCESSOR_MODE.UserMode && thread.UserApcQueue.Count > 0)
            {
                thread.UserApcPending = true;
            }

            return alerted;
        }
    }

    /// <summary>
    /// KeAlertThread: a thread in an alertable wait whose mode the alert reaches (a kernel-mode alert reaches
    /// every wait, a user-mode alert only user-mode waits) leaves it with STATUS_ALERTED; otherwise the alert
    /// stays pending for its next alertable wait. Returns whether an alert for that mode was already pending.
    /// </summary>
    internal bool AlertThread(KTHREAD thread, KPROCESSOR_MODE alertMode)
    {
        lock (DispatcherLock)
        {
            var previous = thread.Alerted[(int)alertMode];
            if (!previous)
            {
                if (thread.State == KTHREAD_STATE.Waiting && thread.WaitActive && thread.WaitAlertable && alertMode <= thread.WaitMode)
                {
                    CompleteWaitLocked(thread, NTSTATUS.STATUS_ALERTED);
                }
                else
                {
                    thread.Alerted[(int)alertMode] = true;
                }
            }

            return previous;
        }
    }

    /// <summary>
    /// KiDeliverApc for user mode, at the end of a system service on the way back to user mode: with
    /// UserApcPending set, the first queued user APC leaves the queue, its kernel routine runs at APC_LEVEL,
    /// and the return goes to its normal routine in user mode first (<see cref="KTHREAD.UserApcToDispatch"/>:
    /// ntdll's KiUserApcDispatcher calls it, then continues with NtContinue, which tests for the next one). A
    /// kernel routine that clears the normal routine leaves nothing to call in user mode; the next APC is tested for.
    /// </summary>
    internal void DeliverUserApc(KTHREAD thread)
    {
        while (true)
        {
            KAPC? apc;
            lock (DispatcherLock)
            {
                if (!thread.UserApcPending)
                {
                    return;
                }

                thread.UserApcPending = false;
                if (!thread.UserApcQueue.TryDequeue(out apc))
                {
                    return;
                }

                apc.Inserted = false;
            }

            RunKernelRoutine(thread, apc);
            if (apc.NormalRoutine != 0)
            {
                thread.UserApcToDispatch = apc;
                return;
            }

            TestAlertThread(thread, KPROCESSOR_MODE.UserMode);
        }
    }

    /// <summary>
    /// The user-mode side of a thread's first entry to user mode (LdrInitializeThunk's NtTestAlert): user APCs
    /// queued before the thread first ran are called before its start routine. The kernel half runs here first:
    /// pending kernel APCs, the suspend APC of a thread created suspended among them, and a termination
    /// requested before the thread first ran.
    /// </summary>
    internal void EnterUserModeFirstTime(KTHREAD thread)
    {
        thread.InUserMode = false;
        try
        {
            DeliverApcsIfPending(thread, normal: true);
            ExitIfTerminationRequested(thread);
            TestAlertThread(thread, KPROCESSOR_MODE.UserMode);
            DeliverUserApc(thread);
        }
        finally
        {
            thread.InUserMode = true;
        }

        Ring3.DispatchUserApcs(thread);
    }

    /// <summary>
    /// PspExitThread's KeFlushQueueApc for user mode: once a thread's user code has ended, its queued user
    /// APCs never run; each one's rundown routine frees what it carries. No user APC can be queued afterwards.
    /// </summary>
    internal void FlushUserApcs(KTHREAD thread)
    {
        KAPC[] flushed;
        lock (DispatcherLock)
        {
            thread.ApcQueueable = false;
            flushed = [.. thread.UserApcQueue];
            thread.UserApcQueue.Clear();
            thread.UserApcPending = false;
            thread.UserApcToDispatch = null;
            foreach (var apc in flushed)
            {
                apc.Inserted = false;
            }
        }

        foreach (var apc in flushed)
        {
            apc.RundownRoutine?.Invoke(apc);
        }
    }
}
