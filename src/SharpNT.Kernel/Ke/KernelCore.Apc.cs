namespace SharpNT.Kernel.Ke;

internal sealed partial class KernelCore
{
    /// <summary>KeInitializeApc for a special kernel APC: a kernel routine and no normal routine.</summary>
    internal void InitializeApc(KAPC apc, KTHREAD thread, KKERNEL_ROUTINE routine, object? context, string routineName)
    {
        apc.Thread = thread;
        apc.KernelRoutine = routine;
        apc.Context = context;
        apc.Module = CurrentModule();
        apc.RoutineName = routineName;
        apc.RoutineAddress = apc.Module.RoutineAddress(routineName);
        apc.Inserted = false;
        apc.ApcMode = KPROCESSOR_MODE.KernelMode;
        apc.KernelNormalRoutine = null;
        apc.NormalRoutine = 0;
        apc.NormalContext = 0;
        apc.SystemArgument1 = 0;
        apc.SystemArgument2 = 0;
        apc.RundownRoutine = null;
    }

    /// <summary>
    /// KeInitializeApc for a normal kernel APC (ApcMode KernelMode with a NormalRoutine): the kernel routine
    /// runs at APC_LEVEL, then the normal routine at PASSIVE_LEVEL, when the thread runs at PASSIVE_LEVEL
    /// outside a critical region and no other normal kernel APC is in progress.
    /// </summary>
    internal void InitializeNormalApc(KAPC apc, KTHREAD thread, KKERNEL_ROUTINE kernelRoutine, KNORMAL_ROUTINE normalRoutine,
        ulong normalContext, string routineName)
    {
        InitializeApc(apc, thread, kernelRoutine, null, routineName);
        apc.KernelNormalRoutine = normalRoutine;
        apc.NormalContext = normalContext;
    }

    /// <summary>
    /// KeInitializeApc for a user-mode APC (ApcMode UserMode): <paramref name="normalRoutine"/> is a code
    /// address in the thread's process that the thread calls in user mode, with NormalContext and the two
    /// system arguments, on a return to user mode after an alertable wait (or NtTestAlert). The kernel routine
    /// runs first, at APC_LEVEL; the rundown routine instead of both if the thread ends first.
    /// </summary>
    internal void InitializeUserApc(KAPC apc, KTHREAD thread, KKERNEL_ROUTINE kernelRoutine, KRUNDOWN_ROUTINE? rundownRoutine,
        ulong normalRoutine, ulong normalContext, string routineName)
    {
        InitializeApc(apc, thread, kernelRoutine, null, routineName);
        apc.ApcMode = KPROCESSOR_MODE.UserMode;
        apc.RundownRoutine = rundownRoutine;
        apc.NormalRoutine = normalRoutine;
        apc.NormalContext = normalContext;
    }

    /// <summary>KeInsertQueueApc with its two system arguments (passed to the normal routine).</summary>
    internal bool InsertQueueApc(KAPC apc, ulong systemArgument1, ulong systemArgument2)
    {
        apc.SystemArgument1 = systemArgument1;
        apc.SystemArgument2 = systemArgument2;
        return InsertQueueApc(apc);
    }

