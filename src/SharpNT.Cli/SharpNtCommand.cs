using System.CommandLine;
using SharpNT.Cli.Demos;
using SharpNT.Kernel;
using SharpNT.Kernel.Ke;

namespace SharpNT.Cli;

/// <summary>The sharpnt command line: verbs and the options that apply to every run.</summary>
internal static class SharpNtCommand
{
    public static RootCommand Create(TextWriter stdout, TextWriter stderr, TextReader? stdin = null)
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

        var plug = new Option<string[]>("--plug") { Description = "Plug a device into the toaster bus (a hardware ID, or a name such as MsToaster); repeatable", AllowMultipleArgumentsPerToken = false };
        var unplugAfter = new Option<int?>("--unplug-after") { Description = "Pull every toaster out of the bus this many milliseconds (machine time) after the start" };

        var name = new Argument<string?>("NAME") { Description = "The scenario to run (default: all)", Arity = ArgumentArity.ZeroOrOne };
        var list = new Option<bool>("--list") { Description = "List the scenarios" };
        var demo = new Command("demo", "Boot the default machine and run the demo scenarios");
        demo.Arguments.Add(name);
        demo.Options.Add(list);
        demo.Options.Add(plug);
        demo.Options.Add(unplugAfter);
        demo.SetAction(parse =>
        {
            var context = new RunContext(stdout, stderr, parse.GetValue(seed), parse.GetValue(dump), parse.GetValue(machineFile), parse.GetValue(trace), parse.GetValue(verifier))
            {
                Plug = parse.GetValue(plug),
                UnplugAfterMs = parse.GetValue(unplugAfter),
            };
            return parse.GetValue(list) ? DemoCommand.List(stdout) : DemoCommand.Run(context, parse.GetValue(name));
        });
        root.Subcommands.Add(demo);

        var user = new Option<string>("--user") { Description = "The account the program runs as: SYSTEM, Administrator or user", DefaultValueFactory = _ => "Administrator" };
        var programLine = new Argument<string[]>("PROGRAM") { Description = "The program and its arguments (after --)", Arity = ArgumentArity.ZeroOrMore };
        var disks = new Option<string[]>("--disk") { Description = "A FAT disk image for C:, D:, ... (repeatable)", AllowMultipleArgumentsPerToken = false };
        var run = new Command("run", "Boot the machine and run a built-in user-mode program; exits with its exit code");
        run.Options.Add(user);
        run.Options.Add(disks);
        run.Arguments.Add(programLine);
        run.Options.Add(plug);
        run.Options.Add(unplugAfter);
        run.SetAction(parse =>
        {
            var context = new RunContext(stdout, stderr, parse.GetValue(seed), parse.GetValue(dump), parse.GetValue(machineFile), parse.GetValue(trace), parse.GetValue(verifier))
            {
                Plug = parse.GetValue(plug),
                UnplugAfterMs = parse.GetValue(unplugAfter),
            };
            return RunCommand.Run(context, parse.GetValue(user)!, parse.GetValue(disks) ?? [], parse.GetValue(programLine) ?? []);
        });
        root.Subcommands.Add(run);

        var devices = new Command("devices", "Boot the machine and print its device tree: device nodes, services, states, device stacks");
        devices.Options.Add(plug);
        devices.SetAction(parse => DevicesCommand.Run(
            new RunContext(stdout, stderr, parse.GetValue(seed), parse.GetValue(dump), parse.GetValue(machineFile), parse.GetValue(trace), parse.GetValue(verifier))
            {
                Plug = parse.GetValue(plug),
            }));
        root.Subcommands.Add(devices);

        var programs = new Command("programs", "List the built-in programs");
        programs.SetAction(_ => RunCommand.Programs(stdout));
        root.Subcommands.Add(programs);

