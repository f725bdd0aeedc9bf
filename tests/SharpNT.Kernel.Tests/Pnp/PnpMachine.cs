using SharpNT.Cli;
using SharpNT.Kernel.Pnp;

namespace SharpNT.Kernel.Tests.Pnp;

/// <summary>A booted machine whose PnP manager enumerated the root (the toaster bus), whose console the tests read.</summary>
internal sealed class PnpMachine : IDisposable
{
    private readonly StringWriter _console = new();

    public PnpMachine(Action<Machine>? beforeEnumeration = null, ulong seed = 1, string? dumpPath = null,
        Kernel.Ke.SchedulingMode mode = Kernel.Ke.SchedulingMode.Deterministic)
    {
        Machine = TestMachines.Boot(seed: seed, mode: mode, memoryMiB: 32, console: _console, dumpPath: dumpPath);
        Machine.Run(() =>
        {
            beforeEnumeration?.Invoke(Machine);
            PnpHost.Start(Machine);
        });
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

    public PnpManager Pnp => Machine.Pnp;

    public DEVICE_NODE Node(string instancePath) =>
        Pnp.FindNode(instancePath) ?? throw new InvalidOperationException($"no device node {instancePath}");

    /// <summary>The toaster nodes under the bus, in serial order.</summary>
    public IReadOnlyList<DEVICE_NODE> Toasters => [.. Pnp.SnapshotNodes().Where(n => n.Parent?.InstancePath == PnpHost.BusInstancePath)];

    public uint Plug(string id = "MsToaster") => Machine.Run(() => PnpHost.Plug(Machine, id));

    public NTSTATUS Unplug(uint serialNo) => Machine.Run(() => PnpHost.Unplug(Machine, serialNo));

    /// <summary>The driver names of a node's stack, top first (as !devstack lists them).</summary>
    public IReadOnlyList<string> Stack(DEVICE_NODE node) => Machine.Run(() => Pnp.StackOf(node).Select(d => d.DriverObject.DriverName).ToList());

    /// <summary>Runs a program to its end as <paramref name="account"/>: its exit status.</summary>
    public uint Run(SharpNT.Win32.Win32Program program, string account, params string[] args) =>
        Machine.Run(() => ProgramHost.Run(Machine, program, args, account));

    public void Dispose() => Machine.Dispose();
}
