using SharpNT.Kernel.Io;
using SharpNT.Kernel.Ke;
using SharpNT.Kernel.Mm;

namespace SharpNT.Kernel.FsRtl;

/// <summary>
/// The FsRtl file-lock package (NT's fsrtl\filelock.c): the byte-range locks of every FILE_LOCK, the lock
/// requests waiting for a range, and the checks a file system makes before a read or write. The state is
/// private and found by the FILE_LOCK's address; only FastIoIsQuestionable is kept in the structure, as
/// FsRtlAreThereCurrentFileLocks reads it there.
/// </summary>
/// <remarks>
/// The rules (LockFileEx, FsRtlFastCheckLockForRead/Write): a shared lock lets every owner read and none
/// write, its own owner included; an exclusive lock lets only its owner (file object, process and key)
/// read and write. A new exclusive lock may overlap no lock; a new shared lock may overlap shared locks
/// only. A zero-length lock covers no byte: it is always granted and never conflicts. An unlock names a
/// granted lock exactly (offset, length, owner and key), else STATUS_RANGE_NOT_LOCKED. A lock request that
/// conflicts fails with STATUS_LOCK_NOT_GRANTED when it may not wait; otherwise its IRP is pended,
/// cancellable, and granted (completed with STATUS_SUCCESS) when an unlock clears its range.
/// Host locks are never held across anything that may reach a scheduling point (completion, callbacks).
/// </remarks>
internal sealed class FileLockPackage
{
    /// <summary>Pool tag of FsRtlAllocateFileLock's structures.</summary>
    private const uint TagFileLock = 0x6C665346; // 'FSfl'

    private readonly Machine _machine;
    private readonly object _lock = new();
    private readonly Dictionary<ulong, LockList> _lists = [];

    /// <summary>A waiting lock IRP's FILE_LOCK, for the cancel routine (which has only the IRP).</summary>
    private readonly Dictionary<ulong, ulong> _waitingIrps = [];
    private readonly ulong _cancelRoutine;

    internal FileLockPackage(Machine machine)
    {
        _machine = machine;
        _cancelRoutine = machine.Io.Thunks.Register(machine.Modules.Kernel, (DRIVER_CANCEL)CancelWaitingLock, "FsRtlPrivateCancelFileLockIrp");
    }

    /// <summary>The locks of one FILE_LOCK: granted ones, and the IRPs waiting in arrival order.</summary>
    private sealed class LockList
    {
        public readonly List<FILE_LOCK_INFO> Granted = [];
        public readonly List<WaitingLock> Waiting = [];
    }

    private sealed record WaitingLock(IRP Irp, FILE_LOCK_INFO Request, object? Context);

    /// <summary>A lock IRP whose outcome is known, to be completed once no host lock is held.</summary>
    private readonly record struct Completion(IRP Irp, NTSTATUS Status, object? Context);

    /// <summary>FsRtlAllocateFileLock: a FILE_LOCK in nonpaged pool, initialized; NULL when pool is exhausted.</summary>
    internal FILE_LOCK AllocateFileLock(COMPLETE_LOCK_IRP_ROUTINE? completeLockIrpRoutine, UNLOCK_ROUTINE? unlockRoutine)
    {
        var address = _machine.Mm.AllocatePool2(PoolFlags.POOL_FLAG_NON_PAGED, FileLockLayout.Size, TagFileLock);
        if (address == 0)
        {
            return FILE_LOCK.NULL;
        }

        var fileLock = new FILE_LOCK(address);
        InitializeFileLock(fileLock, completeLockIrpRoutine, unlockRoutine);
        return fileLock;
    }

    /// <summary>FsRtlFreeFileLock: uninitializes the FILE_LOCK and frees the pool FsRtlAllocateFileLock gave.</summary>
    internal void FreeFileLock(FILE_LOCK fileLock)
    {
        UninitializeFileLock(fileLock);
        _machine.Mm.FreePool(fileLock.Address, TagFileLock);
    }

