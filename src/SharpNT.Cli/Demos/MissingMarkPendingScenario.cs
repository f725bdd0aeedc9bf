using SharpNT.Drivers.Buggy;
using SharpNT.Kernel;
using SharpNT.Kernel.Ke;

namespace SharpNT.Cli.Demos;

/// <summary>A dispatch routine returns STATUS_PENDING without IoMarkIrpPending: I/O verification stops the machine with 0xC9.</summary>
internal sealed class MissingMarkPendingScenario : Scenario
{
    public override string Name => "missing-mark-pending";

    public override string Description => "A driver returns STATUS_PENDING without IoMarkIrpPending; I/O verification: bug check 0xC9 (0x23D)";

    public override BugCheckCode? ExpectedBugCheck => BugCheckCode.DRIVER_VERIFIER_IOMANAGER_VIOLATION;

    public override string? Verifier => "/flags 0x10 /driver markpending.sys";

    public override void Run(Machine machine, TextWriter output)
    {
        machine.Run(() =>
        {
            output.WriteLine("Loading markpending.sys under I/O verification (/flags 0x10).");
            machine.Io.LoadDriver(new MissingMarkPendingDriver(), out _);
            var device = KernelClient.Open(MissingMarkPendingDriver.DeviceName);
            output.WriteLine("IOCTL_START_TRANSFER: the driver starts its timer and returns STATUS_PENDING, without IoMarkIrpPending...");
            KernelClient.Ioctl(device, MissingMarkPendingDriver.IOCTL_START_TRANSFER, 0, 0, 0, 0);
            output.WriteLine("(not reached: the verifier checks the IRP as the dispatch routine returns)");
        });
    }
}
