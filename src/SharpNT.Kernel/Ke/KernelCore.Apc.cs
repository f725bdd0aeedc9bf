namespace SharpNT.Kernel.Ke;

internal sealed partial class KernelCore
{
    internal void InitializeApc(KAPC apc, KTHREAD thread, KKERNEL_ROUTINE routine, object? context, string routineName)
    {
        apc.Thread = thread;
        apc.KernelRoutine = routine;
        apc.Context = context;
        apc.Module = CurrentModule();
        apc.RoutineName = routineName;
        apc.RoutineAddress = apc.Module.RoutineAddress(routineName);
        apc.Inserted = false;
    }

    /// <summary>
    /// KeInsertQueueApc for a special kernel APC: queues it to its thread. A waiting thread is woken to run
    /// it and then waits again; a running thread runs it when it next runs below APC_LEVEL. Returns false if
    /// the APC is already queued or its thread has ended.
    /// </summary>
    internal bool InsertQueueApc(KAPC apc)
    {
        var target = apc.Thread!;
        lock (DispatcherLock)
        {
            if (apc.Inserted || target.State == KTHREAD_STATE.Terminated)
            {
                return false;
            }

            apc.Inserted = true;
            target.KernelApcQueue.Enqueue(apc);
            if (target.State == KTHREAD_STATE.Waiting && target.WaitActive && target.SwitchIrql < Irql.APC_LEVEL
                && target.SpecialApcDisable == 0)
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

    /// <summary>Runs the calling thread's queued kernel APCs at APC_LEVEL (the caller runs at PASSIVE_LEVEL).</summary>
    internal void DeliverApcs(KTHREAD thread)
    {
        while (true)
        {
            KAPC? apc;
            lock (DispatcherLock)
            {
                if (!thread.KernelApcQueue.TryDequeue(out apc))
                {
                    return;
                }

                apc.Inserted = false;
            }

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
    }

    /// <summary>Delivers pending kernel APCs if the thread runs below APC_LEVEL.</summary>
    internal void DeliverApcsIfPending(KTHREAD thread)
    {
        // Inside a guarded region even special kernel APCs wait (KeEnterGuardedRegion).
        if (thread.KernelApcQueue.Count > 0 && thread.Kind != ThreadKind.Idle && thread.Processor!.Irql < Irql.APC_LEVEL
            && thread.SpecialApcDisable == 0)
        {
            DeliverApcs(thread);
        }
    }
}