    /// <summary>FsRtlInitializeFileLock: zeroes the structure and records the optional callbacks as code of the calling driver.</summary>
    internal void InitializeFileLock(FILE_LOCK fileLock, COMPLETE_LOCK_IRP_ROUTINE? completeLockIrpRoutine, UNLOCK_ROUTINE? unlockRoutine)
    {
        var mm = _machine.Mm;
        mm.Write(fileLock.Address, new byte[FileLockLayout.Size]);
        mm.Write(fileLock.Address + FileLockLayout.CompleteLockIrpRoutine, _machine.Io.RegisterCallerRoutine(completeLockIrpRoutine));
        mm.Write(fileLock.Address + FileLockLayout.UnlockRoutine, _machine.Io.RegisterCallerRoutine(unlockRoutine));
        lock (_lock)
        {
            _lists.Remove(fileLock.Address);
        }
    }

    /// <summary>
    /// FsRtlUninitializeFileLock: every granted lock goes (without the UnlockRoutine, as the file is going)
    /// and every waiting lock IRP is completed with STATUS_RANGE_NOT_LOCKED.
    /// </summary>
    internal void UninitializeFileLock(FILE_LOCK fileLock)
    {
        List<Completion> completions = [];
        lock (_lock)
        {
            if (_lists.Remove(fileLock.Address, out var list))
            {
                foreach (var waiting in list.Waiting)
                {
                    if (ClearCancelRoutine(waiting.Irp))
                    {
                        _waitingIrps.Remove(waiting.Irp.Address);
                        completions.Add(new Completion(waiting.Irp, NTSTATUS.STATUS_RANGE_NOT_LOCKED, waiting.Context));
                    }
                }
            }

            fileLock.FastIoIsQuestionable = false;
        }

        Complete(fileLock, completions);
    }

    /// <summary>FsRtlAreThereCurrentFileLocks: whether any byte-range lock is held on the file.</summary>
    internal static bool AreThereCurrentFileLocks(FILE_LOCK fileLock) => fileLock.FastIoIsQuestionable;

    /// <summary>
    /// FsRtlProcessFileLock: carries out an IRP_MJ_LOCK_CONTROL request and completes it (through the
    /// FILE_LOCK's CompleteLockIrpRoutine when it has one), or pends it (STATUS_PENDING) when a lock must wait.
    /// </summary>
    internal NTSTATUS ProcessFileLock(FILE_LOCK fileLock, IRP irp, object? context)
    {
        var sl = IoManager.GetCurrentIrpStackLocation(irp);
        var file = sl.FileObject;
        var process = _machine.Io.RequestorProcessAddress(irp);
        var key = sl.Parameters.LockControl.Key;
        irp.IoStatus.Information = 0;
        NTSTATUS status;
        switch (sl.MinorFunction)
        {
            case IRP_MN.IRP_MN_LOCK:
                var length = _machine.Mm.Read<long>(sl.Parameters.LockControl.Length);
                var request = new FILE_LOCK_INFO(sl.Parameters.LockControl.ByteOffset, length, (sl.Flags & SL_FLAGS.SL_EXCLUSIVE_LOCK) != 0, key, file, process);
                return Lock(fileLock, request, (sl.Flags & SL_FLAGS.SL_FAIL_IMMEDIATELY) != 0, irp, context, out _);
            case IRP_MN.IRP_MN_UNLOCK_SINGLE:
                var unlockLength = _machine.Mm.Read<long>(sl.Parameters.LockControl.Length);
                status = UnlockSingle(fileLock, file, sl.Parameters.LockControl.ByteOffset, unlockLength, process, key, context);
                break;
            case IRP_MN.IRP_MN_UNLOCK_ALL:
                status = UnlockAll(fileLock, file, process, key, byKey: false, context);
                break;
            case IRP_MN.IRP_MN_UNLOCK_ALL_BY_KEY:
                status = UnlockAll(fileLock, file, process, key, byKey: true, context);
                break;
            default:
                status = NTSTATUS.STATUS_INVALID_DEVICE_REQUEST;
                break;
        }

        return CompleteLockIrp(fileLock, irp, status, context);
    }

