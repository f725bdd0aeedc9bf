using SharpNT.Kernel.Io.Layout;
using SharpNT.Kernel.Ke;
using SharpNT.Kernel.Mm;

namespace SharpNT.Kernel.Io;

internal sealed partial class IoManager
{
    private readonly Dictionary<ulong, KTHREAD> _threadsByAddress = [];

    /// <summary>
    /// The I/O manager's half of completion (IopCompleteRequest), once no completion routine kept the IRP:
    /// a threaded IRP is finished in its requesting thread by a special kernel APC, because the buffers it
    /// copies back to may exist only in that thread's process.
    /// </summary>
    private void FinishCompletion(IRP irp, sbyte priorityBoost)
    {
        if ((irp.Flags & IRP_FLAGS.IRP_DEFER_IO_COMPLETION) != 0 && !irp.PendingReturned)
        {
            // A system service sent this IRP and is still on the stack (nobody returned STATUS_PENDING): it
            // finishes the request itself when IoCallDriver returns, with no APC (IopSynchronousServiceTail).
            return;
        }

        if ((irp.Flags & IRP_FLAGS.IRP_CLOSE_OPERATION) != 0)
        {
            // A cleanup or close the I/O manager sent: IofCompleteRequest writes its status block and sets its
            // event at once; there are no requester buffers to copy to, so no APC is needed.
            FinishInRequesterContext(irp);
            return;
        }

        var threadAddress = irp.Tail.Overlay.Thread;
        if (threadAddress != 0 && ThreadOf(threadAddress) is { } requester)
        {
            var apc = new KAPC();
            _machine.Ke.InitializeApc(apc, requester, (a, ctx) => FinishInRequesterContext((IRP)ctx!), irp, "IopCompleteRequest");
            apc.Module = _machine.Modules.Kernel;
            apc.RoutineAddress = _machine.Modules.Kernel.RoutineAddress("IopCompleteRequest");
            if (_machine.Ke.InsertQueueApc(apc))
            {
                return;
            }
        }

        if (threadAddress == 0 && irp.UserIosb == 0 && irp.UserEvent == 0)
        {
            // Nobody waits for this IRP (IoAllocateIrp without a completion routine that keeps it):
            // it ends here.
            FreeIrp(irp);
            return;
        }

        FinishInRequesterContext(irp);
    }

    /// <summary>
    /// Copy-back, buffer and MDL release, status to the requester's IO_STATUS_BLOCK, events, free. For a
    /// user-mode requester the copy-back and the status block are user memory: a fault there is the
    /// request's status (the copy-back) or ignored (the status block), as IopCompleteRequest's handlers do.
    /// </summary>
    private void FinishInRequesterContext(IRP irp, KTHREAD? requester = null)
    {
        var flags = irp.Flags;
        var status = irp.IoStatus.Status;
        var information = irp.IoStatus.Information;
        var systemBuffer = irp.AssociatedIrp.SystemBuffer;
        if ((flags & IRP_FLAGS.IRP_BUFFERED_IO) != 0)
        {
            if ((flags & IRP_FLAGS.IRP_INPUT_OPERATION) != 0 && !status.IsError() && information > 0 && irp.UserBuffer != 0)
            {
                try
                {
                    Mm.Copy(irp.UserBuffer, systemBuffer, information);
                }
                catch (NtException e) when (irp.RequestorMode == KPROCESSOR_MODE.UserMode)
                {
                    status = e.Status;
                    information = 0;
                }
            }

            if ((flags & IRP_FLAGS.IRP_DEALLOCATE_BUFFER) != 0 && systemBuffer != 0)
            {
                FreePool(systemBuffer);
                irp.AssociatedIrp.SystemBuffer = 0;
            }
        }

        if (irp.Tail.Overlay.AuxiliaryBuffer != 0)
        {
            FreePool(irp.Tail.Overlay.AuxiliaryBuffer);
            irp.Tail.Overlay.AuxiliaryBuffer = 0;
        }

        ReleaseMdls(irp);
        if (irp.UserIosb != 0)
        {
            try
            {
                WriteIoStatus(irp.UserIosb, status, information, KPROCESSOR_MODE.KernelMode);
            }
            catch (NtException) when (irp.RequestorMode == KPROCESSOR_MODE.UserMode)
            {
            }
        }

        var hadUserEvent = irp.UserEvent != 0;
        if (hadUserEvent && Pointers.Resolve(irp.UserEvent) is KEVENT userEvent)
        {
            Pointers.Unpin(irp.UserEvent);
            irp.UserEvent = 0;
            _machine.Ke.SetEvent(userEvent);
        }

        var file = irp.Tail.Overlay.OriginalFileObject;
        if (!file.IsNull && (flags & (IRP_FLAGS.IRP_CREATE_OPERATION | IRP_FLAGS.IRP_CLOSE_OPERATION)) == 0
            && (!hadUserEvent || ((flags & IRP_FLAGS.IRP_SYNCHRONOUS_API) != 0 && (file.Flags & FO_FLAGS.FO_SYNCHRONOUS_IO) != 0)))
        {
            // Without an event of its own the requester waits on the file object: FinalStatus and the
            // file's event tell it the outcome (as for every request on a synchronous file object).
            Mm.Write(file.Address + FileObjectLayout.FinalStatus, status);
            if (FileEvent(file) is { } fileEvent)
            {
                _machine.Ke.SetEvent(fileEvent);
            }
        }

        if ((requester ?? ThreadOf(irp.Tail.Overlay.Thread)) is { } thread)
        {
            lock (thread.PendingIrpsLock)
            {
                thread.PendingIrps.Remove(irp.Address);
            }

            QueueUserCompletionApc(irp, status, thread);
        }

        FreeIrp(irp);
    }

