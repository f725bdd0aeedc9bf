using SharpNT.Kernel;
using SharpNT.Kernel.Io;

namespace SharpNT.Cli.Demos;

/// <summary>
/// Prints an IRP's travel: each layer on the way down, each completion routine on the way up. IRPs sent
/// to a device named in <paramref name="quiet"/> (the console, whose writes carry the program's own
/// output) are left out.
/// </summary>
internal sealed class TextIoTrace(Machine machine, TextWriter output, params string[] quiet) : IoTraceSink
{
    private readonly HashSet<ulong> _quietIrps = [];

    private string Name(DEVICE_OBJECT device) => machine.Io.DeviceNameOf(device) ?? device.ToString();

    private bool Quiet(IRP irp)
    {
        lock (_quietIrps)
        {
            return _quietIrps.Contains(irp.Address);
        }
    }

    internal override void OnDispatch(DEVICE_OBJECT device, IRP irp, byte major, byte minor, string driver, string routine, int depth)
    {
        if (quiet.Contains(Name(device)))
        {
            lock (_quietIrps)
            {
                _quietIrps.Add(irp.Address);
            }

            return;
        }

        output.WriteLine($"  {new string(' ', depth * 2)}down  {IRP_MJ.Name(major),-24} -> {Name(device),-24} {Path.GetFileNameWithoutExtension(driver)}!{routine}  (stack location {irp.CurrentLocation})");
    }

    internal override void OnDispatchReturned(DEVICE_OBJECT device, IRP irp, NTSTATUS status)
    {
    }

    internal override void OnComplete(IRP irp, NTSTATUS status)
    {
        if (Quiet(irp))
        {
            lock (_quietIrps)
            {
                _quietIrps.Remove(irp.Address);
            }

            return;
        }

        output.WriteLine($"  {new string(' ', (irp.StackCount - irp.CurrentLocation) * 2)}IoCompleteRequest({status})");
    }

    internal override void OnCompletionRoutine(DEVICE_OBJECT device, IRP irp, string driver, string routine)
    {
        if (!Quiet(irp))
        {
            output.WriteLine($"  {new string(' ', (irp.StackCount - irp.CurrentLocation) * 2)}up    completion routine {Path.GetFileNameWithoutExtension(driver)}!{routine} for {(device.IsNull ? "the requester" : Name(device))}");
        }
    }

    internal override void OnPending(IRP irp)
    {
        if (!Quiet(irp))
        {
            output.WriteLine($"  {new string(' ', (irp.StackCount - irp.CurrentLocation) * 2)}IoMarkIrpPending");
        }
    }

    internal override void OnCancel(IRP irp) => output.WriteLine($"  IoCancelIrp {irp}");
}
