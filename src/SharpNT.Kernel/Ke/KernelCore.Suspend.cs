namespace SharpNT.Kernel.Ke;

internal sealed partial class KernelCore
{
    /// <summary>MAXIMUM_SUSPEND_COUNT: a thread cannot be suspended more often than this without a resume.</summary>
    internal const int MAXIMUM_SUSPEND_COUNT = 0x7F;

    /// <summary>
    /// KeSuspendThread: raises the thread's suspend count and returns the previous one. The first suspension
    /// queues the thread's suspend APC, a normal kernel APC whose routine (KiSuspendThread) waits on the
    /// thread's suspend semaphore: the thread stops where a normal kernel APC can run (at PASSIVE_LEVEL, outside
    /// critical regions; here at its next system-service entry or exit, user-mode wait or ring-3 instruction),
    /// never in the middle of kernel code. A count already at MAXIMUM_SUSPEND_COUNT raises
    /// STATUS_SUSPEND_COUNT_EXCEEDED. A thread that can no longer take APCs (it is ending) keeps its count.
    /// </summary>
    internal int SuspendThread(KTHREAD thread)
    {
        KAPC? toQueue = null;
        int previous;
        lock (DispatcherLock)
        {
            previous = thread.SuspendCount;
            if (previous == MAXIMUM_SUSPEND_COUNT)
            {
                throw new NtException(NTSTATUS.STATUS_SUSPEND_COUNT_EXCEEDED);
            }

            if (!thread.ApcQueueable || thread.State == KTHREAD_STATE.Terminated)
            {
                return previous;
            }

            thread.SuspendCount = previous + 1;
            if (previous == 0)
            {
                EnsureSuspendObjectsLocked(thread);
                if (thread.SuspendApc!.Inserted)
                {
                    // Resumed and suspended again before the APC ran: take back the resume's release.
                    thread.SuspendSemaphore!.SignalState--;
                }
                else
                {
                    toQueue = thread.SuspendApc;
                }
            }
        }

        if (toQueue is not null)
        {
            InsertQueueApc(toQueue);
        }

        return previous;
    }

    /// <summary>
    /// KeResumeThread: lowers the suspend count (if not zero) and returns the previous one; the resume that
    /// brings it to zero releases the suspend semaphore, and the thread goes on.
    /// </summary>
    internal int ResumeThread(KTHREAD thread) => Resume(thread, force: false);

    /// <summary>KeForceResumeThread: the suspend count drops to zero at once (a terminated thread must be able to leave).</summary>
    internal int ForceResumeThread(KTHREAD thread) => Resume(thread, force: true);

    private int Resume(KTHREAD thread, bool force)
    {
        var readied = false;
        int previous;
        lock (DispatcherLock)
        {
            previous = thread.SuspendCount;
            if (previous != 0)
            {
                thread.SuspendCount = force ? 0 : previous - 1;
                if (thread.SuspendCount == 0)
                {
                    readied = ReleaseSuspendLocked(thread);
                }
            }
        }

        AfterSignal(readied);
        return previous;
    }

    private bool ReleaseSuspendLocked(KTHREAD thread)
    {
        var semaphore = thread.SuspendSemaphore!;
        semaphore.SignalState++;
        return SignalObjectLocked(semaphore);
    }

    /// <summary>The suspend APC and semaphore (KeInitializeThread sets them up; here at the first suspension). Dispatcher lock held.</summary>
    private void EnsureSuspendObjectsLocked(KTHREAD thread)
    {
        if (thread.SuspendApc is not null)
        {
            return;
        }

        var semaphore = new KSEMAPHORE { Limit = 2 };
        thread.SuspendSemaphore = semaphore;
        var apc = new KAPC();
        InitializeNormalApc(apc, thread, static (_, _) => { }, (_, _, _) => SuspendWait(thread), 0, "KiSuspendThread");
        apc.Module = _machine.Modules.Kernel;
        apc.RoutineAddress = _machine.Modules.Kernel.RoutineAddress("KiSuspendThread");
        thread.SuspendApc = apc;
    }

    /// <summary>KiSuspendThread: the suspend APC's normal routine waits, in kernel mode, for the suspend semaphore.</summary>
    private void SuspendWait(KTHREAD thread) =>
        Wait([thread.SuspendSemaphore!], WAIT_TYPE.WaitAny, KWAIT_REASON.Suspended, KPROCESSOR_MODE.KernelMode, false, null, null);
}