    private void ReleaseMdls(IRP irp)
    {
        var mdl = irp.MdlAddress;
        while (mdl != 0)
        {
            var next = Mm.Read<ulong>(mdl + Layout.MdlLayout.Next);
            var mdlFlags = Mm.Read<ushort>(mdl + Layout.MdlLayout.MdlFlags);
            if ((mdlFlags & MDL_FLAGS.MDL_PAGES_LOCKED) != 0)
            {
                Mm.UnlockPages(mdl);
            }

            Mm.FreeMdl(mdl);
            mdl = next;
        }

        irp.MdlAddress = 0;
    }

    internal void RegisterThread(KTHREAD thread)
    {
        if (thread.KnownToIo)
        {
            return;
        }

        lock (_threadsByAddress)
        {
            _threadsByAddress[thread.Address] = thread;
        }

        thread.KnownToIo = true;
    }

    private KTHREAD? ThreadOf(ulong address)
    {
        if (address == 0)
        {
            return null;
        }

        lock (_threadsByAddress)
        {
            return _threadsByAddress.GetValueOrDefault(address);
        }
    }

    /// <summary>Queues a threaded IRP to the current thread: it is finished (and cancelled) with it.</summary>
    private void QueueThreadedIrp(IRP irp)
    {
        var thread = _machine.Ke.CurrentThread;
        RegisterThread(thread);
        irp.Tail.Overlay.Thread = thread.Address;
        lock (thread.PendingIrpsLock)
        {
            thread.PendingIrps.Add(irp.Address);
        }
    }

