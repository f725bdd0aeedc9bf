using SharpNT.Drivers.Fastfat;
using SharpNT.Kernel;

namespace SharpNT.Drivers.Tests.Fastfat;

/// <summary>FAT entry packing, full disks, full roots, directory growth and slot reuse.</summary>
public sealed class FatAllocationTests
{
    [Fact]
    public void Fat12_entries_pack_odd_and_even_clusters_into_shared_bytes_in_every_fat_copy()
    {
        using var image = FatImage.Create(12, 1024);
        var (device, volume) = image.Mount();
        volume.WriteFile("\\three.bin", FatTestVolume.Pattern(3 * 512, 1));
        volume.WriteFile("\\long.bin", FatTestVolume.Pattern(400 * 512, 2));
        image.Save(device, volume);

        var bootSector = volume.BootSector;
        for (var fat = 0; fat < bootSector.NumberOfFats; fat++)
        {
            var start = (int)((bootSector.ReservedSectors + (fat * bootSector.SectorsPerFat)) * 512);
            var bytes = device.Image.AsSpan(start);

            // Clusters 2 -> 3 -> 4 -> end: 0x003 in the low 12 bits at byte 3, 0x004 in the high 12 bits at
            // byte 4, 0xFFF (end of chain) in the low 12 bits at byte 6; cluster 5 -> 6 puts 0x006 in the
            // high 12 bits of bytes 7/8.
            Assert.Equal(new byte[] { 0x03, 0x40, 0x00, 0xFF, 0x6F }, bytes[3..8].ToArray());

            // The second file runs 5..404; entry 341 (odd) straddles the FAT's first sector boundary:
            // 340 -> 341 puts 0x155 at bytes 510/511, 341 -> 342 puts 0x156 in the high 12 bits of 511/512.
            Assert.Equal(new byte[] { 0x55, 0x61, 0x15 }, bytes[510..513].ToArray());
        }

        FatTools.AssertClean(image.Path);
        Assert.Equal(FatTestVolume.Pattern(400 * 512, 2), File.ReadAllBytes(ExtractOne(image, "long.bin")));
    }

    [Theory]
    [InlineData(12)]
    [InlineData(16)]
    [InlineData(32)]
    public void A_full_disk_refuses_the_write_whole_and_recovers_after_a_delete(int fatBits)
    {
        using var image = fatBits switch
        {
            12 => FatImage.Create(12, 256),
            16 => FatImage.Create(16, 4200),
            _ => FatImage.Create(32, 34 * 1024),
        };
        var (device, volume) = image.Mount();
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, volume.QueryVolumeInformation(out var info));
        var chunk = FatTestVolume.Pattern(64 * 1024, 3);
        var files = 0;
        NTSTATUS status;
        FatFcb? last = null;
        while (true)
        {
            Assert.Equal(NTSTATUS.STATUS_SUCCESS, volume.Create(null, $"\\fill {files}.bin", FatCreateDisposition.FILE_CREATE,
                FatCreateOptions.None, FatAttributes.None, out last, out _));
            status = volume.Write(last!, 0, chunk, out var written);
            if (status != NTSTATUS.STATUS_SUCCESS)
            {
                Assert.Equal(0, written);
                break;
            }

            volume.Close(last!);
            files++;
        }

        Assert.Equal(NTSTATUS.STATUS_DISK_FULL, status);
        Assert.Equal(0, last!.FileSize);
        Assert.True(volume.Fat.FreeClusters < chunk.Length / 512);
        Assert.Equal(NTSTATUS.STATUS_DISK_FULL, volume.SetEndOfFile(last, info!.TotalClusters * 512L));
        volume.Close(last);

