namespace SharpNT.Kernel.Io;

/// <summary>
/// Watches IRPs travel: each dispatch on the way down, each completion routine on the way up. The demo
/// prints it; the trace writer turns it into a timeline.
/// </summary>
internal abstract class IoTraceSink
{
    internal abstract void OnDispatch(DEVICE_OBJECT device, IRP irp, byte major, byte minor, string driver, string routine, int depth);

    internal abstract void OnDispatchReturned(DEVICE_OBJECT device, IRP irp, NTSTATUS status);

    internal abstract void OnComplete(IRP irp, NTSTATUS status);

    internal abstract void OnCompletionRoutine(DEVICE_OBJECT device, IRP irp, string driver, string routine);

    internal abstract void OnPending(IRP irp);

    internal abstract void OnCancel(IRP irp);
}
