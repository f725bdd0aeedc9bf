using SharpNT.Kernel.Ex;
using SharpNT.Kernel.Ke;

namespace SharpNT.Kernel.Ps;

/// <summary>
/// The thread services of user APCs, alerts and suspension: NtQueueApcThread, NtTestAlert, NtAlertThread,
/// NtSuspendThread and NtResumeThread.
/// </summary>
internal sealed partial class ProcessManager
{
    /// <summary>
    /// NtQueueApcThread: queues a user APC to a user thread (THREAD_SET_CONTEXT access). The thread calls
    /// <paramref name="apcRoutine"/> (a code address of its process, PPS_APC_ROUTINE) in user mode with the three
    /// arguments at its next alertable wait or NtTestAlert; if it ends first, the APC never runs. A system
    /// thread's handle is STATUS_INVALID_HANDLE; a thread that has left user mode for good,
    /// STATUS_UNSUCCESSFUL (KeInsertQueueApc refused it).
    /// </summary>
    internal NTSTATUS NtQueueApcThread(HANDLE threadHandle, ulong apcRoutine, ulong apcArgument1, ulong apcArgument2, ulong apcArgument3)
    {
        var current = _machine.Ke.CurrentThread;
        var target = current;
        if (threadHandle != HANDLE.CurrentThread)
        {
            var status = ObjectByHandle<KTHREAD>(threadHandle, AccessMask.THREAD_SET_CONTEXT, _machine.Ob.ThreadType, current.PreviousMode, out var named);
            if (!status.IsSuccess())
            {
                return status;
            }

            target = named;
        }

        if (target.Kind != ThreadKind.User)
        {
            return NTSTATUS.STATUS_INVALID_HANDLE;
        }

        // PspQueueApcSpecialApc: the kernel routine only frees the APC (here the collector does), as does the rundown.
        var apc = new KAPC();
        _machine.Ke.InitializeUserApc(apc, target, static (_, _) => { }, null, apcRoutine, apcArgument1, "PspQueueApcSpecialApc");
        apc.Module = _machine.Modules.Kernel;
        apc.RoutineAddress = _machine.Modules.Kernel.RoutineAddress("PspQueueApcSpecialApc");
        return _machine.Ke.InsertQueueApc(apc, apcArgument2, apcArgument3) ? NTSTATUS.STATUS_SUCCESS : NTSTATUS.STATUS_UNSUCCESSFUL;
    }

    /// <summary>
    /// NtTestAlert: a pending user-mode alert is consumed (STATUS_ALERTED); otherwise the caller's queued user
    /// APCs run on its return to user mode (STATUS_SUCCESS).
    /// </summary>
    internal NTSTATUS NtTestAlert()
    {
        var thread = _machine.Ke.CurrentThread;
        return _machine.Ke.TestAlertThread(thread, thread.PreviousMode) ? NTSTATUS.STATUS_ALERTED : NTSTATUS.STATUS_SUCCESS;
    }

    /// <summary>
    /// NtAlertThread (THREAD_ALERT access): a thread in an alertable user-mode wait leaves it with
    /// STATUS_ALERTED; otherwise the alert waits for its next alertable wait (or NtTestAlert).
    /// </summary>
    internal NTSTATUS NtAlertThread(HANDLE threadHandle)
    {
        var current = _machine.Ke.CurrentThread;
        var status = ThreadForService(threadHandle, AccessMask.THREAD_ALERT, current, out var target);
        if (!status.IsSuccess())
        {
            return status;
        }

        _machine.Ke.AlertThread(target, current.PreviousMode);
        return NTSTATUS.STATUS_SUCCESS;
    }

