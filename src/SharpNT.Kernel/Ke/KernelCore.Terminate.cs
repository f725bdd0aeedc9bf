namespace SharpNT.Kernel.Ke;

internal sealed partial class KernelCore
{
    /// <summary>
    /// PspTerminateThreadByPointer for a user thread other than the caller: records the exit status (the
    /// first request wins) and queues the exit APC, which wakes the thread if it waits. The thread leaves at
    /// its next safe point: a system call's entry or exit, a user-mode wait, or its next ring-3 access. As on
    /// NT, a thread blocked in a kernel-mode wait (inside a driver) ends only once that wait is over.
    /// Returns false if the thread has already ended.
    /// </summary>
    internal bool RequestTermination(KTHREAD target, NTSTATUS exitStatus)
    {
        lock (DispatcherLock)
        {
            if (target.State == KTHREAD_STATE.Terminated || target.SignalState != 0)
            {
                return false;
            }

            if (!target.TerminationPending)
            {
                target.TerminationStatus = exitStatus;
                target.TerminationPending = true;
            }
        }

        var apc = new KAPC();
        InitializeApc(apc, target, static (_, _) => { }, null, "PsExitSpecialApc");
        InsertQueueApc(apc);

        // A suspended thread must be able to leave (PspTerminateThreadByPointer's KeForceResumeThread).
        ForceResumeThread(target);
        return true;
    }

    /// <summary>
    /// The calling user thread ends now with <paramref name="exitStatus"/> (PspExitThread from
    /// NtTerminateThread or NtTerminateProcess on itself): the request stays recorded, so program code that
    /// catches every exception on the way out cannot keep the thread alive past its next safe point.
    /// </summary>
    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    internal static void ExitCurrentThread(KTHREAD thread, NTSTATUS exitStatus)
    {
        if (!thread.TerminationPending)
        {
            thread.TerminationStatus = exitStatus;
            thread.TerminationPending = true;
        }

        throw new ThreadExitException(thread.TerminationStatus);
    }

    /// <summary>
    /// The exit path of a terminated thread: at PASSIVE_LEVEL outside any critical region (where NT's exit
    /// APC can run), a thread whose termination was requested leaves with the requested status.
    /// </summary>
    internal static void ExitIfTerminationRequested(KTHREAD thread)
    {
        if (thread.TerminationPending && thread.Kind == ThreadKind.User && thread.KernelApcDisable == 0
            && thread.Processor is { Irql: Irql.PASSIVE_LEVEL })
        {
            throw new ThreadExitException(thread.TerminationStatus);
        }
    }
}
