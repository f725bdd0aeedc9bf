using SharpNT.Drivers.Buggy;
using SharpNT.Kernel;
using SharpNT.Kernel.Ke;
using static SharpNT.Kernel.Ddi.Wdm;

namespace SharpNT.Cli.Demos;

/// <summary>A driver writes a NUL past the end of its buffer: special pool stops the machine with 0xD6 at the write.</summary>
internal sealed class BufferOverrunScenario : Scenario
{
    public override string Name => "buffer-overrun";

    public override string Description => "A driver writes one character past its pool buffer; special pool: bug check 0xD6 at the write";

    public override BugCheckCode? ExpectedBugCheck => BugCheckCode.DRIVER_PAGE_FAULT_BEYOND_END_OF_ALLOCATION;

    public override string? Verifier => "/flags 0x1 /driver overrun.sys";

    public override void Run(Machine machine, TextWriter output)
    {
        machine.Run(() =>
        {
            output.WriteLine("Loading overrun.sys under special pool (/flags 0x1).");
            machine.Io.LoadDriver(new BufferOverrunDriver(), out _);
            var device = KernelClient.Open(BufferOverrunDriver.DeviceName);
            var name = "SHARPNT-DEVICE-1"u8.ToArray().SelectMany(b => new byte[] { b, 0 }).ToArray();
            var input = ExAllocatePool2(POOL_FLAG_NON_PAGED, (ulong)name.Length, PoolTag("Demo"));
            CopyFromHost(input, name);
            output.WriteLine($"IOCTL_SET_NAME with a {name.Length}-byte name: the driver allocates {name.Length} bytes, copies, and appends a NUL...");
            KernelClient.Ioctl(device, BufferOverrunDriver.IOCTL_SET_NAME, input, (uint)name.Length, 0, 0);
            output.WriteLine("(not reached: the NUL lands on the guard page after the allocation)");
        });
    }
}
