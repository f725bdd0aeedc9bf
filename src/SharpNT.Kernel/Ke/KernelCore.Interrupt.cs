using SharpNT.Kernel.Mm;

namespace SharpNT.Kernel.Ke;

internal sealed partial class KernelCore
{
    /// <summary>Addresses for interrupt objects (KINTERRUPT is 0x100 bytes on x64), in a nonpaged range of their own.</summary>
    private ulong _nextInterruptAddress = 0xFFFFFA80_03F00000UL;

    /// <summary>
    /// IoConnectInterrupt's kernel half: an interrupt object for the ISR, run as code of the calling
    /// driver. Irql must not exceed SynchronizeIrql, both must be device IRQLs, and the enable mask must name
    /// a processor of this machine (STATUS_INVALID_PARAMETER otherwise, as documented).
    /// </summary>
    internal NTSTATUS ConnectInterrupt(out KINTERRUPT? interrupt, KSERVICE_ROUTINE serviceRoutine, object? serviceContext,
        KSPIN_LOCK? spinLock, uint vector, byte irql, byte synchronizeIrql, KINTERRUPT_MODE mode, bool shareVector,
        ulong processorEnableMask, string routineName)
    {
        interrupt = null;
        var allProcessors = Processors.Length >= 64 ? ulong.MaxValue : (1UL << Processors.Length) - 1;
        if (irql > synchronizeIrql || irql < Irql.FirstDeviceLevel || synchronizeIrql > Irql.LastDeviceLevel
            || (processorEnableMask & allProcessors) == 0 || irql != Hal.InterruptController.IrqlOfVector(vector))
        {
            return NTSTATUS.STATUS_INVALID_PARAMETER;
        }

        var module = CurrentModule();
        var ownLock = spinLock;
        if (ownLock is null)
        {
            ownLock = new KSPIN_LOCK();
            InitializeSpinLock(ownLock);
        }

        var created = new KINTERRUPT
        {
            ServiceRoutine = serviceRoutine,
            ServiceContext = serviceContext,
            SpinLock = ownLock,
            Vector = vector,
            Irql = irql,
            SynchronizeIrql = synchronizeIrql,
            Mode = mode,
            ShareVector = shareVector,
            ProcessorEnableMask = processorEnableMask,
            Module = module,
            RoutineName = routineName,
            RoutineAddress = module.RoutineAddress(routineName),
            Address = Interlocked.Add(ref _nextInterruptAddress, 0x100),
        };
        var status = _machine.Hal.Interrupts.Connect(created);
        if (status.IsSuccess())
        {
            interrupt = created;
        }

        return status;
    }

    /// <summary>Takes the interrupt spin lock; the caller is already at the interrupt's SynchronizeIrql.</summary>
    internal void AcquireInterruptSpinLockAtIrql(KINTERRUPT interrupt) =>
        AcquireAtDpcLevel(KTHREAD.Current!, CurrentPrcb, interrupt.SpinLock);

    internal void ReleaseInterruptSpinLockAtIrql(KINTERRUPT interrupt) => ReleaseFromDpcLevel(CurrentPrcb, interrupt.SpinLock);

    /// <summary>
    /// KeAcquireInterruptSpinLock: IRQL &lt;= the interrupt's SynchronizeIrql; raises to it, takes the
    /// interrupt spin lock and returns the previous IRQL.
    /// </summary>
    internal byte AcquireInterruptSpinLock(KINTERRUPT interrupt)
    {
        var prcb = CurrentPrcb;
        if (prcb.Irql > interrupt.SynchronizeIrql)
        {
            _machine.BugCheck.Raise(BugCheckCode.IRQL_NOT_LESS_OR_EQUAL, interrupt.SpinLock.Address, prcb.Irql, 1,
                CurrentThread.InnermostFrame()?.Address ?? 0);
        }

        var old = RaiseIrql(interrupt.SynchronizeIrql);
        AcquireInterruptSpinLockAtIrql(interrupt);
        return old;
    }

    /// <summary>KeReleaseInterruptSpinLock: releases the lock and lowers to the IRQL the acquire returned.</summary>
    internal void ReleaseInterruptSpinLock(KINTERRUPT interrupt, byte oldIrql)
    {
        ReleaseInterruptSpinLockAtIrql(interrupt);
        LowerIrql(oldIrql);
    }

    /// <summary>
    /// KeSynchronizeExecution: IRQL &lt;= DIRQL. Runs the routine at the interrupt's SynchronizeIrql under its
    /// spin lock, so that it cannot run at the same time as the ISR on any processor; returns its result.
    /// </summary>
    internal bool SynchronizeExecution(KINTERRUPT interrupt, KSYNCHRONIZE_ROUTINE routine, object? context, string routineName)
    {
        var old = AcquireInterruptSpinLock(interrupt);
        var thread = CurrentThread;
        var module = CurrentModule();
        thread.PushFrame(new CallFrame(module, module.RoutineAddress(routineName), routineName));
        try
        {
            return routine(context);
        }
        finally
        {
            thread.PopFrame();
            ReleaseInterruptSpinLock(interrupt, old);
        }
    }

    /// <summary>
    /// Takes the interrupts pending for an idle processor, on the calling host thread, in the processor's
    /// idle-thread context (as the idle loop would be interrupted), then its DPCs.
    /// </summary>
    internal void TakeInterruptsInIdleContext(KPRCB prcb)
    {
        var borrower = KTHREAD.Current;
        KTHREAD.Current = prcb.IdleThread;
        try
        {
            prcb.Irql = Irql.PASSIVE_LEVEL;
            _machine.Hal.Interrupts.Deliver(prcb);
            if (prcb.DpcQueueDepth > 0)
            {
                prcb.Irql = Irql.DISPATCH_LEVEL;
                RunDpcQueue(prcb);
                prcb.Irql = Irql.PASSIVE_LEVEL;
            }
        }
        finally
        {
            KTHREAD.Current = borrower;
        }
    }

    /// <summary>
    /// After the caller's processor lowered its IRQL or touched a device register: any interrupt pending
    /// above the processor's IRQL is taken now, as the processor would the moment it allows it.
    /// </summary>
    internal void TakePendingInterrupts(KPRCB prcb)
    {
        if (_machine.Hal.Interrupts.PendingIrql > prcb.Irql)
        {
            _machine.Hal.Interrupts.Deliver(prcb);
        }
    }
}
