using System.Text;

namespace SharpNT.Kernel.Kd;

/// <summary>
/// The debugger engine: reads a command line as kd reads one (commands separated by ';'), runs each
/// against its target (a live machine or a crash dump) and returns the text WinDbg would print. Bad input
/// gets WinDbg's kind of message, never an exception.
/// </summary>
internal sealed class KernelDebugger(DebugTarget target)
{
    /// <summary>The commands, with what each shows, as .help lists them.</summary>
    internal static IReadOnlyList<(string Syntax, string Description)> Commands { get; } =
    [
        ("!analyze -v", "the bug check: stop code, each parameter's meaning, stack, driver at fault"),
        ("!bugdump [Component]", "what bug check callbacks left in their buffers for the dump"),
        ("!devnode", "the device tree: each device node's PDO, instance path, service and state"),
        ("!devobj <DevObj | \\Device\\Name>", "a DEVICE_OBJECT: type, flags, stack size, extension, attached devices"),
        ("!devstack <DevObj | \\Device\\Name>", "the device stack holding a device, top first"),
        ("!drvobj <DrvObj | \\Driver\\Name> [Flags]", "a DRIVER_OBJECT: 1 devices, 2 dispatch routines, 4 devices in detail"),
        ("!irp <Address>", "an IRP and its stack locations, '>' at the current one"),
        ("!irpfind", "the IRPs allocated in nonpaged pool"),
        ("!irql [Processor]", "a processor's IRQL"),
        ("!object <Path | Address>", "an object's header, type and counts; a directory's entries"),
        ("!pool <Address>", "the pool page holding an address, with its POOL_HEADERs"),
        ("!poolused", "pool usage by tag"),
        ("!verifier [0x100 [Quantity | Address]]", "Driver Verifier settings and statistics; 0x100: the IRP log"),
        ("k", "the stack of the current thread"),
        ("lm", "the loaded modules"),
        (".help, ?", "this list"),
        ("q", "quit"),
    ];

    internal DebugTarget Target => target;

    /// <summary>Runs a command line: one command or several separated by ';'.</summary>
    internal string Execute(string line)
    {
        var sb = new StringBuilder();
        foreach (var command in Split(line))
        {
            sb.Append(ExecuteOne(command));
        }

        return sb.ToString();
    }

    /// <summary>The commands of a command line, in order (';' separates them, as in WinDbg).</summary>
    internal static IReadOnlyList<string> Split(string line) =>
        line.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private string ExecuteOne(string command)
    {
        var space = command.IndexOfAny([' ', '\t']);
        var name = space < 0 ? command : command[..space];
        var arguments = space < 0 ? "" : command[(space + 1)..].Trim();
        return name.ToLowerInvariant() switch
        {
            "!analyze" => SystemCommands.Analyze(target),
            "!bugdump" => BugDumpCommand.Execute(target, arguments),
            "lm" => SystemCommands.Modules(target),
            "k" or "kb" or "kv" or "kn" or "kp" => SystemCommands.Stack(target),
            "!irql" => SystemCommands.Irql(target, arguments),
            "!devstack" => DeviceCommands.DevStack(target, arguments),
            "!devobj" => DeviceCommands.DevObj(target, arguments),
            "!devnode" => DeviceCommands.DevNode(target),
            "!drvobj" => DriverCommands.DrvObj(target, arguments),
            "!irp" => IrpCommands.Irp(target, arguments),
            "!irpfind" => IrpCommands.IrpFind(target),
            "!pool" => PoolCommands.Pool(target, arguments),
            "!poolused" => PoolCommands.PoolUsed(target),
            "!object" => ObjectCommands.Object(target, arguments),
            "!verifier" => VerifierCommands.Verifier(target, arguments),
            ".help" or "?" when arguments.Length == 0 => Help(),
            _ when name.StartsWith('!') => $"No export {name[1..]} found\n",
            _ => $"       ^ Syntax error in '{command}'\n",
        };
    }

    private static string Help()
    {
        var sb = new StringBuilder("Commands (WinDbg's, against a live machine or a crash dump):\n");
        foreach (var (syntax, description) in Commands)
        {
            sb.Line($"  {syntax,-42} {description}");
        }

        return sb.ToString();
    }
}
