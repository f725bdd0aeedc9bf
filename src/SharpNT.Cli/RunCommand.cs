using SharpNT.Kernel;
using SharpNT.Kernel.Ke;
using SharpNT.Kernel.Se;
using SharpNT.Programs;
using Spectre.Console;

namespace SharpNT.Cli;

/// <summary>`sharpnt run` and `sharpnt programs`: a built-in program in a booted machine.</summary>
internal static class RunCommand
{
    public static int Programs(TextWriter stdout)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(stdout) });
        var table = new Table().AddColumn("Program").AddColumn("What it does");
        foreach (var p in ProgramCatalog.All)
        {
            table.AddRow(Markup.Escape(p.Name), Markup.Escape(p.Description));
        }

        console.Write(table);
        return ExitCodes.Success;
    }

    /// <summary>
    /// Boots the machine, loads the sample drivers, runs the program as <paramref name="user"/> and exits with
    /// its exit code (the low 8 bits, as the host shell keeps them; the full code is printed when it is not 0).
    /// </summary>
    public static int Run(RunContext context, string user, IReadOnlyList<string> disks, IReadOnlyList<string> commandLine)
    {
        foreach (var disk in disks)
        {
            if (!File.Exists(disk))
            {
                context.Error.WriteLine($"Disk image '{disk}' not found.");
                return ExitCodes.BadInput;
            }
        }

        if (commandLine.Count == 0)
        {
            context.Error.WriteLine("Name a program: sharpnt run -- PROGRAM ARGS. `sharpnt programs` lists them.");
            return ExitCodes.BadInput;
        }

        var program = ProgramCatalog.Find(commandLine[0]);
        if (program is null)
        {
            context.Error.WriteLine($"No program named '{commandLine[0]}'. `sharpnt programs` lists them.");
            return ExitCodes.BadInput;
        }

        if (context.UnplugAfterMs is < 0)
        {
            context.Error.WriteLine("--unplug-after takes a number of milliseconds, 0 or more.");
            return ExitCodes.BadInput;
        }

        if (WellKnownTokens.Create(user) is null)
        {
            context.Error.WriteLine($"No account named '{user}'. Accounts: {string.Join(", ", WellKnownTokens.AccountNames)}.");
            return ExitCodes.BadInput;
        }

        Machine machine;
        try
        {
            var description = context.LoadDescription();
            machine = context.Boot(disks.Count == 0 ? description : description with { Disks = [.. description.Disks, .. disks.Select(Path.GetFullPath)] });
        }
        catch (Exception e) when (e is MachineDescriptionException or FormatException)
        {
            context.Error.WriteLine(e.Message);
            return ExitCodes.BadInput;
        }

        using var booted = machine;
        try
        {
            var exit = machine.Run(() =>
            {
                ProgramHost.LoadSampleDrivers(machine);
                ProgramHost.LoadFileSystems(machine);
                PnpHost.Start(machine);
                var (status, refused) = PnpHost.ApplyHotPlugOptions(machine, context.Plug ?? [], context.UnplugAfterMs);
                if (!status.IsSuccess())
                {
                    context.Error.WriteLine($"--plug {refused}: the toaster bus refused it ({status.Describe()})");
                    return uint.MaxValue;
                }

                return ProgramHost.Run(machine, program, [.. commandLine.Skip(1)], user);
            });
            if (exit == uint.MaxValue)
            {
                return ExitCodes.BadInput;
            }

            if (exit != 0)
            {
                context.Error.WriteLine($"{program.ImageName} exited with 0x{exit:X8} ({exit})");
            }

            return (int)(exit & 0xFF);
        }
        catch (BugCheckException e)
        {
            context.Error.WriteLine($"The machine stopped with bug check 0x{e.Info.Code:X} {e.Info.Name}");
            return ExitCodes.BugCheck;
        }
        catch (MachineHungException e)
        {
            context.Error.WriteLine(e.Message);
            return ExitCodes.Hung;
        }
        finally
        {
            if (context.TracePath is { } tracePath)
            {
                machine.WriteTrace(tracePath);
            }
        }
    }
}
