using SharpNT.Drivers.Buggy;
using SharpNT.Kernel;
using SharpNT.Kernel.Ke;

namespace SharpNT.Cli.Demos;

/// <summary>An error path completes an IRP and falls through to complete it again: the machine stops with 0x44.</summary>
internal sealed class DoubleCompletionScenario : Scenario
{
    public override string Name => "double-completion";

    public override string Description => "A driver's error path completes an IRP and falls through to complete it again: bug check 0x44";

    public override BugCheckCode? ExpectedBugCheck => BugCheckCode.MULTIPLE_IRP_COMPLETE_REQUESTS;

    public override string? Verifier => "/standard /driver doublecomplete.sys";

    public override void Run(Machine machine, TextWriter output)
    {
        machine.Run(() =>
        {
            output.WriteLine("Loading doublecomplete.sys (verifier /standard).");
            machine.Io.LoadDriver(new DoubleCompletionDriver(), out _);
            var device = KernelClient.Open(DoubleCompletionDriver.DeviceName);
            output.WriteLine("IOCTL_SET_VALUE with no input: the driver fails it with STATUS_BUFFER_TOO_SMALL, then completes it again...");
            KernelClient.Ioctl(device, DoubleCompletionDriver.IOCTL_SET_VALUE, 0, 0, 0, 0);
            output.WriteLine("(not reached: the second IoCompleteRequest finds the IRP already completed)");
        });
    }
}
