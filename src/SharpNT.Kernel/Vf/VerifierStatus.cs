namespace SharpNT.Kernel.Vf;

/// <summary>
/// The verifier's state as the debugger's !verifier reads it: the settings (flags, which drivers) and the
/// per-driver statistics. Filled by <see cref="VerifierQuery"/>; checks that keep more statistics (IRP
/// logging, special pool) add them here.
/// </summary>
internal sealed record VerifierStatus(uint Flags, bool AllDrivers, IReadOnlyList<VerifiedDriverStatus> Drivers)
{
    /// <summary>The IRP logs of the devices IRP logging (0x400) has seen, in the order each was first logged.</summary>
    internal IReadOnlyList<DeviceIrpLog> IrpLogs { get; init; } = [];
}
