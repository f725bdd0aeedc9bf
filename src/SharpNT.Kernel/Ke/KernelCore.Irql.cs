using SharpNT.Kernel.Mm;

namespace SharpNT.Kernel.Ke;

internal sealed partial class KernelCore
{
    internal byte GetCurrentIrql() => CurrentPrcb.Irql;

    /// <summary>
    /// KeRaiseIrql: the new IRQL must not be below the current one ("If the new IRQL is less than the
    /// current IRQL, a bug check occurs"): IRQL_NOT_GREATER_OR_EQUAL with the current and requested IRQL.
    /// </summary>
    internal byte RaiseIrql(byte newIrql)
    {
        var prcb = CurrentPrcb;
        var old = prcb.Irql;
        if (newIrql < old || newIrql > Irql.HIGH_LEVEL)
        {
            _machine.BugCheck.Raise(BugCheckCode.IRQL_NOT_GREATER_OR_EQUAL, old, newIrql, 0, 0);
        }

        if (newIrql >= Irql.DISPATCH_LEVEL && old < Irql.DISPATCH_LEVEL && _machine.Options.Verifier.Flags != 0)
        {
            ForceIrqlChecking();
        }

        prcb.Irql = newIrql;
        _machine.Events.OnIrqlChanged(prcb, newIrql);
        return old;
    }

    /// <summary>
    /// KeLowerIrql: the new IRQL must not be above the current one; lowering below DISPATCH_LEVEL delivers
    /// the processor's queued DPCs first, at DISPATCH_LEVEL, as the pending software interrupt does.
    /// </summary>
    internal void LowerIrql(byte newIrql)
    {
        var prcb = CurrentPrcb;
        var current = prcb.Irql;
        if (newIrql > current)
        {
            _machine.BugCheck.Raise(BugCheckCode.IRQL_NOT_LESS_OR_EQUAL, current, newIrql, 0, 0);
        }

        if (newIrql < Irql.DISPATCH_LEVEL && current >= Irql.DISPATCH_LEVEL)
        {
            prcb.Irql = Irql.DISPATCH_LEVEL;
            if (prcb.DpcQueueDepth > 0 && !prcb.DpcRoutineActive)
            {
                RunDpcQueue(prcb);
            }
        }

        prcb.Irql = newIrql;
        _machine.Events.OnIrqlChanged(prcb, newIrql);

        // A device interrupt held off by the higher IRQL is taken as soon as the IRQL allows it.
        TakePendingInterrupts(prcb);
        if (newIrql < Irql.APC_LEVEL && current >= Irql.APC_LEVEL)
        {
            DeliverApcsIfPending(KTHREAD.Current!);
        }
    }

    /// <summary>
    /// Driver Verifier's force IRQL checking (0x2): when a verified driver raises to DISPATCH_LEVEL (or
    /// takes a spin lock), all pageable memory is trimmed first, so a touch of paged memory under the lock
    /// faults every time instead of only under memory pressure.
    /// </summary>
    internal void ForceIrqlChecking()
    {
        var verifier = _machine.Options.Verifier;
        if ((verifier.Flags & Vf.VerifierSettings.ForceIrqlChecking) == 0)
        {
            return;
        }

        if (KTHREAD.Current?.InnermostModule() is { } module && verifier.Applies(module.Name, Vf.VerifierSettings.ForceIrqlChecking))
        {
            _machine.Mm.TrimWorkingSet();
        }
    }

    /// <summary>Delivers the DPCs queued to the caller's processor (the caller runs below DISPATCH_LEVEL).</summary>
    internal void DrainDpcs(KPRCB prcb)
    {
        var old = prcb.Irql;
        prcb.Irql = Irql.DISPATCH_LEVEL;
        RunDpcQueue(prcb);
        prcb.Irql = old;
    }

    /// <summary>
    /// Runs an idle processor's DPCs on the calling host thread, in that processor's idle-thread context:
    /// the processor's idle loop, borrowed so that no host thread wakes for it.
    /// </summary>
    internal void DrainDpcsInIdleContext(KPRCB prcb)
    {
        var borrower = KTHREAD.Current;
        KTHREAD.Current = prcb.IdleThread;
        try
        {
            prcb.Irql = Irql.DISPATCH_LEVEL;
            RunDpcQueue(prcb);
            prcb.Irql = Irql.PASSIVE_LEVEL;
        }
        finally
        {
            KTHREAD.Current = borrower;
        }
    }

