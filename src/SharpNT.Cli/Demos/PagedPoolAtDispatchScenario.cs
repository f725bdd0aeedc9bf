using SharpNT.Drivers.Buggy;
using SharpNT.Kernel;
using SharpNT.Kernel.Ke;
using static SharpNT.Kernel.Ddi.Wdm;

namespace SharpNT.Cli.Demos;

/// <summary>
/// A driver keeps statistics in paged pool and updates them under a spin lock; once the memory manager
/// trims the page, the touch at DISPATCH_LEVEL stops the machine with 0xD1 naming the driver.
/// </summary>
internal sealed class PagedPoolAtDispatchScenario : Scenario
{
    public override string Name => "paged-pool-at-dispatch";

    public override string Description => "A driver touches paged pool under a spin lock after the page was trimmed: bug check 0xD1";

    public override BugCheckCode? ExpectedBugCheck => BugCheckCode.DRIVER_IRQL_NOT_LESS_OR_EQUAL;

    public override void Run(Machine machine, TextWriter output)
    {
        machine.Run(() =>
        {
            output.WriteLine("Loading pagedpool.sys: DriverEntry allocates its statistics in PAGED pool (tag 'PgSt').");
            var status = machine.Io.LoadDriver(new PagedPoolAtDispatchDriver(), out _);
            output.WriteLine($"  DriverEntry returned {status.Describe()}");
            var device = KernelClient.Open(PagedPoolAtDispatchDriver.DeviceName);

            var first = KernelClient.Ioctl(device, PagedPoolAtDispatchDriver.IOCTL_BUMP_COUNTER, 0, 0, 0, 0);
            output.WriteLine($"IOCTL_BUMP_COUNTER while the page is resident: {first.Status.Describe()}");

            var trimmed = machine.Mm.TrimWorkingSet();
            output.WriteLine($"Memory pressure: the working-set manager pages out {trimmed} pageable page(s), the statistics page among them.");

            output.WriteLine("IOCTL_BUMP_COUNTER again: the driver takes its spin lock (DISPATCH_LEVEL) and touches the statistics...");
            KernelClient.Ioctl(device, PagedPoolAtDispatchDriver.IOCTL_BUMP_COUNTER, 0, 0, 0, 0);
            output.WriteLine("(not reached: the page fault cannot be resolved at DISPATCH_LEVEL)");
        });
    }
}
