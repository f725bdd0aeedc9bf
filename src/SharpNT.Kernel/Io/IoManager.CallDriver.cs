using SharpNT.Kernel.Io.Layout;
using SharpNT.Kernel.Ke;

namespace SharpNT.Kernel.Io;

internal sealed partial class IoManager
{
    /// <summary>
    /// IoCallDriver: IRQL &lt;= DISPATCH_LEVEL. Moves the IRP to its next stack location, records the
    /// target device there, and calls the dispatch routine the target's driver has for the location's
    /// major function. No location left is NO_MORE_IRP_STACK_LOCATIONS (0x35).
    /// </summary>
    internal NTSTATUS CallDriver(DEVICE_OBJECT device, IRP irp)
    {
        var mm = Mm;
        var m = new IrpMemory(mm, irp.Address);
        var location = (sbyte)(m.Read<sbyte>(IrpLayout.CurrentLocation) - 1);
        if (location <= 0)
        {
            _machine.BugCheck.Raise(BugCheckCode.NO_MORE_IRP_STACK_LOCATIONS, irp.Address, 0, 0, 0);
        }

        m.Write(IrpLayout.CurrentLocation, location);
        var sl = m.Read<ulong>(IrpLayout.Tail_Overlay_CurrentStackLocation) - IoStackLocationLayout.Size;
        m.Write(IrpLayout.Tail_Overlay_CurrentStackLocation, sl);
        m.WriteAt(sl + IoStackLocationLayout.DeviceObject, device.Address);
        var major = m.ReadAt<byte>(sl + IoStackLocationLayout.MajorFunction);
        var driver = mm.Read<ulong>(device.Address + DeviceObjectLayout.DriverObject);
        var routine = mm.Read<ulong>(driver + DriverObjectLayout.MajorFunction + ((ulong)major * 8));
        var entry = Thunks.Describe(routine);
        if (entry?.Dispatch is not { } dispatch)
        {
            // A jump to an address with no code behind it: an instruction fetch from an invalid address.
            _machine.BugCheck.Raise(BugCheckCode.KMODE_EXCEPTION_NOT_HANDLED, (ulong)NTSTATUS.STATUS_ACCESS_VIOLATION,
                routine, 8, routine);
            return NTSTATUS.STATUS_INVALID_DEVICE_REQUEST;
        }

        var thread = KTHREAD.Current!;
        if (_verifying || Trace is not null || _machine.Events.Enabled)
        {
            return CallDriverWatched(thread, device, irp, location, sl, major, m.ReadAt<byte>(sl + IoStackLocationLayout.MinorFunction), routine, entry, dispatch);
        }

        thread.PushFrame(entry.Frame);
        try
        {
            return dispatch(device, irp);
        }
        finally
        {
            thread.PopFrame();
        }
    }

    /// <summary>IoCallDriver's call with the verifier, a trace or the event log watching it.</summary>
    private NTSTATUS CallDriverWatched(KTHREAD thread, DEVICE_OBJECT device, IRP irp, sbyte location, ulong sl, byte major, byte minor,
        ulong routine, ThunkTable.Entry entry, DRIVER_DISPATCH dispatch)
    {
        if (_machine.Events.Enabled || Trace is not null)
        {
            OnDispatch(device, irp, major, minor, entry);
        }

        var verify = _verifying && Verifier.Applies(entry.Module.Name, Vf.VerifierSettings.IoVerification);
        var irqlBefore = thread.Processor!.Irql;
        var verifierCall = _verifying ? _machine.Verifier.Io.BeforeDispatch(thread, device, irp, location, sl, major, entry.Module) : default;
        if (verify && irqlBefore > Irql.DISPATCH_LEVEL)
        {
            // I/O verification 0x10: IoCallDriver above DISPATCH_LEVEL.
            _machine.BugCheck.Raise(BugCheckCode.DRIVER_VERIFIER_IOMANAGER_VIOLATION, 0x10, irqlBefore, 0, 0);
        }

        thread.PushFrame(entry.Frame);
        NTSTATUS status;
        try
        {
            status = dispatch(device, irp);
        }
        finally
        {
            thread.PopFrame();
        }

        if (verify && thread.Processor!.Irql != irqlBefore)
        {
            // I/O verification 0x05: the dispatch routine returned at another IRQL than it was called at.
            _machine.BugCheck.Raise(BugCheckCode.DRIVER_VERIFIER_IOMANAGER_VIOLATION, 0x05, device.Address, irqlBefore, thread.Processor.Irql);
        }

        if (_verifying)
        {
            status = _machine.Verifier.Io.AfterDispatch(in verifierCall, thread, device, irp, sl, entry.Frame, status);
        }

        if (Trace is not null)
        {
            Trace.OnDispatchReturned(device, irp, status);
        }

        return status;
    }

