using System.Text;
using SharpNT.Drivers.Samples;
using SharpNT.Kernel;
using SharpNT.Kernel.Io;
using static SharpNT.Kernel.Ddi.Wdm;

namespace SharpNT.Cli.Demos;

/// <summary>
/// The sample stack (filter, function driver, lower driver) serving an IOCTL: the trace shows each layer
/// on the way down and each completion routine on the way up, and the filter rewriting the answer.
/// </summary>
internal sealed class IrpStackScenario : Scenario
{
    public override string Name => "irp-stack";

    public override string Description => "An IOCTL travels down a filter, function and lower driver and back up through completion routines";

    public override void Run(Machine machine, TextWriter output)
    {
        machine.Run(() =>
        {
            output.WriteLine("Loading samplelower.sys, samplefn.sys and samplefilter.sys (each DriverEntry attaches over the last):");
            machine.Io.LoadDriver(new SampleLowerDriver(), out _);
            machine.Io.LoadDriver(new SampleFunctionDriver(), out _);
            machine.Io.LoadDriver(new SampleFilterDriver(), out _);
            var top = KernelClient.Open(SampleIoctl.DosDeviceName.Replace(@"\DosDevices", @"\??", StringComparison.Ordinal));
            for (var d = top; !d.IsNull; d = machine.Io.AttachedTo(d))
            {
                output.WriteLine($"  {machine.Io.DeviceNameOf(d),-24} {machine.Io.DriverNameOf(d.DriverObject),-22} StackSize {d.StackSize}");
            }

            var tag = PoolTag("Demo");
            var input = ExAllocatePool2(POOL_FLAG_NON_PAGED, 16, tag);
            var outputBuffer = ExAllocatePool2(POOL_FLAG_NON_PAGED, 16, tag);
            CopyFromHost(input, Encoding.ASCII.GetBytes("hello, nt"));
            output.WriteLine();
            output.WriteLine("IOCTL_SAMPLE_BUFFERED (METHOD_BUFFERED) with input \"hello, nt\":");
            var previous = machine.Io.Trace;
            var text = new TextIoTrace(machine, output);
            machine.Io.Trace = previous is null ? text : new IoTraceFanout(previous, text);
            var (status, information) = KernelClient.Ioctl(top, SampleIoctl.IOCTL_SAMPLE_BUFFERED, input, 9, outputBuffer, 16);
            machine.Io.Trace = previous;
            var answer = new byte[(int)information];
            CopyToHost(outputBuffer, answer);
            output.WriteLine($"Result: {status.Describe()}, {information} bytes: \"{Encoding.ASCII.GetString(answer)}\" (upper-cased by the lower driver, '!' added by the filter's completion routine)");
        });
    }
}
