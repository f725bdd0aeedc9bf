using SharpNT.Kernel;
using SharpNT.Kernel.Ke;
using SharpNT.Programs;
using Spectre.Console;

namespace SharpNT.Cli.Demos;

/// <summary>
/// hot-plug: the PnP manager builds the toaster bus from the registry, toasters are plugged in while the machine
/// runs (each stack: class lower filter, toaster.sys, class upper filter, over the bus's PDO), a program finds one
/// through its device interface and waits on it, the toasters are pulled out under it: its waiting request ends
/// with STATUS_NO_SUCH_DEVICE, the stacks go once its handle is closed, and pool is back where it was.
/// </summary>
internal sealed class HotPlugScenario : Scenario
{
    /// <summary>The devices to plug in (--plug); two toasters when none are given.</summary>
    public IReadOnlyList<string> Plug { get; init; } = [];

    /// <summary>When to pull them out (--unplug-after), in milliseconds of machine time.</summary>
    public int UnplugAfterMs { get; init; } = 20;

    /// <summary>What the machine's part answers when pool was left behind (no program exits with it).</summary>
    private const uint LeakedPool = 0xFFFFFFFE;

    public override string Name => "hot-plug";

    public override string Description => "Toasters plugged into a bus and pulled out while a program waits on one; filters from the registry";

    /// <summary>This scenario with the command line's --plug and --unplug-after.</summary>
    public HotPlugScenario With(IReadOnlyList<string>? plug, int? unplugAfterMs) =>
        new() { Plug = plug is { Count: > 0 } ? plug : Plug, UnplugAfterMs = unplugAfterMs ?? UnplugAfterMs };

    public override void Run(Machine machine, TextWriter output)
    {
        var exit = machine.Run(() =>
        {
            output.WriteLine("Boot: the PnP manager enumerates the root; Enum\\Root\\BUSENUM\\0000 names busenum.sys, which starts and");
            output.WriteLine("exposes GUID_DEVINTERFACE_BUSENUM_TOASTER:");
            PnpHost.Start(machine);
            WriteTree(machine, output);
            output.WriteLine("toast.exe before any toaster is plugged in:");
            ProgramHost.Run(machine, new ToastProgram(), [], "user");
            var poolBefore = PoolInUse(machine);

            var plug = Plug.Count > 0 ? Plug : ["MsToaster", "MsToaster"];
            foreach (var id in plug)
            {
                if (!PnpHost.TryPlug(machine, id, 0, out var serial).IsSuccess())
                {
                    output.WriteLine($"The toaster bus refused --plug {id}.");
                    return uint.MaxValue;
                }

                output.WriteLine($"Plugged in toaster {serial} ({id}): IRP_MN_QUERY_DEVICE_RELATIONS reports a new PDO; QUERY_ID, QUERY_CAPABILITIES;");
                output.WriteLine("the class's LowerFilters, toaster.sys's AddDevice, the class's UpperFilters; IRP_MN_START_DEVICE.");
            }

            WriteTree(machine, output);
            output.WriteLine($"toast.exe (as user) finds a toaster with CM_Get_Device_Interface_List, makes toast and waits for the next to pop;");
            output.WriteLine($"{UnplugAfterMs} ms from now every toaster is pulled out of the bus:");
            var process = ProgramHost.Start(machine, new ToastProgram(), ["2", "--wait"], "user");
            PnpHost.ScheduleUnplug(machine, UnplugAfterMs);
            var code = ProgramHost.Wait(machine, process);
            machine.Pnp.SynchronizeDeviceEventQueue();
            output.WriteLine($"toast.exe exited with {code}. IRP_MN_SURPRISE_REMOVAL ended its wait (STATUS_NO_SUCH_DEVICE); its handle closed,");
            output.WriteLine("IRP_MN_REMOVE_DEVICE went down each stack and the toaster drivers were unloaded:");
            WriteTree(machine, output);
            var poolAfter = PoolInUse(machine);
            var leaked = poolAfter.Where(p => poolBefore.GetValueOrDefault(p.Key) != p.Value).Select(p => p.Key).ToList();
            output.WriteLine(leaked.Count == 0
                ? "Pool by tag is back where it was before the first toaster was plugged in."
                : $"Pool left behind under tag(s): {string.Join(", ", leaked)}");
            return leaked.Count > 0 ? LeakedPool : code;
        });

        if (exit == LeakedPool)
        {
            throw new InvalidOperationException("the hot-plug scenario left pool behind");
        }

        if (exit != 2)
        {
            throw new InvalidOperationException($"toast.exe should have seen its toaster go (ERROR_FILE_NOT_FOUND), not {exit}");
        }
    }

    private static void WriteTree(Machine machine, TextWriter output)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
        });
        console.Profile.Width = 200;
        console.Write(DevicesCommand.Render(machine));
    }

    /// <summary>Pool allocations outstanding by tag, free IRPs on the lookaside lists counted out.</summary>
    private static Dictionary<string, long> PoolInUse(Machine machine)
    {
        var usage = machine.Mm.QueryPoolUsage().GroupBy(u => u.Tag).ToDictionary(g => g.Key, g => g.Sum(u => u.Allocs - u.Frees));
        if (usage.TryGetValue("Irp ", out var irps))
        {
            usage["Irp "] = irps - machine.Io.LookasideIrpCount;
        }

        return usage;
    }
}
