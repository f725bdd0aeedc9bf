using SharpNT.Drivers.Buggy;
using SharpNT.Kernel;
using SharpNT.Kernel.Ke;

namespace SharpNT.Cli.Demos;

/// <summary>A driver unloads with pool still allocated: pool tracking stops the machine with 0xC4/0x62.</summary>
internal sealed class PoolLeakScenario : Scenario
{
    public override string Name => "pool-leak-at-unload";

    public override string Description => "A driver's unload routine forgets its pool records; pool tracking: bug check 0xC4 (0x62)";

    public override BugCheckCode? ExpectedBugCheck => BugCheckCode.DRIVER_VERIFIER_DETECTED_VIOLATION;

    public override string? Verifier => "/flags 0x8 /driver poolleak.sys";

    public override void Run(Machine machine, TextWriter output)
    {
        machine.Run(() =>
        {
            output.WriteLine("Loading poolleak.sys under pool tracking (/flags 0x8).");
            machine.Io.LoadDriver(new PoolLeakDriver(), out var driver);
            var device = KernelClient.Open(PoolLeakDriver.DeviceName);
            for (var i = 0; i < 3; i++)
            {
                var r = KernelClient.Ioctl(device, PoolLeakDriver.IOCTL_RECORD, 0, 0, 0, 0);
                output.WriteLine($"IOCTL_RECORD #{i + 1}: {r.Status.Describe()} (a 32-byte record in nonpaged pool, tag 'LkRc')");
            }

            output.WriteLine("Unloading poolleak.sys: its unload routine deletes the device and forgets the records...");
            machine.Io.UnloadDriver(driver);
            output.WriteLine("(not reached: pool tracking finds the records at unload)");
        });
    }
}