    /// <summary>
    /// IoBuildDeviceIoControlRequest: IRQL PASSIVE_LEVEL. A threaded IRP for IRP_MJ_(INTERNAL_)DEVICE_CONTROL
    /// with its buffers set up for the code's transfer method: METHOD_BUFFERED copies through a nonpaged
    /// system buffer; METHOD_IN_DIRECT / METHOD_OUT_DIRECT pass the output buffer as a locked MDL;
    /// METHOD_NEITHER passes both addresses untouched.
    /// </summary>
    internal IRP BuildDeviceIoControlRequest(uint ioControlCode, DEVICE_OBJECT device, ulong inputBuffer, uint inputLength,
        ulong outputBuffer, uint outputLength, bool internalDeviceIoControl, KEVENT? userEvent, IO_STATUS_BLOCK ioStatusBlock)
    {
        var irp = AllocateIrp(device.StackSize, false);
        if (irp.IsNull)
        {
            return irp;
        }

        var sl = GetNextIrpStackLocation(irp);
        sl.MajorFunction = internalDeviceIoControl ? IRP_MJ.IRP_MJ_INTERNAL_DEVICE_CONTROL : IRP_MJ.IRP_MJ_DEVICE_CONTROL;
        sl.Parameters.DeviceIoControl.OutputBufferLength = outputLength;
        sl.Parameters.DeviceIoControl.InputBufferLength = inputLength;
        sl.Parameters.DeviceIoControl.IoControlCode = ioControlCode;
        var status = SetUpIoctlBuffers(irp, sl, ioControlCode, inputBuffer, inputLength, outputBuffer, outputLength, KPROCESSOR_MODE.KernelMode);
        if (!status.IsSuccess())
        {
            ReleaseMdls(irp);
            FreeIrp(irp);
            return IRP.NULL;
        }

        irp.RequestorMode = KPROCESSOR_MODE.KernelMode;
        irp.UserIosb = ioStatusBlock.Address;
        irp.UserEvent = Pointers.Pin(userEvent);
        QueueThreadedIrp(irp);
        return irp;
    }

    /// <summary>Sets up an IOCTL's buffers for its transfer method (the method is the code's low two bits).</summary>
    internal NTSTATUS SetUpIoctlBuffers(IRP irp, IO_STACK_LOCATION sl, uint code, ulong input, uint inputLength,
        ulong output, uint outputLength, KPROCESSOR_MODE mode)
    {
        switch (IoCtl.METHOD_FROM_CTL_CODE(code))
        {
            case IoCtl.METHOD_BUFFERED:
                {
                    var length = Math.Max(inputLength, outputLength);
                    if (length > 0)
                    {
                        var buffer = AllocateNonPaged(length, TagSystemBuffer);
                        if (buffer == 0)
                        {
                            return NTSTATUS.STATUS_INSUFFICIENT_RESOURCES;
                        }

                        irp.AssociatedIrp.SystemBuffer = buffer;
                        if (inputLength > 0)
                        {
                            Mm.Copy(buffer, input, inputLength);
                        }

                        irp.Flags = IRP_FLAGS.IRP_BUFFERED_IO | IRP_FLAGS.IRP_DEALLOCATE_BUFFER
                            | (outputLength > 0 ? IRP_FLAGS.IRP_INPUT_OPERATION : 0);
                    }

                    irp.UserBuffer = output;
                    return NTSTATUS.STATUS_SUCCESS;
                }

            case IoCtl.METHOD_IN_DIRECT:
            case IoCtl.METHOD_OUT_DIRECT:
                {
                    if (inputLength > 0)
                    {
                        var buffer = AllocateNonPaged(inputLength, TagSystemBuffer);
                        if (buffer == 0)
                        {
                            return NTSTATUS.STATUS_INSUFFICIENT_RESOURCES;
                        }

                        Mm.Copy(buffer, input, inputLength);
                        irp.AssociatedIrp.SystemBuffer = buffer;
                        irp.Flags = IRP_FLAGS.IRP_BUFFERED_IO | IRP_FLAGS.IRP_DEALLOCATE_BUFFER;
                    }

                    if (outputLength > 0)
                    {
                        // METHOD_IN_DIRECT: the device reads the "output" buffer; METHOD_OUT_DIRECT: it writes it.
                        var operation = IoCtl.METHOD_FROM_CTL_CODE(code) == IoCtl.METHOD_IN_DIRECT
                            ? LOCK_OPERATION.IoReadAccess
                            : LOCK_OPERATION.IoWriteAccess;
                        var status = LockBufferMdl(irp, output, outputLength, mode, operation);
                        if (!status.IsSuccess())
                        {
                            return status;
                        }
                    }

                    return NTSTATUS.STATUS_SUCCESS;
                }

            default:
                // METHOD_NEITHER: raw addresses, valid only in the requester's context.
                sl.Parameters.DeviceIoControl.Type3InputBuffer = input;
                irp.UserBuffer = output;
                return NTSTATUS.STATUS_SUCCESS;
        }
    }