        Assert.Equal(NTSTATUS.STATUS_SUCCESS, volume.Delete("\\fill 0.bin"));
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, volume.Open($"\\fill {files}.bin", out last));
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, volume.Write(last!, 0, chunk, out _));
        volume.Close(last!);
        image.Save(device, volume);
        FatTools.AssertClean(image.Path);
        Assert.Equal(chunk, File.ReadAllBytes(ExtractOne(image, $"fill {files}.bin")));
    }

    [Theory]
    [InlineData(12)]
    [InlineData(16)]
    public void A_full_fixed_root_is_STATUS_DISK_FULL(int fatBits)
    {
        using var image = FatImage.Create(fatBits, fatBits == 12 ? 1024 : 8 * 1024, rootEntries: 16);
        var (device, volume) = image.Mount();

        // The label takes one of the 16 entries; a long name needs more than one.
        for (var i = 0; i < 15; i++)
        {
            volume.WriteFile($"\\F{i}.TXT", [(byte)i]);
        }

        var status = volume.Create(null, "\\ONEMORE.TXT", FatCreateDisposition.FILE_CREATE, FatCreateOptions.None, FatAttributes.None, out _, out _);
        Assert.Equal(NTSTATUS.STATUS_DISK_FULL, status);
        Assert.Equal(NTSTATUS.STATUS_DISK_FULL, volume.CreateDirectory("\\newdir", out _));
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, volume.Delete("\\F3.TXT"));
        volume.WriteFile("\\ONEMORE.TXT", [42]);
        image.Save(device, volume);
        FatTools.AssertClean(image.Path);
        Assert.Equal(15, FatTools.Run("mdir", "-b", "-i", image.Path, "::/").Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public void A_fat32_root_and_subdirectories_grow_by_clusters_and_reuse_deleted_slots()
    {
        using var image = FatImage.CreateSmall(32);
        var (device, volume) = image.Mount();
        volume.MakeDirectory("\\grow");
        for (var i = 0; i < 150; i++)
        {
            volume.WriteFile($"\\Root file with a long name {i}.txt", [(byte)i]);
            volume.WriteFile($"\\grow\\Sub file with a long name {i}.txt", [(byte)i]);
        }

        Assert.Equal(NTSTATUS.STATUS_SUCCESS, volume.Flush());
        var freeBefore = volume.Fat.FreeClusters;
        for (var i = 0; i < 150; i += 2)
        {
            Assert.Equal(NTSTATUS.STATUS_SUCCESS, volume.Delete($"\\grow\\Sub file with a long name {i}.txt"));
        }

        for (var i = 0; i < 150; i += 2)
        {
            volume.WriteFile($"\\grow\\Again {i}.txt", [(byte)i]);
        }

        Assert.Equal(NTSTATUS.STATUS_SUCCESS, volume.Flush());
        Assert.Equal(freeBefore, volume.Fat.FreeClusters);
        Assert.Equal(151, volume.List("\\").Count);
        Assert.Equal(152, volume.List("\\grow").Count);
        image.Save(device, volume);
        FatTools.AssertClean(image.Path);
        var listing = FatTools.Run("mdir", "-b", "-i", image.Path, "::/grow/");
        Assert.Equal(150, listing.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public void Freed_clusters_are_reused_only_after_the_directory_that_freed_them_is_written()
    {
        using var image = FatImage.Create(12, 1024);
        var (device, volume) = image.Mount();
        volume.WriteFile("\\old.bin", FatTestVolume.Pattern(2048, 1));
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, volume.Flush());
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, volume.Open("\\old.bin", out var old));
        var oldCluster = old!.FirstCluster;
        volume.Close(old);
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, volume.Delete("\\old.bin"));
        volume.WriteFile("\\new.bin", FatTestVolume.Pattern(2048, 2));
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, volume.Open("\\new.bin", out var created));
        Assert.NotEqual(oldCluster, created!.FirstCluster);
        volume.Close(created);
        image.Save(device, volume);
        FatTools.AssertClean(image.Path);
    }

    [Fact]
    public void An_interrupted_flush_leaves_at_worst_lost_clusters()
    {
        using var image = FatImage.CreateSmall(16);
        var (device, volume) = image.Mount();
        volume.WriteFile("\\keep.txt", "kept"u8.ToArray());
        volume.WriteFile("\\doomed.bin", FatTestVolume.Pattern(5000, 1));
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, volume.Flush());
        var committed = (byte[])device.Image.Clone();

        // One epoch that grows a file, creates one, deletes one; the device dies after every possible write.
        for (var allowed = 0; ; allowed++)
        {
            var copy = new MemoryBlockDevice((byte[])committed.Clone());
            Assert.Equal(NTSTATUS.STATUS_SUCCESS, FatVolume.Mount(copy, FatImage.Options(), out var mounted));
            var v = mounted!;
            v.WriteFile("\\keep.txt", FatTestVolume.Pattern(3000, 2));
            v.WriteFile("\\fresh.bin", FatTestVolume.Pattern(1500, 3));
            Assert.Equal(NTSTATUS.STATUS_SUCCESS, v.Delete("\\doomed.bin"));
            copy.FailWritesAfter = allowed;
            var status = v.Flush();
            File.WriteAllBytes(image.Path, copy.Image);
            var (exitCode, output) = FatTools.TryRun("fsck.fat", "-n", image.Path);
            var problems = output.Split('\n').Where(l => l.Length > 0 && !l.StartsWith("fsck.fat ", StringComparison.Ordinal)
                && !l.Contains("files,", StringComparison.Ordinal) && !l.Contains("Leaving filesystem unchanged", StringComparison.Ordinal)
                && !l.Contains("Reclaimed", StringComparison.Ordinal) && !l.Contains("unused clusters", StringComparison.Ordinal)
                && !l.Contains("Dirty bit", StringComparison.Ordinal) && !l.Contains("not properly unmounted", StringComparison.Ordinal)
                && !l.Contains("Automatically removing dirty bit", StringComparison.Ordinal)
                && !l.Contains("Free cluster summary", StringComparison.Ordinal)

                // The FAT copies are written one after the other, so an interruption between them leaves them
                // different; the first (the one every reader uses) is consistent.
                && !l.Contains("FATs differ but appear to be intact", StringComparison.Ordinal)
                && !l.Contains("Using first FAT", StringComparison.Ordinal)).ToList();
            Assert.True(problems.Count == 0, $"After {allowed} writes fsck.fat (exit {exitCode}) found more than lost clusters:\n{output}");
            // FAT[1]'s clean-shutdown bit was cleared on disk before the epoch's first change and is set
            // again only as the flush's last write: a flush cut short early leaves the volume marked dirty.
            Assert.Equal(NTSTATUS.STATUS_SUCCESS, FatVolume.Mount(new MemoryBlockDevice(copy.Image), FatImage.Options(readOnly: true), out var after));
            if (status.IsSuccess() || allowed < 2)
            {
                Assert.Equal(!status.IsSuccess(), after!.WasDirtyAtMount);
            }
            if (status.IsSuccess())
            {
                Assert.Equal(0, exitCode);
                break;
            }
        }

        _ = device;
    }

    private static string ExtractOne(FatImage image, string name)
    {
        var target = Path.Combine(image.Scratch("one-" + Guid.NewGuid().ToString("N")), name);
        FatTools.Run("mcopy", "-n", "-i", image.Path, "::/" + name, target);
        return target;
    }
}
