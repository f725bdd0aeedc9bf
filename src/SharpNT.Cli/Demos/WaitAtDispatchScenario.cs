using SharpNT.Drivers.Buggy;
using SharpNT.Kernel;
using SharpNT.Kernel.Ke;

namespace SharpNT.Cli.Demos;

/// <summary>A DPC routine waits on an event: the machine stops with 0xB8.</summary>
internal sealed class WaitAtDispatchScenario : Scenario
{
    public override string Name => "wait-at-dispatch";

    public override string Description => "A driver's DPC routine waits for an event at DISPATCH_LEVEL: bug check 0xB8";

    public override BugCheckCode? ExpectedBugCheck => BugCheckCode.ATTEMPTED_SWITCH_FROM_DPC;

    public override string? Verifier => "/standard /driver waitdpc.sys";

    public override void Run(Machine machine, TextWriter output)
    {
        machine.Run(() =>
        {
            output.WriteLine("Loading waitdpc.sys (verifier /standard).");
            machine.Io.LoadDriver(new WaitAtDispatchDriver(), out _);
            var device = KernelClient.Open(WaitAtDispatchDriver.DeviceName);
            output.WriteLine("IOCTL_START: the driver pends the request; its timer DPC waits for the hardware...");
            KernelClient.Ioctl(device, WaitAtDispatchDriver.IOCTL_START, 0, 0, 0, 0);
            output.WriteLine("(not reached: a DPC cannot wait)");
        });
    }
}
