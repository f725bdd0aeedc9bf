using System.Text;
using SharpNT.Kernel.Io;
using SharpNT.Kernel.Vf;

namespace SharpNT.Kernel.Kd;

/// <summary>
/// !verifier: the Driver Verifier settings, the verified drivers and their pool statistics, and the IRP log
/// that IRP logging (0x400) keeps per device; <c>!verifier 0x100 [Quantity | Address]</c> shows the IRP log
/// alone (the extension's IRP-log display: the last Quantity entries of each device, or only the entries of
/// one IRP or one device object).
/// </summary>
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

    /// <summary>Addresses at or above this are kernel addresses; a smaller number after 0x100 is a quantity.</summary>
    private const ulong SystemRangeStart = 0xFFFF8000_00000000;

    internal static string Verifier(DebugTarget target, string arguments)
    {
        if (target.Verifier is not { } v)
        {
            return KdText.NotInDump(target, "the verifier settings");
        }

        var words = KdText.Words(arguments);
        if (words.Length > 0 && KdText.TryParseFlags(words[0], out var flags) && flags == 0x100)
        {
            if (words.Length < 2)
            {
                return IrpLog(target, v, int.MaxValue, null);
            }

            if (!KdSymbols.TryParseAddress(words[1], out var value))
            {
                return $"Invalid quantity or address '{words[1]}'\n";
            }

            return value >= SystemRangeStart ? IrpLog(target, v, int.MaxValue, value) : IrpLog(target, v, (int)Math.Min(value, int.MaxValue), null);
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

        if (v.IrpLogs.Count > 0)
        {
            sb.Append(IrpLog(target, v, int.MaxValue, null));
        }

        return sb.ToString();
    }

    /// <summary>
    /// The IRP log: per logged device (its name and driver when the target knows the device), the IRPs it was
    /// sent, oldest first, with the thread that sent each, the function, the IOCTL and the status its
    /// dispatch routine returned ("pending return" while the routine had not returned yet).
    /// </summary>
    private static string IrpLog(DebugTarget target, VerifierStatus v, int quantity, ulong? address)
    {
        var sb = new StringBuilder();
        if ((v.Flags & VerifierSettings.IrpLogging) == 0)
        {
            sb.Line($"IRP logging (0x{VerifierSettings.IrpLogging:x}) is not enabled: no IRP log.");
            return sb.ToString();
        }

        sb.Line($"IRP Log (the last {Vf.IrpLog.Capacity} IRPs sent to each verified device, oldest first)");
        sb.Line();
        var shown = 0;
        foreach (var log in v.IrpLogs)
        {
            var entries = address is { } a && a != log.DeviceObject
                ? log.Entries.Where(e => e.Irp == a).ToList()
                : log.Entries.Skip(Math.Max(0, log.Entries.Count - quantity)).ToList();
            if (entries.Count == 0)
            {
                continue;
            }

            var device = target.Device(log.DeviceObject);
            var name = device is null ? "" : $" {device.Name ?? "(unnamed)"} ({device.DriverName})";
            sb.Line($"DeviceObject {log.DeviceObject:x16}{name}: {entries.Count} of {log.Entries.Count} entries");
            sb.Line($"    Time (100ns)      Thread            Irp               Major/Minor function                   IoControlCode  Status");
            foreach (var e in entries)
            {
                var function = $"{IRP_MJ.Name(e.MajorFunction)}({e.MajorFunction:x}) {e.MinorFunction:x}";
                var ioctl = e.MajorFunction is IRP_MJ.IRP_MJ_DEVICE_CONTROL or IRP_MJ.IRP_MJ_INTERNAL_DEVICE_CONTROL ? $"{e.IoControlCode:x8}" : "-";
                var status = e.Status is { } st ? $"{(uint)st:x8} {st}" : "pending return";
                sb.Line($"    {e.Time,-17} {e.Thread:x16}  {e.Irp:x16}  {function,-38} {ioctl,-14} {status}");
            }

            sb.Line();
            shown++;
        }

        if (shown == 0)
        {
            sb.Line($"{(address is { } x ? $"No IRP log entry for {x:x16}." : "No IRP has been logged.")}");
        }

        return sb.ToString();
    }
}