    /// <summary>
    /// KeInsertQueueApc: queues the APC to its thread. A special kernel APC wakes a waiting thread below
    /// APC_LEVEL to run it (the wait then goes on) and runs at once if the caller is its thread. A normal
    /// kernel APC interrupts a user-mode wait at PASSIVE_LEVEL outside critical regions. A user APC ends an
    /// alertable user-mode wait with STATUS_USER_APC (UserApcPending: the thread runs it on its way back to user
    /// mode); otherwise it waits in the queue for the thread's next alertable wait or NtTestAlert. Returns
    /// false if the APC is already queued, its thread has ended, or (a user APC) its thread has left user mode
    /// for good.
    /// </summary>
    internal bool InsertQueueApc(KAPC apc)
    {
        var target = apc.Thread!;
        lock (DispatcherLock)
        {
            if (apc.Inserted || target.State == KTHREAD_STATE.Terminated
                || (!target.ApcQueueable && (apc.ApcMode == KPROCESSOR_MODE.UserMode || apc.IsNormalKernelApc)))
            {
                return false;
            }

            apc.Inserted = true;
            var waiting = target.State == KTHREAD_STATE.Waiting && target.WaitActive;
            if (apc.ApcMode == KPROCESSOR_MODE.UserMode)
            {
                target.UserApcQueue.Enqueue(apc);
                if (waiting && target.WaitMode == KPROCESSOR_MODE.UserMode && target.WaitAlertable)
                {
                    target.UserApcPending = true;
                    CompleteWaitLocked(target, NTSTATUS.STATUS_USER_APC);
                }

                return true;
            }

            if (apc.IsNormalKernelApc)
            {
                target.NormalKernelApcQueue.Enqueue(apc);
                if (waiting && target.WaitMode == KPROCESSOR_MODE.UserMode && target.SwitchIrql == Irql.PASSIVE_LEVEL
                    && target.KernelApcDisable == 0 && target.SpecialApcDisable == 0 && !target.KernelApcInProgress)
                {
                    CompleteWaitLocked(target, NTSTATUS.STATUS_KERNEL_APC);
                }

                return true;
            }

            target.KernelApcQueue.Enqueue(apc);
            if (waiting && target.SwitchIrql < Irql.APC_LEVEL && target.SpecialApcDisable == 0)
            {
                // The wait is interrupted with STATUS_KERNEL_APC; the wait routine delivers and waits again.
                CompleteWaitLocked(target, NTSTATUS.STATUS_KERNEL_APC);
            }
        }

        var current = KTHREAD.Current;
        if (current == target && current.Processor!.Irql < Irql.APC_LEVEL && current.SpecialApcDisable == 0)
        {
            DeliverApcs(current);
        }

        return true;
    }

    /// <summary>Runs the calling thread's queued special kernel APCs at APC_LEVEL (the caller runs below APC_LEVEL).</summary>
    internal void DeliverApcs(KTHREAD thread) => DeliverApcs(thread, normal: false);

    /// <summary>
    /// KiDeliverApc for kernel mode: the special kernel APCs first, each at APC_LEVEL; then, if
    /// <paramref name="normal"/> allows it here, the normal kernel APCs, each one's kernel routine at APC_LEVEL
    /// and its normal routine at PASSIVE_LEVEL, while the thread runs at PASSIVE_LEVEL with kernel APCs enabled.
    /// </summary>
    internal void DeliverApcs(KTHREAD thread, bool normal)
    {
        while (true)
        {
            KAPC? apc;
            lock (DispatcherLock)
            {
                if (thread.SpecialApcDisable != 0 || !thread.KernelApcQueue.TryDequeue(out apc))
                {
                    if (!normal || !NormalKernelApcDeliverable(thread) || !thread.NormalKernelApcQueue.TryDequeue(out apc))
                    {
                        return;
                    }
                }

                apc.Inserted = false;
            }

            RunKernelRoutine(thread, apc);
            if (apc.KernelNormalRoutine is { } normalRoutine)
            {
                RunNormalRoutine(thread, apc, normalRoutine);
            }
        }
    }

    /// <summary>An APC's kernel routine at APC_LEVEL, in a frame of its module; it must return at APC_LEVEL.</summary>
    private void RunKernelRoutine(KTHREAD thread, KAPC apc)
    {
        var prcb = thread.Processor!;
        var old = prcb.Irql;
        prcb.Irql = Irql.APC_LEVEL;
        thread.PushFrame(new CallFrame(apc.Module ?? _machine.Modules.Kernel, apc.RoutineAddress, apc.RoutineName));
        try
        {
            apc.KernelRoutine!(apc, apc.Context);
        }
        catch (Exception e) when (e is not MachineHaltedException && NoteFault(thread, e))
        {
        }
        catch (Exception e) when (e is not MachineHaltedException)
        {
            _machine.BugCheck.RaiseForUnhandledException(thread, e, BugCheckCode.KMODE_EXCEPTION_NOT_HANDLED);
        }
        finally
        {
            thread.PopFrame();
        }

        if (prcb.Irql != Irql.APC_LEVEL)
        {
            // An APC routine must return at APC_LEVEL (IRQL_UNEXPECTED_VALUE, unique value 0).
            _machine.BugCheck.Raise(BugCheckCode.IRQL_UNEXPECTED_VALUE,
                ((ulong)prcb.Irql << 16) | ((ulong)Irql.APC_LEVEL << 8), apc.RoutineAddress, 0, 0);
        }

        prcb.Irql = old;
    }