    /// <summary>
    /// IoCompleteRequest: IRQL &lt;= DISPATCH_LEVEL. Walks the stack locations upward, calling each
    /// completion routine whose SL_INVOKE_ON_* condition holds, propagating PendingReturned, and stopping
    /// at STATUS_MORE_PROCESSING_REQUIRED. A second completion is MULTIPLE_IRP_COMPLETE_REQUESTS (0x44);
    /// completing an IRP that still has a cancel routine is CANCEL_STATE_IN_COMPLETED_IRP (0x48).
    /// </summary>
    internal void CompleteRequest(IRP irp, sbyte priorityBoost)
    {
        var mm = Mm;
        var m = new IrpMemory(mm, irp.Address);
        var thread = KTHREAD.Current!;
        var stackCount = m.Read<sbyte>(IrpLayout.StackCount);
        var current = m.Read<sbyte>(IrpLayout.CurrentLocation);
        if (m.Read<short>(IrpLayout.Type) != IO_TYPE.IO_TYPE_IRP || current > stackCount + 1)
        {
            _machine.BugCheck.Raise(BugCheckCode.MULTIPLE_IRP_COMPLETE_REQUESTS, irp.Address, 0, 0, 0);
        }

        var cancelRoutine = m.Read<ulong>(IrpLayout.CancelRoutine);
        if (_verifying && VerifiesCaller(thread))
        {
            var completing = m.Read<NTSTATUS>(IrpLayout.IoStatus_Status);
            if (completing == NTSTATUS.STATUS_PENDING || (uint)completing == uint.MaxValue)
            {
                // I/O verification 0x06: IoCompleteRequest with a status marked pending.
                _machine.BugCheck.Raise(BugCheckCode.DRIVER_VERIFIER_IOMANAGER_VIOLATION, 0x06, (ulong)completing, irp.Address, 0);
            }

            if (cancelRoutine != 0)
            {
                // I/O verification 0x07: IoCompleteRequest with the cancel routine still set.
                _machine.BugCheck.Raise(BugCheckCode.DRIVER_VERIFIER_IOMANAGER_VIOLATION, 0x07, cancelRoutine, irp.Address, 0);
            }
        }

        if (cancelRoutine != 0)
        {
            _machine.BugCheck.Raise(BugCheckCode.CANCEL_STATE_IN_COMPLETED_IRP, irp.Address, cancelRoutine, 0, 0);
        }

        Trace?.OnComplete(irp, m.Read<NTSTATUS>(IrpLayout.IoStatus_Status));
        var watching = _verifying && _machine.Verifier.Io.Watching;
        var sl = m.Read<ulong>(IrpLayout.Tail_Overlay_CurrentStackLocation);
        while (true)
        {
            // Step up: the location just left is the one whose completion routine (set by the driver
            // above) now runs.
            current++;
            m.Write(IrpLayout.CurrentLocation, current);
            var done = sl;
            sl += IoStackLocationLayout.Size;
            m.Write(IrpLayout.Tail_Overlay_CurrentStackLocation, sl);
            if (current > stackCount + 1)
            {
                break;
            }

            var control = m.ReadAt<byte>(done + IoStackLocationLayout.Control);
            var pendingReturned = (control & SL_FLAGS.SL_PENDING_RETURNED) != 0;
            m.Write(IrpLayout.PendingReturned, (byte)(pendingReturned ? 1 : 0));
            if (watching)
            {
                _machine.Verifier.Io.OnLocationCompleted(irp.Address, (sbyte)(current - 1), pendingReturned);
            }

            var status = m.Read<NTSTATUS>(IrpLayout.IoStatus_Status);
            var cancel = m.Read<byte>(IrpLayout.Cancel) != 0;
            var routine = m.ReadAt<ulong>(done + IoStackLocationLayout.CompletionRoutine);
            var invoke = routine != 0 && ((status.IsSuccess() && (control & SL_FLAGS.SL_INVOKE_ON_SUCCESS) != 0)
                || (!status.IsSuccess() && (control & SL_FLAGS.SL_INVOKE_ON_ERROR) != 0)
                || (cancel && (control & SL_FLAGS.SL_INVOKE_ON_CANCEL) != 0));
            if (invoke)
            {
                var contextAddress = m.ReadAt<ulong>(done + IoStackLocationLayout.Context);
                var context = contextAddress >= ManagedPointerTable.Base ? Pointers.Resolve(contextAddress) : null;
                ZeroStackLocation(in m, done);

                // The routine belongs to the driver above; it gets that driver's device (NULL for the
                // location above the top, which no device owns).
                var device = current == stackCount + 1
                    ? DEVICE_OBJECT.NULL
                    : new DEVICE_OBJECT(m.ReadAt<ulong>(sl + IoStackLocationLayout.DeviceObject));
                var result = InvokeCompletionRoutine(thread, routine, device, irp, context);
                if (contextAddress != 0)
                {
                    Pointers.Unpin(contextAddress);
                }
                if (pendingReturned && current <= stackCount && _verifying && Thunks.Describe(routine) is { } owner)
                {
                    _machine.Verifier.Io.AfterCompletionRoutine(thread, owner.Frame, device, irp, sl, result);
                }

                if (result == NTSTATUS.STATUS_MORE_PROCESSING_REQUIRED)
                {
                    return;
                }
            }
            else
            {
                if (pendingReturned && current <= stackCount)
                {
                    // No routine to see it: mark the driver above pending on its behalf (IoMarkIrpPending).
                    var above = m.ReadAt<byte>(sl + IoStackLocationLayout.Control);
                    m.WriteAt(sl + IoStackLocationLayout.Control, (byte)(above | SL_FLAGS.SL_PENDING_RETURNED));
                }

                var unusedContext = m.ReadAt<ulong>(done + IoStackLocationLayout.Context);
                if (routine != 0 && unusedContext >= ManagedPointerTable.Base)
                {
                    Pointers.Unpin(unusedContext);
                }

                ZeroStackLocation(in m, done);
            }
        }

        FinishCompletion(irp, priorityBoost);
    }

