using SharpNT.Kernel.Ke;

namespace SharpNT.Kernel.Io;

internal sealed partial class IoManager
{
    /// <summary>DriverContext slot in which a queued IRP remembers its queue (or its IO_CSQ_IRP_CONTEXT).</summary>
    private const int CsqSlot = 3;

    private DRIVER_CANCEL? _csqCancelRoutine;

    internal NTSTATUS CsqInitialize(IO_CSQ csq, IO_CSQ_INSERT_IRP insert, IO_CSQ_REMOVE_IRP remove, IO_CSQ_PEEK_NEXT_IRP peek,
        IO_CSQ_ACQUIRE_LOCK acquire, IO_CSQ_RELEASE_LOCK release, IO_CSQ_COMPLETE_CANCELED_IRP complete)
    {
        csq.InsertIrp = insert;
        csq.InsertIrpEx = null;
        csq.RemoveIrp = remove;
        csq.PeekNextIrp = peek;
        csq.AcquireLock = acquire;
        csq.ReleaseLock = release;
        csq.CompleteCanceledIrp = complete;
        csq.Module = _machine.Ke.CurrentModule();
        return NTSTATUS.STATUS_SUCCESS;
    }

    /// <summary>IoCsqInitializeEx: a queue whose insert routine may refuse an IRP (IoCsqInsertIrpEx).</summary>
    internal NTSTATUS CsqInitializeEx(IO_CSQ csq, IO_CSQ_INSERT_IRP_EX insert, IO_CSQ_REMOVE_IRP remove, IO_CSQ_PEEK_NEXT_IRP peek,
        IO_CSQ_ACQUIRE_LOCK acquire, IO_CSQ_RELEASE_LOCK release, IO_CSQ_COMPLETE_CANCELED_IRP complete)
    {
        CsqInitialize(csq, null!, remove, peek, acquire, release, complete);
        csq.InsertIrp = null;
        csq.InsertIrpEx = insert;
        return NTSTATUS.STATUS_SUCCESS;
    }

    /// <summary>
    /// IoCsqInsertIrp: queues the IRP (marked pending) with the queue's cancel routine set. An IRP whose
    /// cancellation began before the routine was set is taken back out and completed as cancelled.
    /// </summary>
    internal void CsqInsertIrp(IO_CSQ csq, IRP irp, IO_CSQ_IRP_CONTEXT? context) => CsqInsertIrpEx(csq, irp, context, null);

    /// <summary>
    /// IoCsqInsertIrpEx: as IoCsqInsertIrp, but a queue initialized with IoCsqInitializeEx may refuse the IRP:
    /// its CsqInsertIrpEx status is returned, and a refused IRP is neither queued nor marked pending.
    /// </summary>
    internal NTSTATUS CsqInsertIrpEx(IO_CSQ csq, IRP irp, IO_CSQ_IRP_CONTEXT? context, object? insertContext)
    {
        var thread = _machine.Ke.CurrentThread;
        csq.AcquireLock!(csq, out var irql);
        var status = NTSTATUS.STATUS_SUCCESS;
        if (csq.InsertIrpEx is { } insertEx)
        {
            InvokeCsq(thread, csq, insertEx, "CsqInsertIrpEx", () => status = insertEx(csq, irp, insertContext));
            if (!status.IsSuccess())
            {
                csq.ReleaseLock!(csq, irql);
                return status;
            }
        }
        else
        {
            InvokeCsq(thread, csq, csq.InsertIrp!, "CsqInsertIrp", () => csq.InsertIrp!(csq, irp));
        }

        MarkIrpPending(irp);
        if (context is not null)
        {
            context.Irp = irp;
            context.Csq = csq;
        }

        irp.Tail.Overlay.DriverContext[CsqSlot] = Pointers.Pin((object?)context ?? csq);
        _csqCancelRoutine ??= CsqCancelRoutine;
        var kernel = _machine.Modules.Kernel;
        var cancelAddress = Thunks.Register(kernel, _csqCancelRoutine, "IopCsqCancelRoutine");
        lock (_cancelRoutineLock)
        {
            Mm.Write(irp.Address + Layout.IrpLayout.CancelRoutine, cancelAddress);
        }

        if (irp.Cancel && SetCancelRoutineKernel(irp) != 0)
        {
            // Cancelled before we could make it cancellable, and the cancel routine will not run: undo.
            InvokeCsq(thread, csq, csq.RemoveIrp!, "CsqRemoveIrp", () => csq.RemoveIrp!(csq, irp));
            ForgetCsqContext(irp);
            csq.ReleaseLock!(csq, irql);
            InvokeCsq(thread, csq, csq.CompleteCanceledIrp!, "CsqCompleteCanceledIrp", () => csq.CompleteCanceledIrp!(csq, irp));
            return status;
        }

        csq.ReleaseLock!(csq, irql);
        return status;
    }