    /// <summary>
    /// FsRtlFastLock (FsRtlPrivateLock without an IRP): TRUE when the request was decided, its status in
    /// <paramref name="ioStatus"/> (STATUS_SUCCESS, STATUS_LOCK_NOT_GRANTED, STATUS_INVALID_LOCK_RANGE); FALSE
    /// when it conflicts and may wait, which takes an IRP.
    /// </summary>
    internal bool FastLock(FILE_LOCK fileLock, FILE_OBJECT fileObject, long fileOffset, long length, ulong process, uint key,
        bool failImmediately, bool exclusiveLock, IO_STATUS_BLOCK ioStatus, object? context)
    {
        var request = new FILE_LOCK_INFO(fileOffset, length, exclusiveLock, key, fileObject, process);
        var status = Lock(fileLock, request, failImmediately, IRP.NULL, context, out var decided);
        if (decided)
        {
            ioStatus.Status = status;
            ioStatus.Information = 0;
        }

        return decided;
    }

    /// <summary>FsRtlFastCheckLockForRead: FALSE when an exclusive lock of another owner covers a byte of the range.</summary>
    internal bool FastCheckLockForRead(FILE_LOCK fileLock, long startingByte, long length, uint key, FILE_OBJECT fileObject, ulong process) =>
        Check(fileLock, startingByte, length, key, fileObject, process, write: false);

    /// <summary>FsRtlFastCheckLockForWrite: FALSE when any shared lock, or an exclusive lock of another owner, covers a byte of the range.</summary>
    internal bool FastCheckLockForWrite(FILE_LOCK fileLock, long startingByte, long length, uint key, FILE_OBJECT fileObject, ulong process) =>
        Check(fileLock, startingByte, length, key, fileObject, process, write: true);

    /// <summary>FsRtlCheckLockForReadAccess: the read IRP's range, key, file object and requesting process.</summary>
    internal bool CheckLockForReadAccess(FILE_LOCK fileLock, IRP irp) => CheckIrp(fileLock, irp, write: false);

    /// <summary>FsRtlCheckLockForWriteAccess: the write IRP's range, key, file object and requesting process.</summary>
    internal bool CheckLockForWriteAccess(FILE_LOCK fileLock, IRP irp) => CheckIrp(fileLock, irp, write: true);

    /// <summary>FsRtlFastUnlockSingle: releases the one lock with exactly this range, owner and key; else STATUS_RANGE_NOT_LOCKED.</summary>
    internal NTSTATUS UnlockSingle(FILE_LOCK fileLock, FILE_OBJECT fileObject, long fileOffset, long length, ulong process, uint key, object? context)
    {
        List<FILE_LOCK_INFO> released = [];
        List<Completion> granted = [];
        lock (_lock)
        {
            if (!_lists.TryGetValue(fileLock.Address, out var list))
            {
                return NTSTATUS.STATUS_RANGE_NOT_LOCKED;
            }

            var index = list.Granted.FindIndex(l =>
                l.StartingByte == fileOffset && l.Length == length && l.FileObject == fileObject && l.ProcessId == process && l.Key == key);
            if (index < 0)
            {
                return NTSTATUS.STATUS_RANGE_NOT_LOCKED;
            }

            released.Add(list.Granted[index]);
            list.Granted.RemoveAt(index);
            GrantWaiters(fileLock, list, granted);
        }

        Released(fileLock, released, context);
        Complete(fileLock, granted);
        return NTSTATUS.STATUS_SUCCESS;
    }

    /// <summary>
    /// FsRtlFastUnlockAll / FsRtlFastUnlockAllByKey: releases every lock the file object holds for the
    /// process (with the key, by key). STATUS_SUCCESS even when there was none, as NT returns.
    /// </summary>
    internal NTSTATUS UnlockAll(FILE_LOCK fileLock, FILE_OBJECT fileObject, ulong process, uint key, bool byKey, object? context)
    {
        List<FILE_LOCK_INFO> released = [];
        List<Completion> granted = [];
        lock (_lock)
        {
            if (_lists.TryGetValue(fileLock.Address, out var list))
            {
                list.Granted.RemoveAll(l =>
                {
                    var match = l.FileObject == fileObject && l.ProcessId == process && (!byKey || l.Key == key);
                    if (match)
                    {
                        released.Add(l);
                    }

                    return match;
                });
                GrantWaiters(fileLock, list, granted);
            }
        }

        Released(fileLock, released, context);
        Complete(fileLock, granted);
        return NTSTATUS.STATUS_SUCCESS;
    }

