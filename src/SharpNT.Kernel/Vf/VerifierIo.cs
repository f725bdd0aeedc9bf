using SharpNT.Kernel.Io;
using SharpNT.Kernel.Io.Layout;
using SharpNT.Kernel.Ke;
using SharpNT.Kernel.Mm;

namespace SharpNT.Kernel.Vf;

/// <summary>
/// The verifier's part in IoCallDriver and IoCompleteRequest: force pending I/O (0x200: NT answers a
/// random subset of a verified driver's IoCallDriver calls with STATUS_PENDING; here every call whose IRP
/// the lower driver completes at once, so a run is replayable and shows the bug on the first request), IRP logging
/// (0x400), and the I/O verification checks that need to follow an IRP through a dispatch routine: a
/// dispatch routine that returns STATUS_PENDING without having marked the IRP pending (0xC9, I/O error
/// 0x23D), one that marked it pending but returns another status (0x23E), and a completion routine that does not mark the IRP pending when PendingReturned is set (0xC9,
/// 0x228). The 0xC9 "WDM driver error" parameters: the error code, the address in the driver where it was
/// found, the IRP, the device object.
/// </summary>
internal sealed class VerifierIo(Machine machine, VerifierState verifier)
{
    internal const ulong CompletionRoutineDidNotMarkPending = 0x228;
    internal const ulong PendingNotMarked = 0x23D;
    internal const ulong MarkedButNotPending = 0x23E;

    private readonly Lock _lock = new();
    private readonly List<Watch> _active = [];
    private readonly Stack<Watch> _spare = new();
    private readonly Dictionary<ulong, IrpLog> _logs = [];
    private volatile int _activeCount;

    /// <summary>True while some dispatch routine's stack location is watched for completion.</summary>
    internal bool Watching => _activeCount != 0;

    /// <summary>What <see cref="BeforeDispatch"/> set up for one dispatch call, handed back to <see cref="AfterDispatch"/>.</summary>
    internal readonly record struct Call(Watch? Watch, bool Forced, bool CheckPending, IrpLog? Log, long LogSequence);

    /// <summary>A stack location followed through completion (pooled: verified calls allocate nothing).</summary>
    internal sealed class Watch
    {
        internal ulong Irp { get; set; }

        internal sbyte Location { get; set; }

        internal int Users { get; set; }

        internal bool Completed { get; set; }

        internal bool MarkedPending { get; set; }

        /// <summary>Force pending marked the location, not the driver that owns it.</summary>
        internal bool ForcedMark { get; set; }
    }

    /// <summary>
    /// IoCallDriver, before the dispatch routine of <paramref name="callee"/> runs with the IRP at stack
    /// location <paramref name="location"/> (<paramref name="sl"/>). The calling code is the thread's
    /// innermost frame.
    /// </summary>
    internal Call BeforeDispatch(KTHREAD thread, DEVICE_OBJECT device, IRP irp, sbyte location, ulong sl, byte major, LoadedModule callee)
    {
        var mm = machine.Mm;
        var forced = verifier.Applies(thread.InnermostModule(), VerifierSettings.ForcePendingIo);
        var checkPending = verifier.Applies(callee, VerifierSettings.IoVerification);
        IrpLog? log = null;
        long sequence = -1;
        if (verifier.Applies(callee, VerifierSettings.IrpLogging))
        {
            var code = major is IRP_MJ.IRP_MJ_DEVICE_CONTROL or IRP_MJ.IRP_MJ_INTERNAL_DEVICE_CONTROL
                ? mm.Read<uint>(sl + IoStackLocationLayout.Parameters_DeviceIoControl_IoControlCode)
                : 0;
            var entry = new IrpLogEntry(irp.Address, major, mm.Read<byte>(sl + IoStackLocationLayout.MinorFunction), code, null,
                thread.Address, machine.Ke.InterruptTime);
            lock (_lock)
            {
                if (!_logs.TryGetValue(device.Address, out log))
                {
                    log = new IrpLog();
                    _logs[device.Address] = log;
                }

                sequence = log.Add(entry);
            }
        }

        Watch? watch = null;
        if (forced || checkPending)
        {
            watch = Register(irp.Address, location);
        }

        if (forced)
        {
            watch!.ForcedMark = true;

            // Force pending: the I/O manager answers the caller as if the lower driver had pended the IRP,
            // so its location is marked pending before the lower driver runs: completion then shows
            // PendingReturned to the caller's completion routine exactly as a real pend would.
            var control = mm.Read<byte>(sl + IoStackLocationLayout.Control);
            mm.Write(sl + IoStackLocationLayout.Control, (byte)(control | SL_FLAGS.SL_PENDING_RETURNED));
        }

        return new Call(watch, forced, checkPending, log, sequence);
    }

