using System.Buffers.Binary;
using SharpNT.Drivers.Fastfat;
using SharpNT.Kernel;

namespace SharpNT.Drivers.Tests.Fastfat;

public sealed class FatBootSectorTests
{
    [Theory]
    [InlineData(12, 1024)]
    [InlineData(16, 8 * 1024)]
    [InlineData(32, 40 * 1024)]
    public void Images_from_mkfs_parse_to_the_layout_fsck_reports(int bits, int sizeKiB)
    {
        using var image = FatImage.Create(bits, sizeKiB);
        var bytes = File.ReadAllBytes(image.Path);
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, FatBootSector.Parse(bytes.AsSpan(0, 512), 512, bytes.Length / 512, out var bootSector));
        Assert.Equal(bits, (int)bootSector!.Type);
        Assert.Equal(512, bootSector.BytesPerCluster);
        Assert.Equal(0x1234ABCDu, bootSector.SerialNumber);
        Assert.Equal("SHARPNT", bootSector.Label);
        var report = FatTools.Run("fsck.fat", "-n", "-v", image.Path);
        Assert.Contains($"{bootSector.ClusterCount} data clusters", report.Replace(",", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains($"Data area starts at byte {bootSector.FirstDataSector * 512}", report, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(4084u, 12)]
    [InlineData(4085u, 16)]
    [InlineData(65524u, 16)]
    [InlineData(65525u, 32)]
    public void The_type_follows_the_cluster_count_alone(uint clusters, int bits)
    {
        var expected = (FatType)bits;
        var fat32 = expected == FatType.Fat32;
        var fatBytes = fat32 ? (clusters + 2) * 4 : (clusters + 2) * 2;
        var fatSectors = (fatBytes + 511) / 512;
        var rootEntries = fat32 ? 0 : 512;
        var firstData = 1 + (2 * fatSectors) + (uint)(rootEntries * 32 / 512);
        var sector = MakeBootSector(512, 1, 1, 2, rootEntries, firstData + clusters, fat32 ? 0 : fatSectors, fat32 ? fatSectors : 0, 0xF8, 2);
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, FatBootSector.Parse(sector, 512, firstData + clusters, out var bootSector));
        Assert.Equal(expected, bootSector!.Type);
        Assert.Equal(clusters, bootSector.ClusterCount);
    }

    [Fact]
    public void Not_a_boot_sector_is_unrecognized()
    {
        Assert.Equal(NTSTATUS.STATUS_UNRECOGNIZED_VOLUME, FatBootSector.Parse(new byte[512], 512, 1000, out _));
        var valid = MakeBootSector(512, 1, 1, 2, 224, 2880, 9, 0, 0xF0, 0);
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, FatBootSector.Parse(valid, 512, 2880, out _));

        byte[][] broken =
        [
            Patch(valid, 510, 0x00),
            Patch(valid, 0, 0x00),
            Patch(valid, 13, 3),
            Patch(valid, 16, 0),
            Patch(valid, 21, 0x12),
            PatchWord(valid, 11, 1000),
            PatchWord(valid, 14, 0),
        ];
        foreach (var sector in broken)
        {
            Assert.Equal(NTSTATUS.STATUS_UNRECOGNIZED_VOLUME, FatBootSector.Parse(sector, 512, 2880, out _));
        }

        // A 1024-byte-sector volume is not for a 512-byte-sector device.
        Assert.Equal(NTSTATUS.STATUS_UNRECOGNIZED_VOLUME, FatBootSector.Parse(PatchWord(valid, 11, 1024), 512, 2880, out _));
    }

