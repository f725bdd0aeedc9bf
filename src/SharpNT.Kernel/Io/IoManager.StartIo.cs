using SharpNT.Kernel.Io.Layout;
using SharpNT.Kernel.Ke;

namespace SharpNT.Kernel.Io;

internal sealed partial class IoManager
{
    /// <summary>
    /// IoStartPacket: IRQL &lt;= DISPATCH_LEVEL. If the device is idle the IRP becomes its CurrentIrp and
    /// the driver's StartIo runs at once, at DISPATCH_LEVEL; otherwise the IRP waits in the device queue
    /// (in key order when a key is given). The cancel routine, if any, is set under the cancel lock.
    /// </summary>
    internal void StartPacket(DEVICE_OBJECT device, IRP irp, uint? key, DRIVER_CANCEL? cancelFunction)
    {
        var record = RecordOf(device) ?? throw new NtException(NTSTATUS.STATUS_INVALID_DEVICE_OBJECT_PARAMETER);
        var thread = _machine.Ke.CurrentThread;
        var oldIrql = AcquireCancelSpinLock();
        if (cancelFunction is not null)
        {
            lock (_cancelRoutineLock)
            {
                Mm.Write(irp.Address + IrpLayout.CancelRoutine, Thunks.Register(_machine.Ke.CurrentModule(), cancelFunction));
            }
        }

        bool start;
        lock (record.StartIoQueue)
        {
            start = !record.StartIoBusy;
            if (start)
            {
                record.StartIoBusy = true;
                SetDeviceQueueBusy(device, true);
            }
            else
            {
                InsertByKey(record, irp, key);
            }
        }

        if (start)
        {
            device.CurrentIrp = irp;

            // StartIo runs at DISPATCH_LEVEL: release the cancel lock but stay raised.
            _machine.Ke.ReleaseSpinLockFromDpcLevel(CancelSpinLock);
            CallStartIo(thread, device, irp);
            _machine.Ke.LowerIrql(oldIrql);
            return;
        }

        if (irp.Cancel && cancelFunction is not null && SetCancelRoutineKernel(irp) != 0)
        {
            // Cancelled while being queued: cancel it now, as IoCancelIrp would have.
            irp.CancelIrql = oldIrql;
            thread.PushFrame(new CallFrame(_machine.Ke.CurrentModule(), Thunks.Register(_machine.Ke.CurrentModule(), cancelFunction), cancelFunction.Method.Name));
            try
            {
                cancelFunction(device, irp);
            }
            finally
            {
                thread.PopFrame();
            }

            return;
        }

        ReleaseCancelSpinLock(oldIrql);
    }

    /// <summary>
    /// IoStartNextPacket: IRQL DISPATCH_LEVEL (from the driver's DPC). Starts the next queued IRP, or
    /// marks the device idle.
    /// </summary>
    internal void StartNextPacket(DEVICE_OBJECT device, bool cancelable) => StartNext(device, cancelable, null);

    /// <summary>IoStartNextPacketByKey: the next queued IRP whose key is at least <paramref name="key"/>.</summary>
    internal void StartNextPacketByKey(DEVICE_OBJECT device, bool cancelable, uint key) => StartNext(device, cancelable, key);

    private void StartNext(DEVICE_OBJECT device, bool cancelable, uint? key)
    {
        var record = RecordOf(device) ?? throw new NtException(NTSTATUS.STATUS_INVALID_DEVICE_OBJECT_PARAMETER);
        var thread = _machine.Ke.CurrentThread;
        device.CurrentIrp = IRP.NULL;
        var oldIrql = cancelable ? AcquireCancelSpinLock() : _machine.Ke.RaiseIrql(Irql.DISPATCH_LEVEL);
        IRP next = IRP.NULL;
        lock (record.StartIoQueue)
        {
            var node = record.StartIoQueue.First;
            if (key is { } k)
            {
                while (node is not null && node.Value.Key < k)
                {
                    node = node.Next;
                }

                node ??= record.StartIoQueue.First;
            }

            if (node is not null)
            {
                next = node.Value.Irp;
                record.StartIoQueue.Remove(node);
            }
            else
            {
                record.StartIoBusy = false;
                SetDeviceQueueBusy(device, false);
            }
        }

        if (cancelable)
        {
            _machine.Ke.ReleaseSpinLockFromDpcLevel(CancelSpinLock);
        }

        if (!next.IsNull)
        {
            device.CurrentIrp = next;
            CallStartIo(thread, device, next);
        }

        _machine.Ke.LowerIrql(oldIrql);
    }

    /// <summary>Removes a cancelled IRP from the StartIo queue (a cancel routine's KeRemoveEntryDeviceQueue).</summary>
    internal bool RemoveEntryDeviceQueue(DEVICE_OBJECT device, IRP irp)
    {
        var record = RecordOf(device);
        if (record is null)
        {
            return false;
        }

        lock (record.StartIoQueue)
        {
            for (var node = record.StartIoQueue.First; node is not null; node = node.Next)
            {
                if (node.Value.Irp == irp)
                {
                    record.StartIoQueue.Remove(node);
                    return true;
                }
            }
        }

        return false;
    }

    private static void InsertByKey(DeviceRecord record, IRP irp, uint? key)
    {
        if (key is not { } k)
        {
            record.StartIoQueue.AddLast((irp, 0));
            return;
        }

        var node = record.StartIoQueue.First;
        while (node is not null && node.Value.Key <= k)
        {
            node = node.Next;
        }

        if (node is null)
        {
            record.StartIoQueue.AddLast((irp, k));
        }
        else
        {
            record.StartIoQueue.AddBefore(node, (irp, k));
        }
    }

    private void SetDeviceQueueBusy(DEVICE_OBJECT device, bool busy) =>
        Mm.Write(device.Address + DeviceObjectLayout.DeviceQueue + KDeviceQueueLayout.Busy, (byte)(busy ? 1 : 0));

    private void CallStartIo(KTHREAD thread, DEVICE_OBJECT device, IRP irp)
    {
        var driver = device.DriverObject;
        var address = Mm.Read<ulong>(driver.Address + DriverObjectLayout.DriverStartIo);
        var entry = Thunks.Describe(address);
        if (entry?.Routine is not DRIVER_STARTIO startIo)
        {
            _machine.BugCheck.Raise(BugCheckCode.KMODE_EXCEPTION_NOT_HANDLED, (ulong)NTSTATUS.STATUS_ACCESS_VIOLATION, address, 8, address);
            return;
        }

        thread.PushFrame(entry.Frame);
        try
        {
            startIo(device, irp);
        }
        finally
        {
            thread.PopFrame();
        }
    }
}
