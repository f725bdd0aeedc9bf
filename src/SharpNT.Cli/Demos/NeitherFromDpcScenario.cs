using SharpNT.Drivers.Buggy;
using SharpNT.Kernel;
using SharpNT.Kernel.Ke;
using SharpNT.Win32;
using static SharpNT.Win32.Kernel32;
using static SharpNT.Win32.WinBase;

namespace SharpNT.Cli.Demos;

/// <summary>
/// The classic METHOD_NEITHER bug with a real requester: a program passes a buffer in its own address space;
/// neitherdpc.sys keeps the raw address and reads it from a timer DPC, at DISPATCH_LEVEL in whatever context
/// the processor is in. There the address means nothing: bug check 0xD1 naming the driver. (As on NT, the bug
/// shows only when the DPC does not happen to interrupt the requester's own thread.)
/// </summary>
internal sealed class NeitherFromDpcScenario : Scenario
{
    public override string Name => "neither-from-dpc";

    public override string Description => "A driver reads a program's METHOD_NEITHER buffer from a DPC (another context): bug check 0xD1";

    public override BugCheckCode? ExpectedBugCheck => BugCheckCode.DRIVER_IRQL_NOT_LESS_OR_EQUAL;

    public override void Run(Machine machine, TextWriter output)
    {
        machine.Run(() =>
        {
            output.WriteLine("Loading neitherdpc.sys; a program sends it METHOD_NEITHER IOCTLs with a buffer in its own memory.");
            var status = machine.Io.LoadDriver(new NeitherFromDpcDriver(), out _);
            output.WriteLine($"  DriverEntry returned {status.Describe()}");
            ProgramHost.Run(machine, new ReadLaterProgram(), []);
            output.WriteLine("(not reached: the DPC's read of a user address outside the requester's context stops the machine)");
        });
    }

    /// <summary>The requester: IOCTL_READ_NOW (read in its own context: fine), then IOCTL_READ_LATER.</summary>
    private sealed class ReadLaterProgram : Win32Program
    {
        public override string Name => "readlater";

        public override string Description => "sends neitherdpc.sys METHOD_NEITHER IOCTLs";

        public override int Main(string[] args)
        {
            var device = CreateFile(@"\\.\GLOBALROOT" + NeitherFromDpcDriver.DeviceName, GENERIC_READ | GENERIC_WRITE, 0, 0, OPEN_EXISTING, 0, 0);
            if (device == INVALID_HANDLE_VALUE)
            {
                Crt.PrintLine($"readlater: CreateFile failed, GetLastError() = {GetLastError()}");
                return (int)GetLastError();
            }

            var buffer = VirtualAlloc(0, 0x1000, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
            Memory.Write<byte>(buffer, 42);
            DeviceIoControl(device, NeitherFromDpcDriver.IOCTL_READ_NOW, buffer, 1, 0, 0, out var now, 0);
            Crt.PrintLine($"readlater: IOCTL_READ_NOW with the buffer at 0x{buffer:x}: the driver read {now} in this process's context");
            Crt.PrintLine("readlater: IOCTL_READ_LATER: the driver keeps the raw address and reads it from its timer's DPC...");
            DeviceIoControl(device, NeitherFromDpcDriver.IOCTL_READ_LATER, buffer, 1, 0, 0, out _, 0);
            return 0;
        }
    }
}