    [Fact]
    public void Inconsistent_layouts_are_corrupt()
    {
        var valid = MakeBootSector(512, 1, 1, 2, 224, 2880, 9, 0, 0xF0, 0);
        Assert.Equal(NTSTATUS.STATUS_FILE_CORRUPT_ERROR, FatBootSector.Parse(valid, 512, 2000, out _));
        Assert.Equal(NTSTATUS.STATUS_FILE_CORRUPT_ERROR, FatBootSector.Parse(PatchWord(valid, 22, 1), 512, 2880, out _));
        Assert.Equal(NTSTATUS.STATUS_FILE_CORRUPT_ERROR, FatBootSector.Parse(PatchWord(valid, 17, 0), 512, 2880, out _));
        Assert.Equal(NTSTATUS.STATUS_FILE_CORRUPT_ERROR, FatBootSector.Parse(PatchWord(valid, 19, 20), 512, 2880, out _));

        var fat32 = MakeBootSector(512, 1, 32, 2, 0, 32 + (2 * 600) + 70000, 0, 600, 0xF8, 2);
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, FatBootSector.Parse(fat32, 512, 80000, out _));
        Assert.Equal(NTSTATUS.STATUS_FILE_CORRUPT_ERROR, FatBootSector.Parse(PatchWord(fat32, 17, 16), 512, 80000, out _));
        Assert.Equal(NTSTATUS.STATUS_FILE_CORRUPT_ERROR, FatBootSector.Parse(PatchDword(fat32, 44, 0), 512, 80000, out _));
        Assert.Equal(NTSTATUS.STATUS_FILE_CORRUPT_ERROR, FatBootSector.Parse(PatchDword(fat32, 44, 1_000_000), 512, 80000, out _));
        Assert.Equal(NTSTATUS.STATUS_UNRECOGNIZED_VOLUME, FatBootSector.Parse(PatchWord(fat32, 42, 1), 512, 80000, out _));
    }

    [Fact]
    public void Bad_fat_chains_are_refused_at_mount_without_a_write()
    {
        using var image = FatImage.Create(16, 8 * 1024);
        var host = image.Scratch("host");
        File.WriteAllBytes(Path.Combine(host, "a.bin"), FatTestVolume.Pattern(2000, 1));
        File.WriteAllBytes(Path.Combine(host, "b.bin"), FatTestVolume.Pattern(2000, 2));
        FatTools.Run("mcopy", "-i", image.Path, Path.Combine(host, "a.bin"), Path.Combine(host, "b.bin"), "::/");
        var valid = File.ReadAllBytes(image.Path);
        FatBootSector.Parse(valid.AsSpan(0, 512), 512, valid.Length / 512, out var bootSector);
        var fat = bootSector!.ReservedSectors * 512;

        // a.bin is clusters 2..5 and b.bin 6..9 (mcopy allocates in order).
        var cases = new (string Name, int Cluster, ushort Value)[]
        {
            ("link past the last cluster", 3, (ushort)(bootSector.MaxCluster + 1)),
            ("link to the reserved value 1", 3, 1),
            ("cross-link into another chain", 3, 7),
            ("cycle", 5, 2),
            ("link to a free cluster", 5, 100),
            ("reserved value 0xFFF0", 4, 0xFFF0),
            ("media byte mismatch in FAT[0]", 0, 0xFFF0),
        };
        foreach (var (name, cluster, value) in cases)
        {
            var bytes = (byte[])valid.Clone();
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(fat + (cluster * 2)), value);
            var device = new MemoryBlockDevice(bytes);
            var status = FatVolume.Mount(device, FatImage.Options(), out _);
            Assert.True(status == NTSTATUS.STATUS_FILE_CORRUPT_ERROR, $"{name}: {status}");
            Assert.Equal(0, device.WriteCalls);
        }
    }

    private static byte[] MakeBootSector(int bytesPerSector, int sectorsPerCluster, int reserved, int fats, int rootEntries,
        long totalSectors, uint fatSize16, uint fatSize32, byte media, uint rootCluster)
    {
        var sector = new byte[512];
        sector[0] = 0xEB;
        sector[1] = 0x3C;
        sector[2] = 0x90;
        BinaryPrimitives.WriteUInt16LittleEndian(sector.AsSpan(11), (ushort)bytesPerSector);
        sector[13] = (byte)sectorsPerCluster;
        BinaryPrimitives.WriteUInt16LittleEndian(sector.AsSpan(14), (ushort)reserved);
        sector[16] = (byte)fats;
        BinaryPrimitives.WriteUInt16LittleEndian(sector.AsSpan(17), (ushort)rootEntries);
        if (totalSectors < 65536)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(sector.AsSpan(19), (ushort)totalSectors);
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(sector.AsSpan(32), (uint)totalSectors);
        }

        sector[21] = media;
        BinaryPrimitives.WriteUInt16LittleEndian(sector.AsSpan(22), (ushort)fatSize16);
        if (fatSize32 != 0)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(sector.AsSpan(36), fatSize32);
            BinaryPrimitives.WriteUInt32LittleEndian(sector.AsSpan(44), rootCluster);
            BinaryPrimitives.WriteUInt16LittleEndian(sector.AsSpan(48), 1);
            sector[66] = 0x29;
        }
        else
        {
            sector[38] = 0x29;
        }

        sector[510] = 0x55;
        sector[511] = 0xAA;
        return sector;
    }

    private static byte[] Patch(byte[] sector, int offset, byte value)
    {
        var copy = (byte[])sector.Clone();
        copy[offset] = value;
        return copy;
    }

    private static byte[] PatchWord(byte[] sector, int offset, ushort value)
    {
        var copy = (byte[])sector.Clone();
        BinaryPrimitives.WriteUInt16LittleEndian(copy.AsSpan(offset), value);
        return copy;
    }

    private static byte[] PatchDword(byte[] sector, int offset, uint value)
    {
        var copy = (byte[])sector.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(offset), value);
        return copy;
    }
}
