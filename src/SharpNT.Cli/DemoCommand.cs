using SharpNT.Cli.Demos;
using SharpNT.Kernel;
using SharpNT.Kernel.Ke;
using Spectre.Console;

namespace SharpNT.Cli;

/// <summary>`sharpnt demo`: boots the default machine and runs the scenarios.</summary>
internal static class DemoCommand
{
    public static int List(TextWriter stdout)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(stdout) });
        var table = new Table().AddColumn("Scenario").AddColumn("Ends with").AddColumn("What it shows");
        foreach (var s in ScenarioCatalog.All)
        {
            var ends = s.ExpectedBugCheck is { } code ? $"STOP 0x{(uint)code:X8}" : "normal exit";
            table.AddRow(Markup.Escape(s.Name), ends, Markup.Escape(s.Description));
        }

        console.Write(table);
        return ExitCodes.Success;
    }

    public static int Run(RunContext context, string? name)
    {
        MachineDescription description;
        try
        {
            description = context.LoadDescription();
        }
        catch (MachineDescriptionException e)
        {
            context.Error.WriteLine(e.Message);
            return ExitCodes.BadInput;
        }

        if (name is not null)
        {
            var scenario = ScenarioCatalog.Find(name);
            if (scenario is null)
            {
                context.Error.WriteLine($"No scenario named '{name}'. `sharpnt demo --list` lists them.");
                return ExitCodes.BadInput;
            }

            return RunOne(context, description, scenario, out _);
        }

        var allAsExpected = true;
        foreach (var scenario in ScenarioCatalog.All)
        {
            RunOne(context, description, scenario, out var asExpected);
            allAsExpected &= asExpected;
            context.Out.WriteLine();
        }

        return allAsExpected ? ExitCodes.Success : ExitCodes.Failure;
    }

    private static int RunOne(RunContext context, MachineDescription description, Scenario scenario, out bool asExpected)
    {
        var o = context.Out;
        o.WriteLine($"=== {scenario.Name}: {scenario.Description}");
        o.WriteLine($"    machine '{description.Name}': {description.Processors} processors, {description.MemoryMiB} MiB, " +
            $"{description.Scheduling.ToString().ToLowerInvariant()}, seed {description.Seed}");
        Machine machine;
        ScenarioSetup setup;
        try
        {
            setup = scenario.Prepare(description);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            context.Error.WriteLine($"{scenario.Name}: {e.Message}");
            asExpected = false;
            return ExitCodes.Failure;
        }

        using var resources = setup.Resources;
        try
        {
            machine = context.Boot(setup.Description, scenario.Verifier);
        }
        catch (Exception e) when (e is MachineDescriptionException or FormatException)
        {
            context.Error.WriteLine(e.Message);
            asExpected = false;
            return ExitCodes.BadInput;
        }

        using var booted = machine;
        if (scenario is HotPlugScenario hotPlug)
        {
            scenario = hotPlug.With(context.Plug, context.UnplugAfterMs);
        }

        try
        {
            return RunBooted(context, scenario, machine, out asExpected);
        }
        finally
        {
            if (context.TracePath is { } tracePath)
            {
                machine.WriteTrace(tracePath);
                o.WriteLine($"    trace written to {tracePath}");
            }
        }
    }

    private static int RunBooted(RunContext context, Scenario scenario, Machine machine, out bool asExpected)
    {
        var o = context.Out;
        try
        {
            scenario.Run(machine, o);
            asExpected = scenario.ExpectedBugCheck is null;
            o.WriteLine($"=== {scenario.Name}: machine ran to the end");
            return ExitCodes.Success;
        }
        catch (BugCheckException e)
        {
            asExpected = scenario.ExpectedBugCheck == e.Code;
            o.WriteLine($"=== {scenario.Name}: the machine stopped with bug check 0x{e.Info.Code:X} {e.Info.Name}" +
                (e.Info.FaultingModule is { } m ? $", caused by {m}" : ""));
            if (context.DumpPath is { } dump)
            {
                o.WriteLine($"    crash dump written to {dump}");
            }

            return ExitCodes.BugCheck;
        }
        catch (MachineHungException e)
        {
            asExpected = false;
            o.WriteLine($"=== {scenario.Name}: {e.Message}");
            return ExitCodes.Hung;
        }
    }
}
