using SharpNT.Kernel;
using SharpNT.Kernel.Io;
using SharpNT.Programs;

namespace SharpNT.Cli.Demos;

/// <summary>
/// A user-mode program calls DeviceIoControl on the sample stack: the system call enters the kernel, the
/// I/O manager builds the IRP, and the trace shows each layer on the way down and each completion routine
/// on the way up; the program prints what came back in its own buffers.
/// </summary>
internal sealed class IoctlScenario : Scenario
{
    public override string Name => "ioctl";

    public override string Description => "A program's DeviceIoControl goes through the system call, down the sample stack and back up";

    public override void Run(Machine machine, TextWriter output)
    {
        var exit = machine.Run(() =>
        {
            output.WriteLine("Loading the sample drivers; starting ioctl.exe as Administrator. Each DeviceIoControl below is");
            output.WriteLine("NtDeviceIoControlFile: probe and capture, IRP_MJ_DEVICE_CONTROL down the stack, completion back up:");
            ProgramHost.LoadSampleDrivers(machine);
            var previous = machine.Io.Trace;
            var text = new TextIoTrace(machine, output, @"\Device\ConDrv");
            machine.Io.Trace = previous is null ? text : new IoTraceFanout(previous, text);
            try
            {
                return ProgramHost.Run(machine, new IoctlProgram(), []);
            }
            finally
            {
                machine.Io.Trace = previous;
            }
        });
        output.WriteLine($"ioctl.exe exited with {exit}");
        if (exit != 0)
        {
            throw new InvalidOperationException($"ioctl.exe failed with 0x{exit:X8}");
        }
    }
}