        var bench = new Command("bench", "In-process measurements");
        var layers = new Option<int>("--layers") { Description = "Devices in the stack", DefaultValueFactory = _ => 4 };
        var count = new Option<int>("--count") { Description = "IRPs per measured run", DefaultValueFactory = _ => 200_000 };
        var irp = new Command("irp", "One IRP's round trip through a stack of pass-through drivers, in ns");
        irp.Options.Add(layers);
        irp.Options.Add(count);
        irp.SetAction(parse => BenchCommand.Irp(stdout, parse.GetValue(layers), parse.GetValue(count), parse.GetValue(verifier)));
        bench.Subcommands.Add(irp);
        var ioctlLayers = new Option<int>("--layers") { Description = "Drivers in the stack", DefaultValueFactory = _ => 3 };
        var ioctlCount = new Option<int>("--count") { Description = "Calls per measured run", DefaultValueFactory = _ => 200_000 };
        var ioctlBench = new Command("ioctl", "DeviceIoControl round trips from a user-mode thread through the system call and a driver stack");
        ioctlBench.Options.Add(ioctlLayers);
        ioctlBench.Options.Add(ioctlCount);
        ioctlBench.SetAction(parse => BenchCommand.Ioctl(stdout, parse.GetValue(ioctlLayers), parse.GetValue(ioctlCount)));
        bench.Subcommands.Add(ioctlBench);
        var benchDisk = new Option<string>("--disk") { Description = "The FAT disk image (C:)", Required = true };
        var benchPath = new Option<string>("--path") { Description = @"The file or directory, e.g. C:\BIG.BIN", Required = true };
        var read = new Command("read", "Read a file through the whole stack: MB/s with 64 KiB and 1 MiB reads, and a cached 4 KiB read");
        var benchFilter = new Option<bool>("--actmon") { Description = "Attach the activity monitor filter (actmon.sys) above the volume" };
        read.Options.Add(benchDisk);
        read.Options.Add(benchPath);
        read.Options.Add(benchFilter);
        read.SetAction(parse => FileBenchCommand.Read(stdout, stderr, parse.GetValue(benchDisk)!, parse.GetValue(benchPath)!, parse.GetValue(benchFilter)));
        bench.Subcommands.Add(read);
        var tree = new Command("tree", "Read every file under a directory through the whole stack: files per second");
        tree.Options.Add(benchDisk);
        tree.Options.Add(benchPath);
        tree.Options.Add(benchFilter);
        tree.SetAction(parse => FileBenchCommand.Tree(stdout, stderr, parse.GetValue(benchDisk)!, parse.GetValue(benchPath)!, parse.GetValue(benchFilter)));
        bench.Subcommands.Add(tree);
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

        var kdCommand = new Option<string[]>("-c") { Description = "Debugger commands (repeat -c, or separate them with ';'); without -c, read them from standard input" };
        var kdDump = new Option<string?>("-z") { Description = "The crash dump to open" };
        var kdScenario = new Option<string?>("--scenario") { Description = "Boot the machine of this demo scenario, run it, then break in" };
        var kd = new Command("kd", "Debugger commands against a scenario's machine or a crash dump; `.help` lists them");
        kd.Options.Add(kdCommand);
        kd.Options.Add(kdDump);
        kd.Options.Add(kdScenario);
        kd.SetAction(parse =>
        {
            var context = new RunContext(stdout, stderr, parse.GetValue(seed), parse.GetValue(dump), parse.GetValue(machineFile), parse.GetValue(trace), parse.GetValue(verifier));
            return KdCommand.Run(context, stdin ?? Console.In, parse.GetValue(kdScenario), parse.GetValue(kdDump), parse.GetValue(kdCommand) ?? []);
        });
        root.Subcommands.Add(kd);
        return root;
    }
}

/// <summary>What every run takes from the command line.</summary>
internal sealed record RunContext(TextWriter Out, TextWriter Error, ulong? Seed, string? DumpPath, string? MachineFile, string? TracePath = null, string? Verifier = null)
{
    /// <summary>--plug ID: devices to plug into the toaster bus once the machine is up.</summary>
    public IReadOnlyList<string>? Plug { get; init; }

    /// <summary>--unplug-after MS: pull every toaster out this many milliseconds of machine time after the start.</summary>
    public int? UnplugAfterMs { get; init; }

    /// <summary>The machine description: the file's, or the built-in one; --seed overrides the seed.</summary>
    public MachineDescription LoadDescription()
    {
        var d = MachineFile is null ? MachineDescription.Default : MachineDescriptionFile.Load(MachineFile);
        return Seed is { } s ? d with { Seed = s } : d;
    }

    /// <param name="defaultVerifier">Verifier settings to use when --verifier gives none (a scenario's own).</param>
    public Machine Boot(MachineDescription description, string? defaultVerifier = null)
    {
        var text = Verifier ?? defaultVerifier;
        var verifier = text is null ? SharpNT.Kernel.Vf.VerifierSettings.None : SharpNT.Kernel.Vf.VerifierSettings.Parse(text);
        var machine = Machine.Boot(description, new MachineOptions
        {
            Console = Out,
            DumpPath = DumpPath,
            Verifier = verifier,
            DriverPackages = description.Disks.Count > 0 ? SharpNT.Drivers.Storage.StorageDrivers.Packages() : [],
        });
        if (TracePath is not null)
        {
            machine.StartTrace();
        }

        return machine;
    }
}
