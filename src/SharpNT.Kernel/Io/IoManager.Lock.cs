using SharpNT.Kernel.Ex;
using SharpNT.Kernel.Io.Layout;
using SharpNT.Kernel.Ke;

namespace SharpNT.Kernel.Io;

/// <summary>
/// Byte-range lock services: NtLockFile and NtUnlockFile. As on NT, each tries the top driver's fast I/O
/// routine first (FastIoLock / FastIoUnlockSingle), and only when that is absent or declines builds an
/// IRP_MJ_LOCK_CONTROL IRP (IRP_MN_LOCK with SL_FAIL_IMMEDIATELY / SL_EXCLUSIVE_LOCK, or
/// IRP_MN_UNLOCK_SINGLE). Parameters.LockControl.Length points at a LARGE_INTEGER the I/O manager
/// allocates and hangs on Tail.Overlay.AuxiliaryBuffer, freed with the IRP. A file object that has seen a
/// lock request is marked (FILE_OBJECT.LockOperation).
/// </summary>
internal sealed partial class IoManager
{
    /// <summary>
    /// NtLockFile: a shared or exclusive lock of Length bytes at ByteOffset. On a synchronous file object a
    /// lock that must wait is waited for here; on an asynchronous one the service returns STATUS_PENDING and
    /// the event and IO_STATUS_BLOCK tell when it is granted.
    /// </summary>
    internal NTSTATUS NtLockFile(HANDLE fileHandle, HANDLE eventHandle, ulong apcRoutine, ulong apcContext, ulong ioStatusBlock, ulong byteOffset,
        ulong length, uint key, bool failImmediately, bool exclusiveLock)
    {
        var mode = PreviousMode;
        if (!CaptureLockRange(ioStatusBlock, byteOffset, length, mode, out var offset, out var lockLength, out var status))
        {
            return status;
        }

        status = ReferenceLockFile(fileHandle, mode, out var file, out var fileBody);
        if (!status.IsSuccess())
        {
            return status;
        }

        Mm.Write(file.Address + FileObjectLayout.LockOperation, (byte)1);
        var device = GetRelatedDeviceObject(file);
        var process = _machine.Ob.CurrentProcess;
        if (FastLockRoutine<FAST_IO_LOCK>(device, FastIoDispatchLayout.FastIoLock) is { } fastLock)
        {
            var fileOffset = new LARGE_INTEGER(offset);
            var fastLength = new LARGE_INTEGER(lockLength);
            var done = TryFastLockOperation(fastLock.Entry, file, fileBody, eventHandle, ioStatusBlock, mode, out status,
                iosb => fastLock.Routine(file, in fileOffset, in fastLength, process, key, failImmediately, exclusiveLock, iosb, device));
            if (done)
            {
                return status;
            }
        }

        status = BeginRequest(file, fileBody, eventHandle, mode, IRP_MJ.IRP_MJ_LOCK_CONTROL, out var userEvent, out device, out var irp, out var sl);
        if (!status.IsSuccess())
        {
            return status;
        }

        sl.MinorFunction = IRP_MN.IRP_MN_LOCK;
        sl.Flags = (byte)((failImmediately ? SL_FLAGS.SL_FAIL_IMMEDIATELY : 0) | (exclusiveLock ? SL_FLAGS.SL_EXCLUSIVE_LOCK : 0));
        return SendLockControl(irp, sl, device, file, fileBody, userEvent, ioStatusBlock, offset, lockLength, key, mode);
    }

    /// <summary>NtUnlockFile: releases the lock with exactly this range and key held through this file object by this process.</summary>
    internal NTSTATUS NtUnlockFile(HANDLE fileHandle, ulong ioStatusBlock, ulong byteOffset, ulong length, uint key)
    {
        var mode = PreviousMode;
        if (!CaptureLockRange(ioStatusBlock, byteOffset, length, mode, out var offset, out var lockLength, out var status))
        {
            return status;
        }

        status = ReferenceLockFile(fileHandle, mode, out var file, out var fileBody);
        if (!status.IsSuccess())
        {
            return status;
        }

        var device = GetRelatedDeviceObject(file);
        var process = _machine.Ob.CurrentProcess;
        if (FastLockRoutine<FAST_IO_UNLOCK_SINGLE>(device, FastIoDispatchLayout.FastIoUnlockSingle) is { } fastUnlock)
        {
            var fileOffset = new LARGE_INTEGER(offset);
            var fastLength = new LARGE_INTEGER(lockLength);
            var done = TryFastLockOperation(fastUnlock.Entry, file, fileBody, HANDLE.NULL, ioStatusBlock, mode, out status,
                iosb => fastUnlock.Routine(file, in fileOffset, in fastLength, process, key, iosb, device));
            if (done)
            {
                return status;
            }
        }

        status = BeginRequest(file, fileBody, HANDLE.NULL, mode, IRP_MJ.IRP_MJ_LOCK_CONTROL, out var userEvent, out device, out var irp, out var sl);
        if (!status.IsSuccess())
        {
            return status;
        }

        sl.MinorFunction = IRP_MN.IRP_MN_UNLOCK_SINGLE;
        return SendLockControl(irp, sl, device, file, fileBody, userEvent, ioStatusBlock, offset, lockLength, key, mode);
    }