    /// <summary>Parallel mode: delivers DPCs queued to processors no thread holds.</summary>
    internal void DrainIdleProcessors()
    {
        if (Deterministic)
        {
            return;
        }

        foreach (var prcb in Processors)
        {
            if (prcb.DpcQueueDepth > 0 && prcb.CurrentThread is null && Scheduler.TryClaimIdleProcessor(prcb))
            {
                try
                {
                    DrainDpcsInIdleContext(prcb);
                }
                finally
                {
                    Scheduler.ReleaseIdleProcessor(prcb);
                }
            }
        }
    }

    private void RunDpcQueue(KPRCB prcb)
    {
        var thread = KTHREAD.Current!;
        while (true)
        {
            KDPC? dpc;
            lock (prcb.DpcLock)
            {
                dpc = prcb.DequeueDpc();
            }

            if (dpc is null)
            {
                return;
            }

            var routine = dpc.DeferredRoutine!;
            prcb.DpcRoutineActive = true;
            prcb.CurrentDpc = dpc;
            _machine.Events.OnDpc(prcb, dpc);
            var module = dpc.Module ?? _machine.Modules.Kernel;
            thread.PushFrame(new CallFrame(module, dpc.RoutineAddress, dpc.RoutineName));
            try
            {
                routine(dpc, dpc.DeferredContext, dpc.SystemArgument1, dpc.SystemArgument2);
            }
            catch (Exception e) when (e is not MachineHaltedException && NoteFault(thread, e))
            {
            }
            catch (Exception e) when (e is not MachineHaltedException)
            {
                // Nothing above a DPC can handle an exception: the trap handler's verdict.
                _machine.BugCheck.RaiseForUnhandledException(thread, e, BugCheckCode.KMODE_EXCEPTION_NOT_HANDLED);
            }
            finally
            {
                thread.PopFrame();
                prcb.DpcRoutineActive = false;
                prcb.CurrentDpc = null;
            }

            if (prcb.Irql != Irql.DISPATCH_LEVEL)
            {
                // A DPC routine must return at the IRQL it was called at (KiRetireDpcList's check).
                _machine.BugCheck.Raise(BugCheckCode.IRQL_UNEXPECTED_VALUE,
                    ((ulong)prcb.Irql << 16) | ((ulong)Irql.DISPATCH_LEVEL << 8) | 2,
                    dpc.RoutineAddress, 0, 0);
            }
        }
    }

    // ---- DPC objects ---------------------------------------------------------------------------------

    internal void InitializeDpc(KDPC dpc, KDEFERRED_ROUTINE routine, object? context, string routineName, LoadedModule? module)
    {
        dpc.DeferredRoutine = routine;
        dpc.DeferredContext = context;
        dpc.Module = module ?? CurrentModule();
        dpc.RoutineName = routineName;
        dpc.RoutineAddress = dpc.Module.RoutineAddress(routineName);
        dpc.Importance = KDPC_IMPORTANCE.MediumImportance;
        dpc.TargetProcessor = -1;
    }

    /// <summary>The module of the code calling into the kernel: the innermost frame of the current thread.</summary>
    internal LoadedModule CurrentModule()
    {
        var t = KTHREAD.Current;
        return t?.InnermostFrame()?.Module ?? _machine.Modules.Kernel;
    }

    /// <summary>
    /// KeInsertQueueDpc: queues the DPC on its target processor (by default the caller's). Returns false if
    /// it is already queued. Callable at any IRQL. A DPC queued to the caller's processor below
    /// DISPATCH_LEVEL runs at once, as the software interrupt it requests would.
    /// </summary>
    internal bool InsertQueueDpc(KDPC dpc, object? arg1, object? arg2)
    {
        var current = KTHREAD.Current;
        var here = current?.Machine == _machine ? current.Processor : null;
        var target = dpc.TargetProcessor >= 0 ? Processors[dpc.TargetProcessor] : here ?? Processors[0];
        lock (target.DpcLock)
        {
            if (dpc.Queued)
            {
                return false;
            }

            dpc.SystemArgument1 = arg1;
            dpc.SystemArgument2 = arg2;
            target.EnqueueDpc(dpc);
        }

        _machine.Events.OnDpcQueued(target, dpc);
        if (target == here && target.CurrentThread == current && target.Irql < Irql.DISPATCH_LEVEL && !target.DpcRoutineActive)
        {
            DrainDpcs(target);
        }
        else if (!Deterministic && target.CurrentThread is null)
        {
            DrainIdleProcessors();
        }

        return true;
    }

    /// <summary>KeRemoveQueueDpc: takes a queued DPC off its queue; false if it was not queued.</summary>
    internal bool RemoveQueueDpc(KDPC dpc)
    {
        var prcb = dpc.QueuedOn;
        if (prcb is null)
        {
            return false;
        }

        lock (prcb.DpcLock)
        {
            return prcb.RemoveDpc(dpc);
        }
    }
}
