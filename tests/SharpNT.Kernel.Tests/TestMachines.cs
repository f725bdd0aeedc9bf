using SharpNT.Kernel;
using SharpNT.Kernel.Ke;

namespace SharpNT.Kernel.Tests;

/// <summary>Machines for tests: small, deterministic unless asked otherwise.</summary>
internal static class TestMachines
{
    public static Machine Boot(int processors = 2, ulong seed = 1, SchedulingMode mode = SchedulingMode.Deterministic,
        int memoryMiB = 16, int pagefileMiB = 16, bool recordEvents = false, TextWriter? console = null, string? dumpPath = null) =>
        Machine.Boot(
            new MachineDescription
            {
                Name = "test",
                Processors = processors,
                Seed = seed,
                Scheduling = mode,
                MemoryMiB = memoryMiB,
                PagefileMiB = pagefileMiB,
            },
            new MachineOptions { RecordEvents = recordEvents, Console = console, DumpPath = dumpPath });

    /// <summary>Runs <paramref name="body"/> as code of a driver image named <paramref name="driver"/>.</summary>
    public static void AsDriver(Machine machine, string driver, string routine, Action body)
    {
        var module = machine.Modules.Find(driver) ?? machine.Modules.Load(driver);
        var thread = KTHREAD.Current!;
        thread.PushFrame(new CallFrame(module, module.RoutineAddress(routine), routine));
        try
        {
            body();
        }
        finally
        {
            thread.PopFrame();
        }
    }
}
