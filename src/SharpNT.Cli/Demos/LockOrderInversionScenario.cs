using SharpNT.Drivers.Buggy;
using SharpNT.Kernel;
using SharpNT.Kernel.Ke;

namespace SharpNT.Cli.Demos;

/// <summary>Two paths take two spin locks in opposite orders: deadlock detection stops the machine with 0xC4/0x1001.</summary>
internal sealed class LockOrderInversionScenario : Scenario
{
    public override string Name => "lock-order-inversion";

    public override string Description => "A driver takes two spin locks in both orders; deadlock detection: bug check 0xC4 (0x1001)";

    public override BugCheckCode? ExpectedBugCheck => BugCheckCode.DRIVER_VERIFIER_DETECTED_VIOLATION;

    public override string? Verifier => "/flags 0x20 /driver lockorder.sys";

    public override void Run(Machine machine, TextWriter output)
    {
        machine.Run(() =>
        {
            output.WriteLine("Loading lockorder.sys under deadlock detection (/flags 0x20).");
            machine.Io.LoadDriver(new LockOrderDriver(), out _);
            var device = KernelClient.Open(LockOrderDriver.DeviceName);
            var r = KernelClient.Ioctl(device, LockOrderDriver.IOCTL_QUEUE_WORK, 0, 0, 0, 0);
            output.WriteLine($"IOCTL_QUEUE_WORK (queue lock, then statistics lock): {r.Status.Describe()}");
            output.WriteLine("IOCTL_RESET_STATISTICS (statistics lock, then queue lock)...");
            KernelClient.Ioctl(device, LockOrderDriver.IOCTL_RESET_STATISTICS, 0, 0, 0, 0);
            output.WriteLine("(not reached: the lock-order graph has a cycle)");
        });
    }
}
