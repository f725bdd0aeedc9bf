using System.CommandLine;
using SharpNT.Cli.Demos;
using SharpNT.Kernel;
using SharpNT.Kernel.Ke;

namespace SharpNT.Cli;

/// <summary>The sharpnt command line: verbs and the options that apply to every run.</summary>
internal static class SharpNtCommand
{
    public static RootCommand Create(TextWriter stdout, TextWriter stderr)
    {
        var seed = new Option<ulong?>("--seed") { Description = "Seed of the deterministic scheduler (default: the machine's)", Recursive = true };
        var dump = new Option<string?>("--dump") { Description = "Write a crash dump (JSON) here if the machine bug checks", Recursive = true };
        var machineFile = new Option<string?>("--machine") { Description = "Machine description file (TOML); default: the built-in machine", Recursive = true };
        var verifier = new Option<string?>("--verifier") { Description = "Driver Verifier settings, as `verifier` takes them: \"/flags 0x10 /driver NAME.sys\", \"/standard /all\"", Recursive = true };
        var trace = new Option<string?>("--trace") { Description = "Write a Chrome Trace Event file (Perfetto opens it) of each run", Recursive = true };

        var root = new RootCommand("SharpNT: the Windows NT kernel's driver architecture, executable.");
        root.Options.Add(seed);
        root.Options.Add(dump);
        root.Options.Add(machineFile);
        root.Options.Add(trace);
        root.Options.Add(verifier);

        var name = new Argument<string?>("NAME") { Description = "The scenario to run (default: all)", Arity = ArgumentArity.ZeroOrOne };
        var list = new Option<bool>("--list") { Description = "List the scenarios" };
        var demo = new Command("demo", "Boot the default machine and run the demo scenarios");
        demo.Arguments.Add(name);
        demo.Options.Add(list);
        demo.SetAction(parse =>
        {
            var context = new RunContext(stdout, stderr, parse.GetValue(seed), parse.GetValue(dump), parse.GetValue(machineFile), parse.GetValue(trace), parse.GetValue(verifier));
            return parse.GetValue(list) ? DemoCommand.List(stdout) : DemoCommand.Run(context, parse.GetValue(name));
        });
        root.Subcommands.Add(demo);

        var bench = new Command("bench", "In-process measurements");
        var layers = new Option<int>("--layers") { Description = "Devices in the stack", DefaultValueFactory = _ => 4 };
        var count = new Option<int>("--count") { Description = "IRPs per measured run", DefaultValueFactory = _ => 200_000 };
        var irp = new Command("irp", "One IRP's round trip through a stack of pass-through drivers, in ns");
        irp.Options.Add(layers);
        irp.Options.Add(count);
        irp.SetAction(parse => BenchCommand.Irp(stdout, parse.GetValue(layers), parse.GetValue(count), parse.GetValue(verifier)));
        bench.Subcommands.Add(irp);
        root.Subcommands.Add(bench);

        var dumpFile = new Argument<string>("FILE") { Description = "A crash dump written with --dump" };
        var analyze = new Command("analyze", "Print !analyze -v for a crash dump");
        analyze.Arguments.Add(dumpFile);
        analyze.SetAction(parse =>
        {
            try
            {
                stdout.Write(SharpNT.Kernel.Kd.AnalyzeCommand.Format(CrashDump.Read(parse.GetValue(dumpFile)!)));
                return ExitCodes.Success;
            }
            catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
            {
                stderr.WriteLine(e.Message);
                return ExitCodes.BadInput;
            }
        });
        root.Subcommands.Add(analyze);

        var kdCommand = new Option<string?>("-c") { Description = "A debugger command (!analyze -v, lm, k, !irql, !poolused)" };
        var kdDump = new Option<string>("-z") { Description = "The crash dump to open", Required = true };
        var kd = new Command("kd", "Debugger commands against a crash dump; without -c, read commands from standard input");
        kd.Options.Add(kdCommand);
        kd.Options.Add(kdDump);
        kd.SetAction(parse =>
        {
            BugCheckInfo info;
            try
            {
                info = CrashDump.Read(parse.GetValue(kdDump)!);
            }
            catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
            {
                stderr.WriteLine(e.Message);
                return ExitCodes.BadInput;
            }

            var debugger = new SharpNT.Kernel.Kd.DumpDebugger(info);
            if (parse.GetValue(kdCommand) is { } one)
            {
                stdout.Write(debugger.Execute(one));
                return ExitCodes.Success;
            }

            stdout.Write($"{info.BlueScreen.Split('\n')[0]}\nkd> ");
            while (Console.In.ReadLine() is { } line && line.Trim() is not ("q" or "qq"))
            {
                stdout.Write(debugger.Execute(line));
                stdout.Write("kd> ");
            }

            return ExitCodes.Success;
        });
        root.Subcommands.Add(kd);
        return root;
    }
}

/// <summary>What every run takes from the command line.</summary>
internal sealed record RunContext(TextWriter Out, TextWriter Error, ulong? Seed, string? DumpPath, string? MachineFile, string? TracePath = null, string? Verifier = null)
{
    /// <summary>The machine description: the file's, or the built-in one; --seed overrides the seed.</summary>
    public MachineDescription LoadDescription()
    {
        var d = MachineFile is null ? MachineDescription.Default : MachineDescriptionFile.Load(MachineFile);
        return Seed is { } s ? d with { Seed = s } : d;
    }

    public Machine Boot(MachineDescription description)
    {
        var verifier = Verifier is null ? SharpNT.Kernel.Vf.VerifierSettings.None : SharpNT.Kernel.Vf.VerifierSettings.Parse(Verifier);
        var machine = Machine.Boot(description, new MachineOptions
        {
            Console = Out,
            DumpPath = DumpPath,
            Verifier = verifier,
            BootDrivers = description.Disks.Count > 0 ? SharpNT.Drivers.Storage.StorageDrivers.BootDrivers() : [],
        });
        if (TracePath is not null)
        {
            machine.StartTrace();
        }

        return machine;
    }
}
