using SharpNT.Drivers.Buggy;
using SharpNT.Kernel;
using SharpNT.Kernel.Ke;

namespace SharpNT.Cli.Demos;

/// <summary>A driver unlinks the same LIST_ENTRY twice: the kernel's list check fails fast with 0x139 (3).</summary>
internal sealed class ListCorruptionScenario : Scenario
{
    public override string Name => "list-corruption";

    public override string Description => "A driver unlinks a list entry twice; the kernel's list check: bug check 0x139 (3)";

    public override BugCheckCode? ExpectedBugCheck => BugCheckCode.KERNEL_SECURITY_CHECK_FAILURE;

    public override void Run(Machine machine, TextWriter output)
    {
        machine.Run(() =>
        {
            output.WriteLine("Loading listcorrupt.sys: it keeps its records on a LIST_ENTRY list in nonpaged pool.");
            machine.Io.LoadDriver(new ListCorruptDriver(), out _);
            var device = KernelClient.Open(ListCorruptDriver.DeviceName);
            for (var i = 0; i < 3; i++)
            {
                var r = KernelClient.Ioctl(device, ListCorruptDriver.IOCTL_RECORD, 0, 0, 0, 0);
                output.WriteLine($"IOCTL_RECORD #{i + 1}: {r.Status.Describe()} (InsertTailList of a 32-byte record, tag 'LcRc')");
            }

            var drop = KernelClient.Ioctl(device, ListCorruptDriver.IOCTL_DROP_OLDEST, 0, 0, 0, 0);
            output.WriteLine($"IOCTL_DROP_OLDEST: {drop.Status.Describe()} (RemoveEntryList of the oldest record)");
            output.WriteLine("IOCTL_DROP_OLDEST again: the driver never moved its oldest-record pointer on...");
            KernelClient.Ioctl(device, ListCorruptDriver.IOCTL_DROP_OLDEST, 0, 0, 0, 0);
            output.WriteLine("(not reached: the entry's neighbours no longer point back at it)");
        });
    }
}