    /// <summary>A normal kernel APC's normal routine at PASSIVE_LEVEL, with KernelApcInProgress set.</summary>
    private void RunNormalRoutine(KTHREAD thread, KAPC apc, KNORMAL_ROUTINE normalRoutine)
    {
        thread.KernelApcInProgress = true;
        thread.PushFrame(new CallFrame(apc.Module ?? _machine.Modules.Kernel, apc.RoutineAddress, apc.RoutineName));
        try
        {
            normalRoutine(apc.NormalContext, apc.SystemArgument1, apc.SystemArgument2);
        }
        catch (Exception e) when (e is not MachineHaltedException and not ThreadExitException && NoteFault(thread, e))
        {
        }
        catch (Exception e) when (e is not MachineHaltedException and not ThreadExitException)
        {
            _machine.BugCheck.RaiseForUnhandledException(thread, e, BugCheckCode.KMODE_EXCEPTION_NOT_HANDLED);
        }
        finally
        {
            thread.PopFrame();
            thread.KernelApcInProgress = false;
        }
    }

    /// <summary>
    /// Whether a normal kernel APC can run now: one is queued, PASSIVE_LEVEL, outside critical and guarded
    /// regions, none in progress.
    /// </summary>
    private static bool NormalKernelApcDeliverable(KTHREAD thread) =>
        thread.NormalKernelApcQueue.Count > 0 && thread.Processor!.Irql == Irql.PASSIVE_LEVEL && thread.KernelApcDisable == 0
        && thread.SpecialApcDisable == 0 && !thread.KernelApcInProgress;

    /// <summary>Delivers pending special kernel APCs if the thread runs below APC_LEVEL.</summary>
    internal void DeliverApcsIfPending(KTHREAD thread)
    {
        // Inside a guarded region even special kernel APCs wait (KeEnterGuardedRegion).
        if (thread.Kind != ThreadKind.Idle && SpecialKernelApcDeliverable(thread))
        {
            DeliverApcs(thread);
        }
    }

    /// <summary>
    /// Delivers pending kernel APCs, the normal ones included where they may run: at the points where a thread
    /// stands between user mode and the kernel (system service entry and exit, a user-mode wait, a ring-3
    /// instruction), never in the middle of kernel code that might hold what another thread needs.
    /// </summary>
    internal void DeliverApcsIfPending(KTHREAD thread, bool normal)
    {
        if (thread.Kind == ThreadKind.Idle)
        {
            return;
        }

        if (SpecialKernelApcDeliverable(thread) || (normal && NormalKernelApcDeliverable(thread)))
        {
            DeliverApcs(thread, normal);
        }
    }

    /// <summary>Whether a wait in <paramref name="waitMode"/> must step aside for a kernel APC before it blocks.</summary>
    private static bool KernelApcDeliverableInWait(KTHREAD thread, KPROCESSOR_MODE waitMode) =>
        SpecialKernelApcDeliverable(thread) || (waitMode == KPROCESSOR_MODE.UserMode && NormalKernelApcDeliverable(thread));

    /// <summary>Whether a special kernel APC can run now: one is queued, below APC_LEVEL, outside guarded regions.</summary>
    private static bool SpecialKernelApcDeliverable(KTHREAD thread) =>
        thread.KernelApcQueue.Count > 0 && thread.Processor!.Irql < Irql.APC_LEVEL && thread.SpecialApcDisable == 0;
}