    /// <summary>
    /// NtSuspendThread (THREAD_SUSPEND_RESUME access): raises the thread's suspend count; the previous count goes
    /// to <paramref name="previousSuspendCount"/> (optional, a ULONG). The thread stops at its next return
    /// towards user mode (see KernelCore.SuspendThread). A count at MAXIMUM_SUSPEND_COUNT (127) is
    /// STATUS_SUSPEND_COUNT_EXCEEDED; another thread that is ending, STATUS_THREAD_IS_TERMINATING. System threads
    /// are not suspended from user mode (STATUS_ACCESS_DENIED).
    /// </summary>
    internal NTSTATUS NtSuspendThread(HANDLE threadHandle, ulong previousSuspendCount)
    {
        var current = _machine.Ke.CurrentThread;
        var status = SuspendResumePrologue(threadHandle, previousSuspendCount, current, out var target);
        if (!status.IsSuccess())
        {
            return status;
        }

        if (target != current && (target.TerminationPending || target.SignalState != 0))
        {
            return NTSTATUS.STATUS_THREAD_IS_TERMINATING;
        }

        int previous;
        try
        {
            previous = _machine.Ke.SuspendThread(target);
        }
        catch (NtException e)
        {
            return e.Status;
        }

        if (target != current && target.TerminationPending)
        {
            // Terminated meanwhile: the thread must still be able to leave (PsSuspendThread's KeForceResumeThread).
            _machine.Ke.ForceResumeThread(target);
            return NTSTATUS.STATUS_THREAD_IS_TERMINATING;
        }

        return WriteSuspendCount(previousSuspendCount, previous, current.PreviousMode);
    }

    /// <summary>
    /// NtResumeThread (THREAD_SUSPEND_RESUME access): lowers the thread's suspend count (a count of zero stays
    /// zero); the previous count goes to <paramref name="previousSuspendCount"/> (optional). The resume that
    /// brings it to zero lets the thread go on.
    /// </summary>
    internal NTSTATUS NtResumeThread(HANDLE threadHandle, ulong previousSuspendCount)
    {
        var current = _machine.Ke.CurrentThread;
        var status = SuspendResumePrologue(threadHandle, previousSuspendCount, current, out var target);
        if (!status.IsSuccess())
        {
            return status;
        }

        var previous = _machine.Ke.ResumeThread(target);
        return WriteSuspendCount(previousSuspendCount, previous, current.PreviousMode);
    }

    private NTSTATUS SuspendResumePrologue(HANDLE threadHandle, ulong previousSuspendCount, KTHREAD current, out KTHREAD target)
    {
        target = current;
        if (previousSuspendCount != 0)
        {
            try
            {
                Probe.ForWrite(_machine.Mm, previousSuspendCount, 4, 4, current.PreviousMode);
            }
            catch (NtException e)
            {
                return e.Status;
            }
        }

        var status = ThreadForService(threadHandle, AccessMask.THREAD_SUSPEND_RESUME, current, out target);
        if (status.IsSuccess() && target.Kind != ThreadKind.User)
        {
            status = NTSTATUS.STATUS_ACCESS_DENIED;
        }

        return status;
    }

    private NTSTATUS WriteSuspendCount(ulong previousSuspendCount, int previous, KPROCESSOR_MODE mode)
    {
        if (previousSuspendCount == 0)
        {
            return NTSTATUS.STATUS_SUCCESS;
        }

        try
        {
            _machine.Mm.Write(previousSuspendCount, (uint)previous, mode);
            return NTSTATUS.STATUS_SUCCESS;
        }
        catch (NtException e)
        {
            return e.Status;
        }
    }

    /// <summary>The thread a handle names (NtCurrentThread() is the caller), checked for <paramref name="access"/>.</summary>
    private NTSTATUS ThreadForService(HANDLE threadHandle, uint access, KTHREAD current, out KTHREAD target)
    {
        target = current;
        if (threadHandle == HANDLE.CurrentThread)
        {
            return NTSTATUS.STATUS_SUCCESS;
        }

        return ObjectByHandle(threadHandle, access, _machine.Ob.ThreadType, current.PreviousMode, out target);
    }
}
