using SharpNT.Kernel;
using SharpNT.Programs;

namespace SharpNT.Cli.Demos;

/// <summary>
/// Two programs run side by side: crash.exe dereferences a bad pointer and ends with
/// STATUS_ACCESS_VIOLATION; ioctl.exe keeps working, and after the crash the machine still serves a new
/// program. User-mode faults end only their process.
/// </summary>
internal sealed class UserCrashScenario : Scenario
{
    public override string Name => "user-crash";

    public override string Description => "A program dies of a bad pointer (0xC0000005); the other programs and the machine go on";

    public override void Run(Machine machine, TextWriter output)
    {
        var (crash, ioctl, hello) = machine.Run(() =>
        {
            ProgramHost.LoadSampleDrivers(machine);
            output.WriteLine("Starting crash.exe and ioctl.exe together:");
            var crashing = ProgramHost.Start(machine, new CrashProgram(), []);
            var working = ProgramHost.Start(machine, new IoctlProgram(), []);
            var crashExit = ProgramHost.Wait(machine, crashing);
            var ioctlExit = ProgramHost.Wait(machine, working);
            output.WriteLine("After the crash, a new program:");
            var helloExit = ProgramHost.Run(machine, new HelloProgram(), []);
            return (crashExit, ioctlExit, helloExit);
        });
        output.WriteLine($"crash.exe exited with 0x{crash:X8} (STATUS_ACCESS_VIOLATION); ioctl.exe with {ioctl}; hello.exe with {hello}");
        if (crash != 0xC0000005 || ioctl != 0 || hello != 0)
        {
            throw new InvalidOperationException("The programs did not end as they should.");
        }
    }
}
