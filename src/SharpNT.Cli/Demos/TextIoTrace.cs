using SharpNT.Kernel;
using SharpNT.Kernel.Io;

namespace SharpNT.Cli.Demos;

/// <summary>Prints an IRP's travel: each layer on the way down, each completion routine on the way up.</summary>
internal sealed class TextIoTrace(Machine machine, TextWriter output) : IoTraceSink
{
    private string Name(DEVICE_OBJECT device) => machine.Io.DeviceNameOf(device) ?? device.ToString();

    internal override void OnDispatch(DEVICE_OBJECT device, IRP irp, byte major, byte minor, string driver, string routine, int depth) =>
        output.WriteLine($"  {new string(' ', depth * 2)}down  {IRP_MJ.Name(major),-24} -> {Name(device),-24} {Path.GetFileNameWithoutExtension(driver)}!{routine}  (stack location {irp.CurrentLocation})");

    internal override void OnDispatchReturned(DEVICE_OBJECT device, IRP irp, NTSTATUS status)
    {
    }

    internal override void OnComplete(IRP irp, NTSTATUS status) =>
        output.WriteLine($"  {new string(' ', (irp.StackCount - irp.CurrentLocation) * 2)}IoCompleteRequest({status})");

    internal override void OnCompletionRoutine(DEVICE_OBJECT device, IRP irp, string driver, string routine) =>
        output.WriteLine($"  {new string(' ', (irp.StackCount - irp.CurrentLocation) * 2)}up    completion routine {Path.GetFileNameWithoutExtension(driver)}!{routine} for {(device.IsNull ? "the requester" : Name(device))}");

    internal override void OnPending(IRP irp) =>
        output.WriteLine($"  {new string(' ', (irp.StackCount - irp.CurrentLocation) * 2)}IoMarkIrpPending");

    internal override void OnCancel(IRP irp) => output.WriteLine($"  IoCancelIrp {irp}");
}
