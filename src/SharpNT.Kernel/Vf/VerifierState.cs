using SharpNT.Kernel.Ke;
using SharpNT.Kernel.Mm;

namespace SharpNT.Kernel.Vf;

/// <summary>
/// The Driver Verifier of one machine: its settings and the state its checks keep (injected failures, the
/// lock-order graph, the IRP logs, the IRPs it watches). Everything here runs only when a verifier flag is
/// set; the kernel's hooks test <see cref="VerifierSettings.Flags"/> before calling in.
/// </summary>
internal sealed class VerifierState
{
    private readonly Machine _machine;

    internal VerifierState(Machine machine)
    {
        _machine = machine;
        Settings = machine.Options.Verifier;
        LowResources = new LowResourcesSimulation(machine.Description.Seed, Settings);
        Deadlocks = new DeadlockDetection(machine);
        Io = new VerifierIo(machine, this);
        Pool = new VerifierPool(machine, this);
    }

    internal VerifierSettings Settings { get; }

    internal LowResourcesSimulation LowResources { get; }

    internal DeadlockDetection Deadlocks { get; }

    internal VerifierIo Io { get; }

    /// <summary>The verifier's pool thunks (special pool, low resources simulation).</summary>
    internal VerifierPool Pool { get; }

    /// <summary>Whether code of <paramref name="module"/> runs under the verifier option <paramref name="flag"/>.</summary>
    internal bool Applies(LoadedModule? module, uint flag) =>
        module is not null && !ReferenceEquals(module, _machine.Modules.Kernel) && !ReferenceEquals(module, _machine.Modules.Hal)
        && Settings.Applies(module.Name, flag);

    /// <summary>
    /// The IRP log of a device (option 0x400), oldest first: what `!verifier` shows as the device's IRP
    /// history. Empty if nothing was logged for it.
    /// </summary>
    internal IReadOnlyList<IrpLogEntry> IrpLog(ulong deviceObject) => Io.Log(deviceObject);

    /// <summary>The devices that have an IRP log (option 0x400), in the order their first IRP was logged.</summary>
    internal IReadOnlyList<ulong> IrpLoggedDevices() => Io.LoggedDevices();

    /// <summary>
    /// The low resources simulation's decision for an allocation by <paramref name="caller"/>: true when a
    /// verified driver's allocation is to fail now.
    /// </summary>
    internal bool ShouldFailAllocation(KTHREAD caller) =>
        Applies(caller.InnermostModule(), VerifierSettings.LowResourcesSimulation)
        && LowResources.ShouldFail(_machine.Ke.InterruptTime);
}
