using SharpNT.Cli;
using SharpNT.Kernel.Ps;
using SharpNT.Win32;

namespace SharpNT.Kernel.Tests.Win32;

/// <summary>A booted machine with the sample drivers, whose console the tests read.</summary>
internal sealed class UserModeMachine : IDisposable
{
    private readonly StringWriter _console = new();

    public UserModeMachine(ulong seed = 1, SharpNT.Kernel.Ke.SchedulingMode mode = SharpNT.Kernel.Ke.SchedulingMode.Deterministic)
    {
        Machine = TestMachines.Boot(seed: seed, mode: mode, memoryMiB: 32, console: _console);
        Machine.Run(() => ProgramHost.LoadSampleDrivers(Machine));
    }

    public Machine Machine { get; }

    public string Console
    {
        get
        {
            lock (_console)
            {
                return _console.ToString();
            }
        }
    }

    /// <summary>Runs a program to its end: its exit status.</summary>
    public uint Run(Win32Program program, params string[] args) => Machine.Run(() => ProgramHost.Run(Machine, program, args));

    /// <summary>Runs a program as an account.</summary>
    public uint RunAs(string account, Win32Program program, params string[] args) =>
        Machine.Run(() => ProgramHost.Run(Machine, program, args, account));

    /// <summary>Starts programs together and waits for all: their exit statuses in order.</summary>
    public uint[] RunTogether(params Win32Program[] programs) => Machine.Run(() =>
    {
        var started = programs.Select(p => ProgramHost.Start(Machine, p, [])).ToArray();
        return started.Select(p => ProgramHost.Wait(Machine, p)).ToArray();
    });

    public void Dispose() => Machine.Dispose();
}

/// <summary>A program written inline by a test.</summary>
internal sealed class TestProgram(Func<string[], int> main, string name = "test") : Win32Program
{
    public override string Name => name;

    public override string Description => "a test's program";

    public override int Main(string[] args) => main(args);
}
