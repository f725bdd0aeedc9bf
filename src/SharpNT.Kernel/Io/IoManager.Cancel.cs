using SharpNT.Kernel.Io.Layout;
using SharpNT.Kernel.Ke;

namespace SharpNT.Kernel.Io;

internal sealed partial class IoManager
{
    /// <summary>Serialises exchanges of IRP.CancelRoutine (an interlocked exchange on NT).</summary>
    private readonly object _cancelRoutineLock = new();

    /// <summary>IoAcquireCancelSpinLock: raises to DISPATCH_LEVEL and takes the system cancel lock.</summary>
    internal byte AcquireCancelSpinLock()
    {
        var thread = _machine.Ke.CurrentThread;
        return _machine.Ke.AcquireSpinLock(thread, CancelSpinLock);
    }

    /// <summary>IoReleaseCancelSpinLock: releases the cancel lock and returns to <paramref name="irql"/>.</summary>
    internal void ReleaseCancelSpinLock(byte irql)
    {
        var thread = _machine.Ke.CurrentThread;
        _machine.Ke.ReleaseSpinLock(thread, CancelSpinLock, irql);
    }

    /// <summary>
    /// IoSetCancelRoutine: atomically replaces the IRP's cancel routine and returns the previous one. A
    /// driver that gets null back from clearing it knows the cancel routine has run or is running.
    /// </summary>
    internal DRIVER_CANCEL? SetCancelRoutine(IRP irp, DRIVER_CANCEL? routine)
    {
        var module = _machine.Ke.CurrentModule();
        var address = Thunks.Register(module, routine);
        ulong previous;
        lock (_cancelRoutineLock)
        {
            previous = Mm.Read<ulong>(irp.Address + IrpLayout.CancelRoutine);
            Mm.Write(irp.Address + IrpLayout.CancelRoutine, address);
        }

        // The exchange is a point where another processor's cancel can slip in.
        _machine.Ke.Scheduler.SchedulingPoint(_machine.Ke.CurrentThread);
        return Thunks.Resolve<DRIVER_CANCEL>(previous);
    }

    /// <summary>
    /// IoCancelIrp: IRQL &lt;= DISPATCH_LEVEL. Sets Irp->Cancel and, if a cancel routine is set, clears it
    /// and calls it with the cancel spin lock held (the routine releases it with Irp->CancelIrql).
    /// Returns whether a cancel routine was called.
    /// </summary>
    internal bool CancelIrp(IRP irp)
    {
        var thread = _machine.Ke.CurrentThread;
        var irql = AcquireCancelSpinLock();
        irp.Cancel = true;
        Trace?.OnCancel(irp);
        _machine.Events.Record($"IoCancelIrp {irp}");
        ulong routine;
        lock (_cancelRoutineLock)
        {
            routine = Mm.Read<ulong>(irp.Address + IrpLayout.CancelRoutine);
            Mm.Write(irp.Address + IrpLayout.CancelRoutine, 0UL);
        }

        if (routine == 0)
        {
            ReleaseCancelSpinLock(irql);
            return false;
        }

        irp.CancelIrql = irql;
        var entry = Thunks.Describe(routine);
        if (entry?.Routine is not DRIVER_CANCEL cancel)
        {
            _machine.BugCheck.Raise(BugCheckCode.KMODE_EXCEPTION_NOT_HANDLED, (ulong)NTSTATUS.STATUS_ACCESS_VIOLATION, routine, 8, routine);
            return false;
        }

        var device = GetCurrentIrpStackLocation(irp).DeviceObject;
        thread.PushFrame(entry.Frame);
        try
        {
            cancel(device, irp);
        }
        finally
        {
            thread.PopFrame();
        }

        return true;
    }

    /// <summary>
    /// Cancels the threaded IRPs a thread still has outstanding (IoCancelThreadIo, used when a thread or
    /// process ends) and returns how many remain uncompleted.
    /// </summary>
    internal int CancelThreadIo(KTHREAD thread)
    {
        ulong[] pending;
        lock (thread.PendingIrpsLock)
        {
            pending = [.. thread.PendingIrps];
        }

        foreach (var irp in pending)
        {
            CancelIrp(new IRP(irp));
        }

        lock (thread.PendingIrpsLock)
        {
            return thread.PendingIrps.Count;
        }
    }
}
