using SharpNT.Kernel.Io.Layout;
using SharpNT.Kernel.Ke;

namespace SharpNT.Kernel.Io;

/// <summary>
/// The user APC of an I/O request: NtReadFile / NtWriteFile / NtDeviceIoControlFile's ApcRoutine and ApcContext ride in the IRP's
/// Overlay.AsynchronousParameters, and when the request is finished in the requester's context
/// (IopCompleteRequest) the routine is queued to the requesting thread as a user APC with ApcContext, the
/// IO_STATUS_BLOCK's address and 0 (PIO_APC_ROUTINE): it runs at that thread's next alertable wait.
/// </summary>
internal sealed partial class IoManager
{
    /// <summary>Records the caller's APC routine and context in Overlay.AsynchronousParameters.</summary>
    private void SetUserApc(IRP irp, ulong apcRoutine, ulong apcContext)
    {
        if (apcRoutine == 0)
        {
            return;
        }

        Mm.Write(irp.Address + IrpLayout.Overlay_AsynchronousParameters_UserApcRoutine, apcRoutine);
        Mm.Write(irp.Address + IrpLayout.Overlay_AsynchronousParameters_UserApcContext, apcContext);
    }

    /// <summary>
    /// IopCompleteRequest's last step: a user-mode request with an APC routine queues it to the requesting
    /// thread. An error the driver returned without pending the request goes back to the caller as the service's
    /// status instead, with no APC (IofCompleteRequest's rule for an error completed on the caller's stack). A
    /// thread that has ended takes no APC; one that ends before it runs discards it.
    /// </summary>
    private void QueueUserCompletionApc(IRP irp, NTSTATUS status, KTHREAD? requester)
    {
        if (requester is null || irp.RequestorMode != KPROCESSOR_MODE.UserMode
            || (irp.Flags & (IRP_FLAGS.IRP_CREATE_OPERATION | IRP_FLAGS.IRP_CLOSE_OPERATION)) != 0)
        {
            return;
        }

        var routine = Mm.Read<ulong>(irp.Address + IrpLayout.Overlay_AsynchronousParameters_UserApcRoutine);
        if (routine == 0 || (status.IsError() && !irp.PendingReturned))
        {
            return;
        }

        var context = Mm.Read<ulong>(irp.Address + IrpLayout.Overlay_AsynchronousParameters_UserApcContext);
        var apc = new KAPC();
        _machine.Ke.InitializeUserApc(apc, requester, static (_, _) => { }, null, routine, context, "IopUserCompletion");
        apc.Module = _machine.Modules.Kernel;
        apc.RoutineAddress = _machine.Modules.Kernel.RoutineAddress("IopUserCompletion");
        _machine.Ke.InsertQueueApc(apc, irp.UserIosb, 0);
    }
}