    /// <summary>IoCallDriver, after the dispatch routine returned <paramref name="status"/>: the status IoCallDriver returns.</summary>
    /// <param name="dispatch">The dispatch routine that ran: the code a violation is charged to.</param>
    internal NTSTATUS AfterDispatch(in Call call, KTHREAD thread, DEVICE_OBJECT device, IRP irp, ulong sl, CallFrame dispatch, NTSTATUS status)
    {
        if (call.Log is { } log)
        {
            lock (_lock)
            {
                log.SetStatus(call.LogSequence, status);
            }
        }

        if (call.Watch is not { } watch)
        {
            return status;
        }

        bool completed, marked, forcedMark;
        lock (_lock)
        {
            completed = watch.Completed;
            marked = watch.MarkedPending;
            forcedMark = watch.ForcedMark;
            if (--watch.Users == 0)
            {
                _active.Remove(watch);
                _activeCount = _active.Count;
                _spare.Push(watch);
            }
        }

        if (call.Forced)
        {
            if (completed)
            {
                // Completed while the dispatch routine ran: the caller is told it pended.
                return NTSTATUS.STATUS_PENDING;
            }

            if (status != NTSTATUS.STATUS_PENDING)
            {
                // Neither pended nor completed: take the mark back, the IRP is the caller's again.
                var control = machine.Mm.Read<byte>(sl + IoStackLocationLayout.Control);
                machine.Mm.Write(sl + IoStackLocationLayout.Control, (byte)(control & ~SL_FLAGS.SL_PENDING_RETURNED));
            }

            return status;
        }

        if (call.CheckPending && !forcedMark)
        {
            // Still in flight, the location tells; completed, what completion saw there does.
            var pending = completed ? marked : (machine.Mm.Read<byte>(sl + IoStackLocationLayout.Control) & SL_FLAGS.SL_PENDING_RETURNED) != 0;
            if (pending != (status == NTSTATUS.STATUS_PENDING))
            {
                // Charged to the dispatch routine, as if found on its way out.
                thread.PushFrame(dispatch);
                machine.BugCheck.Raise(BugCheckCode.DRIVER_VERIFIER_IOMANAGER_VIOLATION, pending ? MarkedButNotPending : PendingNotMarked,
                    dispatch.Address, irp.Address, device.Address);
            }
        }

        return status;
    }

    /// <summary>IoCompleteRequest leaves stack location <paramref name="location"/> of <paramref name="irp"/>.</summary>
    internal void OnLocationCompleted(ulong irp, sbyte location, bool pendingReturned)
    {
        lock (_lock)
        {
            foreach (var watch in _active)
            {
                if (watch.Irp == irp && watch.Location == location && !watch.Completed)
                {
                    watch.Completed = true;
                    watch.MarkedPending = pendingReturned;
                }
            }
        }
    }

    /// <summary>
    /// After the completion routine <paramref name="routine"/> returned <paramref name="result"/> for an IRP
    /// whose PendingReturned was set: unless it keeps the IRP, it must have marked its own location
    /// (<paramref name="ownerSl"/>) pending, or the requester may never learn the IRP completed.
    /// </summary>
    internal void AfterCompletionRoutine(KTHREAD thread, CallFrame routine, DEVICE_OBJECT device, IRP irp, ulong ownerSl, NTSTATUS result)
    {
        if (result == NTSTATUS.STATUS_MORE_PROCESSING_REQUIRED || !verifier.Applies(routine.Module, VerifierSettings.IoVerification))
        {
            return;
        }

        if ((machine.Mm.Read<byte>(ownerSl + IoStackLocationLayout.Control) & SL_FLAGS.SL_PENDING_RETURNED) == 0)
        {
            thread.PushFrame(routine);
            machine.BugCheck.Raise(BugCheckCode.DRIVER_VERIFIER_IOMANAGER_VIOLATION, CompletionRoutineDidNotMarkPending, routine.Address, irp.Address, device.Address);
        }
    }

    /// <summary>The IRP log of a device, oldest first.</summary>
    internal IReadOnlyList<IrpLogEntry> Log(ulong deviceObject)
    {
        lock (_lock)
        {
            return _logs.TryGetValue(deviceObject, out var log) ? log.Snapshot() : [];
        }
    }

    /// <summary>The devices that have an IRP log, in the order their first IRP was logged.</summary>
    internal IReadOnlyList<ulong> LoggedDevices()
    {
        lock (_lock)
        {
            return [.. _logs.Keys];
        }
    }

    private Watch Register(ulong irp, sbyte location)
    {
        lock (_lock)
        {
            // A driver that skips its location hands the same one down: both calls watch one entry.
            foreach (var existing in _active)
            {
                if (existing.Irp == irp && existing.Location == location && !existing.Completed)
                {
                    existing.Users++;
                    return existing;
                }
            }

            var watch = _spare.TryPop(out var spare) ? spare : new Watch();
            watch.Irp = irp;
            watch.Location = location;
            watch.Users = 1;
            watch.Completed = false;
            watch.MarkedPending = false;
            watch.ForcedMark = false;
            _active.Add(watch);
            _activeCount = _active.Count;
            return watch;
        }
    }
}
