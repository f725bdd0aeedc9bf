using System.Text;
using SharpNT.Kernel.Vf;

namespace SharpNT.Kernel.Kd;

/// <summary>!verifier: the Driver Verifier settings, the verified drivers and their pool statistics.</summary>
internal static class VerifierCommands
{
    private static readonly (uint Bit, string Name)[] s_standard =
    [
        (VerifierSettings.SpecialPool, "Special pool"),
        (VerifierSettings.ForceIrqlChecking, "Force IRQL checking"),
        (VerifierSettings.PoolTracking, "Pool tracking"),
        (VerifierSettings.IoVerification, "I/O verification"),
        (VerifierSettings.DeadlockDetection, "Deadlock detection"),
        (VerifierSettings.DmaChecking, "DMA checking"),
        (VerifierSettings.SecurityChecks, "Security checks"),
        (VerifierSettings.MiscellaneousChecks, "Miscellaneous checks"),
        (VerifierSettings.DdiComplianceChecking, "DDI compliance checking"),
    ];

    private static readonly (uint Bit, string Name)[] s_additional =
    [
        (VerifierSettings.LowResourcesSimulation, "Randomized low resources simulation"),
        (VerifierSettings.ForcePendingIo, "Force pending I/O requests"),
        (VerifierSettings.IrpLogging, "IRP logging"),
    ];

    internal static string Verifier(DebugTarget target)
    {
        if (target.Verifier is not { } v)
        {
            return KdText.NotInDump(target, "the verifier settings");
        }

        var sb = new StringBuilder();
        sb.Line($"Verify Flags Level 0x{v.Flags:x8}");
        sb.Line();
        sb.Line($"  STANDARD FLAGS:");
        foreach (var (bit, name) in s_standard)
        {
            sb.Line($"    [{((v.Flags & bit) != 0 ? 'X' : ' ')}] (0x{bit:x8}) {name}");
        }

        sb.Line();
        sb.Line($"  ADDITIONAL FLAGS:");
        foreach (var (bit, name) in s_additional)
        {
            sb.Line($"    [{((v.Flags & bit) != 0 ? 'X' : ' ')}] (0x{bit:x8}) {name}");
        }

        sb.Line();
        sb.Line($"    [X] Indicates flag is enabled");
        sb.Line();
        sb.Line($"Summary of All Verifier Statistics");
        sb.Line();
        var np = (Count: v.Drivers.Sum(d => d.CurrentNonPagedAllocations), Bytes: v.Drivers.Sum(d => d.CurrentNonPagedBytes));
        var pg = (Count: v.Drivers.Sum(d => d.CurrentPagedAllocations), Bytes: v.Drivers.Sum(d => d.CurrentPagedBytes));
        sb.Line($"  Current paged pool allocations         0x{pg.Count:x} for {pg.Bytes:x8} bytes");
        sb.Line($"  Current nonpaged pool allocations      0x{np.Count:x} for {np.Bytes:x8} bytes");
        sb.Line();
        sb.Line($"Driver Verification List");
        sb.Line($"------------------------");
        sb.Line();
        if (v.Drivers.Count == 0)
        {
            sb.Line($"{(v.AllDrivers ? "All drivers are verified; none is loaded." : "No drivers are verified.")}");
        }

        var tracking = (v.Flags & VerifierSettings.PoolTracking) != 0;
        foreach (var d in v.Drivers)
        {
            var state = d.Loaded ? "Loaded" : d.Unloaded ? "Loaded and Unloaded" : "Not loaded";
            sb.Line($"{d.ImageName} ({state})");
            sb.Line();
            if (tracking)
            {
                sb.Line($"    Pool Allocation Statistics: ( NonPagedPool / PagedPool )");
                sb.Line();
                sb.Line($"      Current Pool Allocations: ( 0x{d.CurrentNonPagedAllocations:x8} / 0x{d.CurrentPagedAllocations:x8} )");
                sb.Line($"      Current Pool Bytes:       ( 0x{d.CurrentNonPagedBytes:x8} / 0x{d.CurrentPagedBytes:x8} )");
            }
            else
            {
                sb.Line($"    Pool tracking (0x8) is off: no pool allocation statistics.");
            }

            sb.Line();
        }

        return sb.ToString();
    }
}
