using System.Text.RegularExpressions;
using static SharpNT.Kernel.NTSTATUS;

namespace SharpNT.Drivers.Tests.Storage;

/// <summary>The interrupt path as the machine's event trace shows it: the ISR at the device IRQL, then its DPC at DISPATCH_LEVEL.</summary>
public sealed partial class InterruptTraceTests
{
    [GeneratedRegex(@"cpu(\d+) .*: interrupt vector 0x70 isr NvmeInterruptService at DIRQL 7 on cpu(\d+)$")]
    private static partial Regex IsrLine();

    [Fact]
    public void A_read_shows_the_ISR_at_DIRQL_then_the_queued_DPC_at_DISPATCH_LEVEL_on_the_same_processor()
    {
        using var images = new DiskImages();
        var image = images.Patterned("a.raw", 1024);
        using var machine = StorageMachine.Boot([image], recordEvents: true);
        var start = machine.EventTrace.Count;
        var status = machine.Run(() => StorageMachine.Read(StorageMachine.Open(@"\Device\Harddisk0\Partition0"), 0, 4096).Status);
        Assert.Equal(STATUS_SUCCESS, status);

        var trace = machine.EventTrace.Skip(start).ToList();
        var read = trace.FindIndex(l => l.Contains("IRP_MJ_READ -> \\Device\\RaidPort0", StringComparison.Ordinal));
        var isr = trace.FindIndex(read, l => IsrLine().IsMatch(l));
        Assert.True(read >= 0 && isr > read, "the ISR runs after the read reached the port driver");
        var cpu = IsrLine().Match(trace[isr]).Groups[2].Value;
        var queued = trace.FindIndex(isr, l => l.EndsWith($"queue dpc NvmeDpcRoutine to cpu{cpu}", StringComparison.Ordinal));
        var dpc = trace.FindIndex(isr, l => l.EndsWith($"dpc NvmeDpcRoutine on cpu{cpu} at DISPATCH_LEVEL", StringComparison.Ordinal));
        Assert.True(queued > isr, "the ISR queues the DPC");
        Assert.True(dpc > queued, "the DPC runs after the ISR returned, at DISPATCH_LEVEL");
    }

    [Fact]
    public void The_same_seed_replays_the_same_disk_traffic_event_for_event()
    {
        List<string> Run(ulong seed)
        {
            using var images = new DiskImages();
            var image = images.Patterned("a.raw", 4096);
            using var machine = StorageMachine.Boot([image], seed: seed, recordEvents: true);
            machine.Run(() =>
            {
                var disk = StorageMachine.Open(@"\Device\Harddisk0\Partition0");
                for (var i = 0; i < 8; i++)
                {
                    Assert.Equal(STATUS_SUCCESS, StorageMachine.Write(disk, i * 8192L, new byte[8192]));
                    Assert.Equal(STATUS_SUCCESS, StorageMachine.Read(disk, i * 4096L, 4096).Status);
                }
            });
            return [.. machine.EventTrace.Select(l => Regex.Replace(l, "0x[0-9a-f]{16}", "ADDR"))];
        }

        var first = Run(7);
        Assert.Equal(first, Run(7));
        Assert.Contains(first, l => l.Contains("isr NvmeInterruptService", StringComparison.Ordinal));
    }
}
