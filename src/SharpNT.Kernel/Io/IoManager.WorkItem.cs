using SharpNT.Kernel.Ke;

namespace SharpNT.Kernel.Io;

internal sealed partial class IoManager
{
    /// <summary>IoAllocateWorkItem: IRQL &lt;= DISPATCH_LEVEL.</summary>
    internal IO_WORKITEM AllocateWorkItem(DEVICE_OBJECT device) =>
        new() { DeviceObject = device, Module = _machine.Ke.CurrentModule() };

    /// <summary>IoFreeWorkItem: a queued item must not be freed before its routine ran.</summary>
    internal void FreeWorkItem(IO_WORKITEM item)
    {
        if (item.Queued)
        {
            // Freeing a work item still in the queue is the documented misuse the verifier reports.
            _machine.BugCheck.Raise(BugCheckCode.DRIVER_VERIFIER_DETECTED_VIOLATION, 0x9A, 0, 0, 0);
        }

        item.DeviceObject = DEVICE_OBJECT.NULL;
    }

    /// <summary>
    /// IoQueueWorkItem: IRQL &lt;= DISPATCH_LEVEL. The routine runs on a system worker thread at
    /// PASSIVE_LEVEL with the device referenced until it returns.
    /// </summary>
    internal void QueueWorkItem(IO_WORKITEM item, IO_WORKITEM_ROUTINE routine, WORK_QUEUE_TYPE queueType, object? context)
    {
        if (item.Queued)
        {
            _machine.BugCheck.Raise(BugCheckCode.DRIVER_VERIFIER_DETECTED_VIOLATION, 0x9B, 0, 0, 0);
        }

        item.Queued = true;
        ReferenceDevice(item.DeviceObject);
        var module = item.Module ?? _machine.Modules.Kernel;
        var address = Thunks.Register(module, routine);
        var name = Thunks.Describe(address)?.Name ?? "WorkItemRoutine";
        _machine.Ex.QueueWork(module, address, name, () =>
        {
            item.Queued = false;
            try
            {
                routine(item.DeviceObject, context);
            }
            finally
            {
                DereferenceDevice(item.DeviceObject);
            }
        });
    }
}