    /// <summary>IoGetRequestorProcess as an address: the EPROCESS of the thread that issued a threaded IRP; 0 for an IRP of no thread.</summary>
    internal ulong RequestorProcessAddress(IRP irp) => RequestorProcess(irp)?.Address ?? 0;

    /// <summary>
    /// IoGetRequestorProcess: the process of the thread that issued a threaded IRP (a system thread's is the
    /// System process); null for an IRP of no thread.
    /// </summary>
    internal Ps.EPROCESS? RequestorProcess(IRP irp) =>
        ThreadOf(irp.Tail.Overlay.Thread) is { } thread ? thread.Process as Ps.EPROCESS ?? _machine.Ob.SystemProcess : null;

    /// <summary>
    /// Exchanges IRP.CancelRoutine with a kernel routine's address (or 0) and returns the previous address, as
    /// IoSetCancelRoutine's interlocked exchange does, with no scheduling point: the FsRtl package calls it
    /// while it holds its own lock.
    /// </summary>
    internal ulong ExchangeCancelRoutine(IRP irp, ulong routine)
    {
        lock (_cancelRoutineLock)
        {
            var previous = Mm.Read<ulong>(irp.Address + IrpLayout.CancelRoutine);
            Mm.Write(irp.Address + IrpLayout.CancelRoutine, routine);
            return previous;
        }
    }

    private bool CaptureLockRange(ulong ioStatusBlock, ulong byteOffset, ulong length, KPROCESSOR_MODE mode, out long offset, out long lockLength,
        out NTSTATUS status)
    {
        offset = 0;
        lockLength = 0;
        status = NTSTATUS.STATUS_SUCCESS;
        try
        {
            Probe.ForWrite(Mm, ioStatusBlock, IoStatusBlockLayout.Size, 4, mode);
            Probe.ForRead(byteOffset, 8, 4, mode);
            offset = Mm.Read<long>(byteOffset, mode);
            Probe.ForRead(length, 8, 4, mode);
            lockLength = Mm.Read<long>(length, mode);
            return true;
        }
        catch (NtException e)
        {
            status = e.Status;
            return false;
        }
    }

    /// <summary>The file object of a lock service: from user mode the handle must grant FILE_READ_DATA or FILE_WRITE_DATA.</summary>
    private NTSTATUS ReferenceLockFile(HANDLE fileHandle, KPROCESSOR_MODE mode, out FILE_OBJECT file, out object fileBody)
    {
        var status = ReferenceFile(fileHandle, 0, mode, out file, out fileBody, out var granted);
        if (status.IsSuccess() && mode == KPROCESSOR_MODE.UserMode && (granted & (AccessMask.FILE_READ_DATA | AccessMask.FILE_WRITE_DATA)) == 0)
        {
            DereferenceFile(fileBody);
            return NTSTATUS.STATUS_ACCESS_DENIED;
        }

        return status;
    }

    /// <summary>The top driver's fast I/O lock routine at <paramref name="offset"/> of its FAST_IO_DISPATCH, with its thunk entry; null if it has none.</summary>
    private (T Routine, ThunkTable.Entry Entry)? FastLockRoutine<T>(DEVICE_OBJECT device, int offset)
        where T : Delegate
    {
        var driver = Mm.Read<ulong>(device.Address + DeviceObjectLayout.DriverObject);
        var table = new FAST_IO_DISPATCH(Mm.Read<ulong>(driver + DriverObjectLayout.FastIoDispatch));
        if (table.IsNull)
        {
            return null;
        }

        var address = table.AddressOf(offset);
        return address != 0 && Thunks.Describe(address) is { Routine: T routine } entry ? (routine, entry) : null;
    }