    private NTSTATUS InvokeCompletionRoutine(KTHREAD thread, ulong routine, DEVICE_OBJECT device, IRP irp, object? context)
    {
        var entry = Thunks.Describe(routine);
        if (entry?.Completion is not { } completion)
        {
            _machine.BugCheck.Raise(BugCheckCode.KMODE_EXCEPTION_NOT_HANDLED, (ulong)NTSTATUS.STATUS_ACCESS_VIOLATION,
                routine, 8, routine);
            return NTSTATUS.STATUS_SUCCESS;
        }

        Trace?.OnCompletionRoutine(device, irp, entry.Module.Name, entry.Name);
        thread.PushFrame(entry.Frame);
        try
        {
            return completion(device, irp, context);
        }
        finally
        {
            thread.PopFrame();
        }
    }

    private Vf.VerifierSettings Verifier => _machine.Options.Verifier;

    /// <summary>Whether the code calling into the I/O manager belongs to a driver under I/O verification.</summary>
    private bool VerifiesCaller(KTHREAD thread) =>
        thread.InnermostModule() is { } module && Verifier.Applies(module.Name, Vf.VerifierSettings.IoVerification);

    /// <summary>The IRP trace sink, if one watches this machine.</summary>
    internal IoTraceSink? Trace { get; set; }

    private void OnDispatch(DEVICE_OBJECT device, IRP irp, byte major, byte minor, ThunkTable.Entry entry)
    {
        var depth = irp.StackCount - irp.CurrentLocation;
        Trace?.OnDispatch(device, irp, major, minor, entry.Module.Name, entry.Name, depth);
        if (_machine.Events.Enabled)
        {
            _machine.Events.Record($"IoCallDriver {IRP_MJ.Name(major)} -> {DeviceNameOf(device) ?? device.ToString()} ({entry.Module.Name}!{entry.Name})");
        }
    }

    /// <summary>ZeroIrpStackLocation as completion leaves a location: no routine, context or control remains.</summary>
    private static void ZeroStackLocation(in IrpMemory m, ulong sl)
    {
        m.WriteAt(sl + IoStackLocationLayout.Control, (byte)0);
        m.WriteAt(sl + IoStackLocationLayout.CompletionRoutine, 0UL);
        m.WriteAt(sl + IoStackLocationLayout.Context, 0UL);
    }
}
