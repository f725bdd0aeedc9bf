namespace SharpNT.Kernel.Io;

/// <summary>Sends the IRP trace to two sinks (a printed trace and a trace file, say).</summary>
internal sealed class IoTraceFanout(IoTraceSink first, IoTraceSink second) : IoTraceSink
{
    internal IoTraceSink First => first;

    internal override void OnDispatch(DEVICE_OBJECT device, IRP irp, byte major, byte minor, string driver, string routine, int depth)
    {
        first.OnDispatch(device, irp, major, minor, driver, routine, depth);
        second.OnDispatch(device, irp, major, minor, driver, routine, depth);
    }

    internal override void OnDispatchReturned(DEVICE_OBJECT device, IRP irp, NTSTATUS status)
    {
        first.OnDispatchReturned(device, irp, status);
        second.OnDispatchReturned(device, irp, status);
    }

    internal override void OnComplete(IRP irp, NTSTATUS status)
    {
        first.OnComplete(irp, status);
        second.OnComplete(irp, status);
    }

    internal override void OnCompletionRoutine(DEVICE_OBJECT device, IRP irp, string driver, string routine)
    {
        first.OnCompletionRoutine(device, irp, driver, routine);
        second.OnCompletionRoutine(device, irp, driver, routine);
    }

    internal override void OnPending(IRP irp)
    {
        first.OnPending(irp);
        second.OnPending(irp);
    }

    internal override void OnCancel(IRP irp)
    {
        first.OnCancel(irp);
        second.OnCancel(irp);
    }
}