    /// <summary>
    /// Calls a fast I/O lock routine with an IO_STATUS_BLOCK of the I/O manager's own. When it decides the
    /// request, the caller's event is set, its IO_STATUS_BLOCK written and the file's reference released;
    /// false leaves everything for the IRP path.
    /// </summary>
    private bool TryFastLockOperation(ThunkTable.Entry entry, FILE_OBJECT file, object fileBody, HANDLE eventHandle, ulong ioStatusBlock,
        KPROCESSOR_MODE mode, out NTSTATUS status, Func<IO_STATUS_BLOCK, bool> call)
    {
        status = ReferenceEvent(eventHandle, mode, out var userEvent);
        if (!status.IsSuccess())
        {
            DereferenceFile(fileBody);
            return true;
        }

        var iosbAddress = AllocateNonPaged(IoStatusBlockLayout.Size, TagSystemBuffer);
        if (iosbAddress == 0)
        {
            DereferenceEvent(userEvent);
            return false;
        }

        var iosb = new IO_STATUS_BLOCK(iosbAddress);
        var thread = _machine.Ke.CurrentThread;
        bool done;
        thread.PushFrame(new CallFrame(entry.Module, entry.Address, entry.Name));
        try
        {
            done = call(iosb);
        }
        finally
        {
            thread.PopFrame();
        }

        status = iosb.Status;
        var information = iosb.Information;
        FreePool(iosbAddress);
        if (!done)
        {
            DereferenceEvent(userEvent);
            return false;
        }

        status = FinishFastService(userEvent, fileBody, ioStatusBlock, status, information, mode);
        return true;
    }

    /// <summary>The IRP path of both services: the captured length in an auxiliary buffer, the range and key in Parameters.LockControl.</summary>
    private NTSTATUS SendLockControl(IRP irp, IO_STACK_LOCATION sl, DEVICE_OBJECT device, FILE_OBJECT file, object fileBody, KEVENT? userEvent,
        ulong ioStatusBlock, long offset, long length, uint key, KPROCESSOR_MODE mode)
    {
        var lengthBuffer = AllocateNonPaged(8, TagSystemBuffer);
        if (lengthBuffer == 0)
        {
            return AbandonRequest(irp, userEvent, fileBody, NTSTATUS.STATUS_INSUFFICIENT_RESOURCES);
        }

        Mm.Write(lengthBuffer, length);
        irp.Tail.Overlay.AuxiliaryBuffer = lengthBuffer;
        sl.Parameters.LockControl.Length = lengthBuffer;
        sl.Parameters.LockControl.Key = key;
        sl.Parameters.LockControl.ByteOffset = offset;
        return SynchronousServiceTail(device, irp, file, fileBody, userEvent, ioStatusBlock, mode);
    }

    /// <summary>
    /// IopCloseFile's unlock for a handle that is not the file object's last: the top driver's FastIoUnlockAll for
    /// the closing process, or an IRP_MN_UNLOCK_ALL of the closing thread, sent and waited for like cleanup.
    /// </summary>
    private void UnlockAllOnClose(FILE_OBJECT file, Ps.EPROCESS? process)
    {
        var device = GetRelatedDeviceObject(file);
        if (FastLockRoutine<FAST_IO_UNLOCK_ALL>(device, FastIoDispatchLayout.FastIoUnlockAll) is { } fastUnlock)
        {
            var iosbAddress = AllocateNonPaged(IoStatusBlockLayout.Size, TagSystemBuffer);
            if (iosbAddress != 0)
            {
                var thread = _machine.Ke.CurrentThread;
                bool done;
                thread.PushFrame(new CallFrame(fastUnlock.Entry.Module, fastUnlock.Entry.Address, fastUnlock.Entry.Name));
                try
                {
                    done = fastUnlock.Routine(file, process, new IO_STATUS_BLOCK(iosbAddress), device);
                }
                finally
                {
                    thread.PopFrame();
                }

                FreePool(iosbAddress);
                if (done)
                {
                    return;
                }
            }
        }

        var irp = AllocateIrp(device.StackSize, false);
        if (irp.IsNull)
        {
            return;
        }

        var sl = GetNextIrpStackLocation(irp);
        sl.MajorFunction = IRP_MJ.IRP_MJ_LOCK_CONTROL;
        sl.MinorFunction = IRP_MN.IRP_MN_UNLOCK_ALL;
        sl.FileObject = file;
        irp.Tail.Overlay.OriginalFileObject = file;
        irp.RequestorMode = KPROCESSOR_MODE.KernelMode;
        irp.Flags = IRP_FLAGS.IRP_CLOSE_OPERATION | IRP_FLAGS.IRP_SYNCHRONOUS_API;
        var current = _machine.Ke.CurrentThread;
        RegisterThread(current);
        irp.Tail.Overlay.Thread = current.Address;
        SendSynchronous(device, irp, out _);
    }
}