    /// <summary>The locks granted on <paramref name="fileLock"/>, in the order granted (for the debugger and tests).</summary>
    internal IReadOnlyList<FILE_LOCK_INFO> GrantedLocks(FILE_LOCK fileLock)
    {
        lock (_lock)
        {
            return _lists.TryGetValue(fileLock.Address, out var list) ? [.. list.Granted] : [];
        }
    }

    /// <summary>
    /// FsRtlPrivateLock: grants the request, refuses it, or (with an IRP that may wait) pends it. For the IRP
    /// path the IRP is completed here unless pended; <paramref name="decided"/> is false only for a fast lock
    /// that would have to wait.
    /// </summary>
    private NTSTATUS Lock(FILE_LOCK fileLock, FILE_LOCK_INFO request, bool failImmediately, IRP irp, object? context, out bool decided)
    {
        decided = true;
        NTSTATUS status;
        if (request.Length != 0 && (ulong)request.EndingByte < (ulong)request.StartingByte)
        {
            status = NTSTATUS.STATUS_INVALID_LOCK_RANGE;
        }
        else
        {
            lock (_lock)
            {
                var list = ListOf(fileLock);
                if (!Conflicts(list, request))
                {
                    list.Granted.Add(request);
                    fileLock.FastIoIsQuestionable = true;
                    status = NTSTATUS.STATUS_SUCCESS;
                }
                else if (failImmediately)
                {
                    status = NTSTATUS.STATUS_LOCK_NOT_GRANTED;
                }
                else if (irp.IsNull)
                {
                    decided = false;
                    return NTSTATUS.STATUS_LOCK_NOT_GRANTED;
                }
                else if (irp.Cancel)
                {
                    status = NTSTATUS.STATUS_CANCELLED;
                }
                else
                {
                    // Pended under the lock, its cancel routine set before anyone can grant it: an unlock that
                    // finds it clears that routine to take it, and a cancel that wins finds it still listed.
                    _machine.Io.MarkIrpPending(irp);
                    list.Waiting.Add(new WaitingLock(irp, request, context));
                    _waitingIrps[irp.Address] = fileLock.Address;
                    _machine.Io.ExchangeCancelRoutine(irp, _cancelRoutine);
                    _machine.Events.Record($"FsRtlPrivateLock {irp} waits for {request.StartingByte}+{request.Length}");
                    return NTSTATUS.STATUS_PENDING;
                }
            }
        }

        return irp.IsNull ? status : CompleteLockIrp(fileLock, irp, status, context);
    }

    /// <summary>Whether a new lock request conflicts with a granted lock (exclusive: any overlap; shared: an overlapping exclusive lock).</summary>
    private static bool Conflicts(LockList list, FILE_LOCK_INFO request)
    {
        if (request.Length == 0)
        {
            return false;
        }

        foreach (var held in list.Granted)
        {
            if (held.Overlaps(request.StartingByte, request.Length) && (request.ExclusiveLock || held.ExclusiveLock))
            {
                return true;
            }
        }

        return false;
    }

    private bool Check(FILE_LOCK fileLock, long startingByte, long length, uint key, FILE_OBJECT fileObject, ulong process, bool write)
    {
        if (length == 0 || !fileLock.FastIoIsQuestionable)
        {
            return true;
        }

        lock (_lock)
        {
            if (!_lists.TryGetValue(fileLock.Address, out var list))
            {
                return true;
            }

            foreach (var held in list.Granted)
            {
                if (!held.Overlaps(startingByte, length))
                {
                    continue;
                }

                if (held.ExclusiveLock ? !held.OwnedBy(fileObject, process, key) : write)
                {
                    return false;
                }
            }
        }

        return true;
    }

    private bool CheckIrp(FILE_LOCK fileLock, IRP irp, bool write)
    {
        var sl = IoManager.GetCurrentIrpStackLocation(irp);
        var process = _machine.Io.RequestorProcessAddress(irp);
        return Check(fileLock, sl.Parameters.Read.ByteOffset, sl.Parameters.Read.Length, sl.Parameters.Read.Key, sl.FileObject, process, write);
    }

