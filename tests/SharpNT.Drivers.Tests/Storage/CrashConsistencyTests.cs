using System.Collections.Concurrent;
using SharpNT.Kernel;
using SharpNT.Kernel.Ke;
using static SharpNT.Kernel.Ddi.Wdm;
using static SharpNT.Kernel.NTSTATUS;

namespace SharpNT.Drivers.Tests.Storage;

/// <summary>
/// A bug check while writes and flushes are in flight: every sector of the image is afterwards either its old
/// contents or one whole written version, never a mix, and every write a completed flush covered is there.
/// </summary>
public sealed class CrashConsistencyTests
{
    private const int Sectors = 4096;
    private const int SectorsPerWrite = 16;

    /// <summary>Sector contents of write generation <paramref name="generation"/> at <paramref name="lba"/>: the pattern names both.</summary>
    private static void Stamp(Span<byte> sector, long lba, int generation)
    {
        sector.Fill((byte)(generation * 37));
        BitConverter.TryWriteBytes(sector, lba);
        BitConverter.TryWriteBytes(sector[8..], generation);
        BitConverter.TryWriteBytes(sector[504..], lba ^ ((long)generation << 32) ^ 0x1234_5678);
    }

    [Theory]
    [InlineData(SchedulingMode.Deterministic, 1UL)]
    [InlineData(SchedulingMode.Deterministic, 2UL)]
    [InlineData(SchedulingMode.Deterministic, 3UL)]
    [InlineData(SchedulingMode.Parallel, 1UL)]
    [InlineData(SchedulingMode.Parallel, 2UL)]
    public void A_bug_check_mid_write_leaves_every_sector_old_or_wholly_new(SchedulingMode mode, ulong seed)
    {
        using var images = new DiskImages();
        var image = images.Patterned("crash.raw", Sectors, 0x5C);
        var original = File.ReadAllBytes(image);
        var flushed = new ConcurrentDictionary<long, int>();
        var writesDone = 0;

        var machine = StorageMachine.Boot([image], mode: mode, seed: seed, memoryMiB: 64);
        Assert.Throws<BugCheckException>(() => machine.Run(() =>
        {
            var disk = StorageMachine.Open(@"\Device\Harddisk0\Partition0");
            PsCreateSystemThread(out var handle, 0, null, null, out _, _ =>
            {
                var random = new Random((int)seed);
                var written = new Dictionary<long, int>();
                var data = new byte[SectorsPerWrite * 512];
                for (var generation = 1; ; generation++)
                {
                    var lba = random.Next(Sectors / SectorsPerWrite) * (long)SectorsPerWrite;
                    for (var s = 0; s < SectorsPerWrite; s++)
                    {
                        Stamp(data.AsSpan(s * 512, 512), lba + s, generation);
                        written[lba + s] = generation;
                    }

                    Assert.Equal(STATUS_SUCCESS, StorageMachine.Write(disk, lba * 512, data));
                    Interlocked.Increment(ref writesDone);
                    if (generation % 4 == 0 && StorageMachine.Flush(disk) == STATUS_SUCCESS)
                    {
                        foreach (var (sector, g) in written)
                        {
                            flushed[sector] = g;
                        }
                    }
                }
            }, null);
            ZwClose(handle);

            // Let the writer get going, then stop the machine wherever it is.
            while (Volatile.Read(ref writesDone) < 12)
            {
                KeDelayExecutionThread(KernelMode, false, new LARGE_INTEGER(-1000));
            }

            KeBugCheckEx(0xE2, 0, 0, 0, 0);
        }));
        machine.Dispose();

        var after = File.ReadAllBytes(image);
        var expected = new byte[512];
        var newSectors = 0;
        for (long lba = 0; lba < Sectors; lba++)
        {
            var sector = after.AsSpan((int)lba * 512, 512);
            if (sector.SequenceEqual(original.AsSpan((int)lba * 512, 512)))
            {
                Assert.False(flushed.ContainsKey(lba), $"sector {lba} lost a write a completed flush covered");
                continue;
            }

            var generation = BitConverter.ToInt32(sector[8..]);
            Stamp(expected, lba, generation);
            Assert.True(sector.SequenceEqual(expected), $"sector {lba} is neither its old contents nor one whole write");
            Assert.True(!flushed.TryGetValue(lba, out var atLeast) || generation >= atLeast, $"sector {lba} went back to an older write");
            newSectors++;
        }

        Assert.True(flushed.IsEmpty || newSectors > 0, "flushed writes must be in the image");
    }
}
