using SharpNT.Kernel;
using SharpNT.Kernel.Ke;
using SharpNT.Kernel.Pnp;
using Spectre.Console;

namespace SharpNT.Cli;

/// <summary>
/// `sharpnt devices`: boots the machine, lets the PnP manager enumerate it (the registry's root devices, the
/// description's plugged devices, --plug), and prints the device tree: each device node's instance path, service
/// and state, and its device stack from the top down to the PDO, as !devnode and !devstack show them.
/// </summary>
internal static class DevicesCommand
{
    public static int Run(RunContext context)
    {
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

        using var booted = machine;
        try
        {
            var (tree, status, refused) = machine.Run(() =>
            {
                PnpHost.Start(machine);
                var (status, refused) = PnpHost.ApplyHotPlugOptions(machine, context.Plug ?? [], null);
                return (Render(machine), status, refused);
            });
            if (!status.IsSuccess())
            {
                context.Error.WriteLine($"--plug {refused}: the toaster bus refused it ({status.Describe()})");
                return ExitCodes.BadInput;
            }

            var console = AnsiConsole.Create(new AnsiConsoleSettings
            {
                Out = new AnsiConsoleOutput(context.Out),
                Ansi = AnsiSupport.No,
                ColorSystem = ColorSystemSupport.NoColors,
            });
            console.Profile.Width = 200;
            console.Write(tree);
            return ExitCodes.Success;
        }
        catch (NtException e)
        {
            context.Error.WriteLine($"Plug and Play failed: {e.Status.Describe()}");
            return ExitCodes.Failure;
        }
        catch (BugCheckException e)
        {
            context.Error.WriteLine($"The machine stopped with bug check 0x{e.Info.Code:X} {e.Info.Name}");
            return ExitCodes.BugCheck;
        }
    }

    /// <summary>The device tree as a Spectre.Console tree (call inside Machine.Run).</summary>
    internal static Tree Render(Machine machine)
    {
        var pnp = machine.Pnp;
        var root = pnp.Root ?? throw new InvalidOperationException("The PnP manager has not enumerated the machine.");
        var tree = new Tree(Label(machine, root));
        foreach (var child in root.Children)
        {
            Add(machine, tree.AddNode(Label(machine, child)), child);
        }

        return tree;

        static void Add(Machine machine, TreeNode parent, DEVICE_NODE node)
        {
            foreach (var child in node.Children)
            {
                Add(machine, parent.AddNode(Label(machine, child)), child);
            }
        }
    }

    /// <summary>"INSTANCE PATH  service  state [problem]", then the stack from the top down, each device with its driver (and name).</summary>
    private static Rows Label(Machine machine, DEVICE_NODE node)
    {
        var problem = node.Problem != 0 ? $"  problem 0x{node.Problem:X}" : "";
        var head = $"{node.InstancePath}  {node.ServiceName ?? "(no service)"}  {node.State}{problem}";
        var stack = machine.Pnp.StackOf(node).Select(d =>
        {
            var name = machine.Io.DeviceNameOf(d);
            return name is null ? d.DriverObject.DriverName : $"{d.DriverObject.DriverName} {name}";
        });
        return new Rows(new Text(head), new Text("  stack: " + string.Join(" > ", stack)));
    }
}