    private LockList ListOf(FILE_LOCK fileLock)
    {
        if (!_lists.TryGetValue(fileLock.Address, out var list))
        {
            list = new LockList();
            _lists[fileLock.Address] = list;
        }

        return list;
    }

    /// <summary>
    /// Under the package lock, after locks went: each waiting request that no longer conflicts is granted, in
    /// arrival order, if its cancel routine can still be cleared (otherwise a cancel has it). Clears
    /// FastIoIsQuestionable when no lock is left.
    /// </summary>
    private void GrantWaiters(FILE_LOCK fileLock, LockList list, List<Completion> granted)
    {
        for (var i = 0; i < list.Waiting.Count; i++)
        {
            var waiting = list.Waiting[i];
            if (Conflicts(list, waiting.Request) || !ClearCancelRoutine(waiting.Irp))
            {
                continue;
            }

            list.Granted.Add(waiting.Request);
            list.Waiting.RemoveAt(i--);
            _waitingIrps.Remove(waiting.Irp.Address);
            granted.Add(new Completion(waiting.Irp, NTSTATUS.STATUS_SUCCESS, waiting.Context));
        }

        fileLock.FastIoIsQuestionable = list.Granted.Count != 0;
    }

    private bool ClearCancelRoutine(IRP irp) => _machine.Io.ExchangeCancelRoutine(irp, 0) != 0;

    /// <summary>
    /// The cancel routine of a waiting lock IRP: called with the cancel spin lock held, which it releases; the
    /// IRP leaves the waiting list and completes with STATUS_CANCELLED.
    /// </summary>
    private void CancelWaitingLock(DEVICE_OBJECT deviceObject, IRP irp)
    {
        _machine.Io.ReleaseCancelSpinLock(irp.CancelIrql);
        FILE_LOCK fileLock;
        object? context = null;
        lock (_lock)
        {
            if (!_waitingIrps.Remove(irp.Address, out var address))
            {
                return;
            }

            fileLock = new FILE_LOCK(address);
            if (_lists.TryGetValue(address, out var list))
            {
                var index = list.Waiting.FindIndex(w => w.Irp == irp);
                if (index >= 0)
                {
                    context = list.Waiting[index].Context;
                    list.Waiting.RemoveAt(index);
                }
            }
        }

        CompleteLockIrp(fileLock, irp, NTSTATUS.STATUS_CANCELLED, context);
    }

    private void Complete(FILE_LOCK fileLock, List<Completion> completions)
    {
        foreach (var c in completions)
        {
            CompleteLockIrp(fileLock, c.Irp, c.Status, c.Context);
        }
    }

    /// <summary>FsRtlCompleteLockIrp: the FILE_LOCK's CompleteLockIrpRoutine if it has one, else IoCompleteRequest.</summary>
    private NTSTATUS CompleteLockIrp(FILE_LOCK fileLock, IRP irp, NTSTATUS status, object? context)
    {
        irp.IoStatus.Status = status;
        irp.IoStatus.Information = 0;
        var routine = fileLock.CompleteLockIrpRoutine;
        if (routine != 0 && _machine.Io.Thunks.Describe(routine) is { Routine: COMPLETE_LOCK_IRP_ROUTINE complete } entry)
        {
            var thread = _machine.Ke.CurrentThread;
            thread.PushFrame(entry.Frame);
            try
            {
                return complete(context, irp);
            }
            finally
            {
                thread.PopFrame();
            }
        }

        _machine.Io.CompleteRequest(irp, 0);
        return status;
    }

    /// <summary>The FILE_LOCK's UnlockRoutine, told of each lock released.</summary>
    private void Released(FILE_LOCK fileLock, List<FILE_LOCK_INFO> released, object? context)
    {
        var routine = fileLock.UnlockRoutine;
        if (released.Count == 0 || routine == 0 || _machine.Io.Thunks.Describe(routine) is not { Routine: UNLOCK_ROUTINE unlock } entry)
        {
            return;
        }

        var thread = _machine.Ke.CurrentThread;
        foreach (var info in released)
        {
            thread.PushFrame(entry.Frame);
            try
            {
                unlock(context, in info);
            }
            finally
            {
                thread.PopFrame();
            }
        }
    }
}
