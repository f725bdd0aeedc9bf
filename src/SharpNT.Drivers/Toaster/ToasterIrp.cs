using SharpNT.Kernel;
using SharpNT.Kernel.Io;
using SharpNT.Kernel.Ke;
using static SharpNT.Kernel.Ddi.Wdm;
using static SharpNT.Kernel.NTSTATUS;

namespace SharpNT.Drivers.Toaster;

/// <summary>What every driver of the toaster stack does the same way (ToasterSendIrpSynchronously in the sample).</summary>
internal static class ToasterIrp
{
    /// <summary>
    /// Passes the IRP down and waits for the lower drivers to finish with it (IRP_MN_START_DEVICE goes down
    /// first, as documented); the IRP comes back to the caller, which completes it.
    /// </summary>
    public static NTSTATUS SendIrpSynchronously(DEVICE_OBJECT LowerDevice, IRP Irp)
    {
        var evt = new KEVENT();
        KeInitializeEvent(evt, NotificationEvent, false);
        IoCopyCurrentIrpStackLocationToNext(Irp);
        IoSetCompletionRoutine(Irp, ToasterCompletionRoutine, evt, true, true, true);
        var status = IoCallDriver(LowerDevice, Irp);
        if (status == STATUS_PENDING)
        {
            KeWaitForSingleObject(evt, Executive, KernelMode, false, null);
            status = Irp.IoStatus.Status;
        }

        return status;
    }

    private static NTSTATUS ToasterCompletionRoutine(DEVICE_OBJECT DeviceObject, IRP Irp, object? Context)
    {
        if (Irp.PendingReturned)
        {
            KeSetEvent((KEVENT)Context!, IO_NO_INCREMENT, false);
        }

        // The dispatch routine takes the IRP back and completes it.
        return STATUS_MORE_PROCESSING_REQUIRED;
    }

    /// <summary>Completes an IRP with a status (and no information), returning the status.</summary>
    public static NTSTATUS Complete(IRP Irp, NTSTATUS status, ulong information = 0)
    {
        Irp.IoStatus.Status = status;
        Irp.IoStatus.Information = information;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return status;
    }
}