    /// <summary>
    /// IoCsqRemoveNextIrp: the next queued IRP matching the context that is not being cancelled, taken
    /// out of the queue with its cancel routine cleared; NULL if none.
    /// </summary>
    internal IRP CsqRemoveNextIrp(IO_CSQ csq, object? peekContext)
    {
        var thread = _machine.Ke.CurrentThread;
        csq.AcquireLock!(csq, out var irql);
        var irp = PeekCsq(thread, csq, IRP.NULL, peekContext);
        while (!irp.IsNull)
        {
            if (SetCancelRoutineKernel(irp) != 0)
            {
                var found = irp;
                InvokeCsq(thread, csq, csq.RemoveIrp!, "CsqRemoveIrp", () => csq.RemoveIrp!(csq, found));
                ForgetCsqContext(irp);
                break;
            }

            // Its cancel routine is running: it belongs to the canceller now.
            irp = PeekCsq(thread, csq, irp, peekContext);
        }

        csq.ReleaseLock!(csq, irql);
        return irp;
    }

    /// <summary>IoCsqRemoveIrp: removes the IRP the context names, unless it is being cancelled (then NULL).</summary>
    internal IRP CsqRemoveIrp(IO_CSQ csq, IO_CSQ_IRP_CONTEXT context)
    {
        var thread = _machine.Ke.CurrentThread;
        csq.AcquireLock!(csq, out var irql);
        var irp = context.Irp;
        if (!irp.IsNull)
        {
            if (SetCancelRoutineKernel(irp) != 0)
            {
                InvokeCsq(thread, csq, csq.RemoveIrp!, "CsqRemoveIrp", () => csq.RemoveIrp!(csq, irp));
                ForgetCsqContext(irp);
            }
            else
            {
                irp = IRP.NULL;
            }
        }

        csq.ReleaseLock!(csq, irql);
        return irp;
    }

    /// <summary>The queue's cancel routine: releases the cancel lock, removes the IRP, completes it as cancelled.</summary>
    private void CsqCancelRoutine(DEVICE_OBJECT device, IRP irp)
    {
        ReleaseCancelSpinLock(irp.CancelIrql);
        var holder = Pointers.Resolve(irp.Tail.Overlay.DriverContext[CsqSlot]);
        var csq = holder as IO_CSQ ?? (holder as IO_CSQ_IRP_CONTEXT)?.Csq;
        if (csq is null)
        {
            return;
        }

        var thread = _machine.Ke.CurrentThread;
        csq.AcquireLock!(csq, out var irql);
        InvokeCsq(thread, csq, csq.RemoveIrp!, "CsqRemoveIrp", () => csq.RemoveIrp!(csq, irp));
        ForgetCsqContext(irp);
        csq.ReleaseLock!(csq, irql);
        InvokeCsq(thread, csq, csq.CompleteCanceledIrp!, "CsqCompleteCanceledIrp", () => csq.CompleteCanceledIrp!(csq, irp));
    }

    private IRP PeekCsq(KTHREAD thread, IO_CSQ csq, IRP after, object? context)
    {
        var result = IRP.NULL;
        InvokeCsq(thread, csq, csq.PeekNextIrp!, "CsqPeekNextIrp", () => result = csq.PeekNextIrp!(csq, after, context));
        return result;
    }

    private void ForgetCsqContext(IRP irp)
    {
        var slot = irp.Tail.Overlay.DriverContext[CsqSlot];
        if (Pointers.Resolve(slot) is IO_CSQ_IRP_CONTEXT context)
        {
            context.Irp = IRP.NULL;
        }

        Pointers.Unpin(slot);
        irp.Tail.Overlay.DriverContext[CsqSlot] = 0;
    }

    /// <summary>Clears the cancel routine and returns the previous routine's address (IoSetCancelRoutine(Irp, NULL)).</summary>
    private ulong SetCancelRoutineKernel(IRP irp)
    {
        lock (_cancelRoutineLock)
        {
            var previous = Mm.Read<ulong>(irp.Address + Layout.IrpLayout.CancelRoutine);
            Mm.Write(irp.Address + Layout.IrpLayout.CancelRoutine, 0UL);
            return previous;
        }
    }

    /// <summary>Calls one of the driver's queue callbacks as the driver's code.</summary>
    private void InvokeCsq(KTHREAD thread, IO_CSQ csq, Delegate callback, string name, Action call)
    {
        var module = csq.Module;
        if (module is null)
        {
            call();
            return;
        }

        var address = Thunks.Register(module, callback);
        thread.PushFrame(new CallFrame(module, address, Thunks.Describe(address)?.Name ?? name));
        try
        {
            call();
        }
        finally
        {
            thread.PopFrame();
        }
    }
}