    /// <summary>An MDL for the buffer, probed and locked, as the IRP's MdlAddress (IoAllocateMdl + MmProbeAndLockPages).</summary>
    private NTSTATUS LockBufferMdl(IRP irp, ulong buffer, uint length, KPROCESSOR_MODE mode, LOCK_OPERATION operation)
    {
        var mdl = Mm.AllocateMdl(buffer, length, false, false, irp.Address);
        if (mdl == 0)
        {
            return NTSTATUS.STATUS_INSUFFICIENT_RESOURCES;
        }

        try
        {
            Mm.ProbeAndLockPages(mdl, mode, operation);
        }
        catch (NtException e)
        {
            Mm.FreeMdl(mdl);
            return e.Status;
        }

        irp.MdlAddress = mdl;
        return NTSTATUS.STATUS_SUCCESS;
    }

    /// <summary>
    /// IoBuildSynchronousFsdRequest / IoBuildAsynchronousFsdRequest: an IRP for IRP_MJ_READ, WRITE,
    /// FLUSH_BUFFERS or SHUTDOWN, buffered as the target device asks (DO_BUFFERED_IO, DO_DIRECT_IO, or
    /// neither). The synchronous kind is threaded and signals <paramref name="userEvent"/>; the
    /// asynchronous kind is the caller's to free in its completion routine.
    /// </summary>
    internal IRP BuildFsdRequest(byte majorFunction, DEVICE_OBJECT device, ulong buffer, uint length, long? startingOffset,
        KEVENT? userEvent, IO_STATUS_BLOCK ioStatusBlock, bool synchronous)
    {
        if (majorFunction is not (IRP_MJ.IRP_MJ_READ or IRP_MJ.IRP_MJ_WRITE or IRP_MJ.IRP_MJ_FLUSH_BUFFERS or IRP_MJ.IRP_MJ_SHUTDOWN or IRP_MJ.IRP_MJ_PNP or IRP_MJ.IRP_MJ_POWER))
        {
            throw new NtException(NTSTATUS.STATUS_INVALID_PARAMETER);
        }

        var irp = AllocateIrp(device.StackSize, false);
        if (irp.IsNull)
        {
            return irp;
        }

        var sl = GetNextIrpStackLocation(irp);
        sl.MajorFunction = majorFunction;
        irp.RequestorMode = KPROCESSOR_MODE.KernelMode;
        if (majorFunction is IRP_MJ.IRP_MJ_READ or IRP_MJ.IRP_MJ_WRITE)
        {
            var read = majorFunction == IRP_MJ.IRP_MJ_READ;
            sl.Parameters.Read.Length = length;
            sl.Parameters.Read.ByteOffset = startingOffset ?? 0;
            var deviceFlags = device.Flags;
            if ((deviceFlags & DO_FLAGS.DO_BUFFERED_IO) != 0)
            {
                var systemBuffer = AllocateNonPaged(Math.Max(length, 1u), TagSystemBuffer);
                if (systemBuffer == 0)
                {
                    FreeIrp(irp);
                    return IRP.NULL;
                }

                irp.AssociatedIrp.SystemBuffer = systemBuffer;
                if (!read)
                {
                    Mm.Copy(systemBuffer, buffer, length);
                }

                irp.UserBuffer = buffer;
                irp.Flags = IRP_FLAGS.IRP_BUFFERED_IO | IRP_FLAGS.IRP_DEALLOCATE_BUFFER | (read ? IRP_FLAGS.IRP_INPUT_OPERATION : 0);
            }
            else if ((deviceFlags & DO_FLAGS.DO_DIRECT_IO) != 0)
            {
                var status = LockBufferMdl(irp, buffer, length, KPROCESSOR_MODE.KernelMode,
                    read ? LOCK_OPERATION.IoWriteAccess : LOCK_OPERATION.IoReadAccess);
                if (!status.IsSuccess())
                {
                    FreeIrp(irp);
                    return IRP.NULL;
                }
            }
            else
            {
                irp.UserBuffer = buffer;
            }
        }

        irp.UserIosb = ioStatusBlock.Address;
        if (synchronous)
        {
            irp.UserEvent = Pointers.Pin(userEvent);
            QueueThreadedIrp(irp);
        }

        return irp;
    }
}
