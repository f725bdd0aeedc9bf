using SharpNT.Cli.Demos;
using SharpNT.Kernel;
using SharpNT.Kernel.Kd;
using SharpNT.Kernel.Ke;

namespace SharpNT.Cli;

/// <summary>
/// `sharpnt kd`: the debugger against a scenario's machine (booted, the scenario run, then broken into)
/// or a crash dump. Commands come from -c (several -c, or ';' inside one, as WinDbg takes them) or, without
/// -c, from standard input until q.
/// </summary>
internal static class KdCommand
{
    public static int Run(RunContext context, TextReader input, string? scenarioName, string? dumpPath, IReadOnlyList<string> commands)
    {
        if ((scenarioName is null) == (dumpPath is null))
        {
            context.Error.WriteLine("kd: give either --scenario NAME (a scenario's machine) or -z DUMP (a crash dump).");
            return ExitCodes.BadInput;
        }

        if (dumpPath is not null)
        {
            BugCheckInfo info;
            try
            {
                info = CrashDump.Read(dumpPath);
            }
            catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
            {
                context.Error.WriteLine(e.Message);
                return ExitCodes.BadInput;
            }

            return Session(context, input, new KernelDebugger(new DumpTarget(info)), commands, info.BlueScreen.Split('\n')[0]);
        }

        var scenario = ScenarioCatalog.Find(scenarioName!);
        if (scenario is null)
        {
            context.Error.WriteLine($"No scenario named '{scenarioName}'. `sharpnt demo --list` lists them.");
            return ExitCodes.BadInput;
        }

        Machine machine;
        try
        {
            machine = context.Boot(context.LoadDescription());
        }
        catch (Exception e) when (e is MachineDescriptionException or FormatException)
        {
            context.Error.WriteLine(e.Message);
            return ExitCodes.BadInput;
        }

        using (machine)
        {
            string banner;
            try
            {
                scenario.Run(machine, context.Out);
                banner = $"=== {scenario.Name}: ran to the end; the debugger breaks in";
            }
            catch (BugCheckException e)
            {
                banner = $"=== {scenario.Name}: the machine stopped with bug check 0x{e.Info.Code:X} {e.Info.Name}; the debugger is attached to it";
            }
            catch (MachineHungException e)
            {
                banner = $"=== {scenario.Name}: {e.Message}; the debugger breaks in";
            }

            var exit = Session(context, input, new KernelDebugger(new LiveTarget(machine)), commands, banner);
            if (context.TracePath is { } tracePath)
            {
                machine.WriteTrace(tracePath);
            }

            return exit;
        }
    }

    private static int Session(RunContext context, TextReader input, KernelDebugger debugger, IReadOnlyList<string> commandLines, string banner)
    {
        var o = context.Out;
        if (commandLines.Count > 0)
        {
            // Each -c may hold several commands; with more than one in all, each is echoed after the prompt.
            var commands = commandLines.SelectMany(KernelDebugger.Split).ToList();
            foreach (var command in commands)
            {
                if (commands.Count > 1)
                {
                    o.Write($"kd> {command}\n");
                }

                o.Write(debugger.Execute(command));
            }

            return ExitCodes.Success;
        }

        o.Write($"{banner}\nkd> ");
        while (input.ReadLine() is { } line && line.Trim() is not ("q" or "qq"))
        {
            o.Write(debugger.Execute(line));
            o.Write("kd> ");
        }

        o.Write('\n');
        return ExitCodes.Success;
    }
}
