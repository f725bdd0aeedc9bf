using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using SharpNT.Drivers.Storage;
using SharpNT.Kernel;
using static SharpNT.Kernel.NTSTATUS;

namespace SharpNT.Drivers.Tests.Storage;

/// <summary>Partition discovery on MBR and GPT images made by the real tools (sfdisk, parted, mkfs.fat).</summary>
public sealed class PartitionTests
{
    private sealed record ToolPartition(long Start, long Size, string Type, string? Uuid, string? Name, bool Bootable);

    /// <summary>The partitions as sfdisk --json reports them, in table order.</summary>
    private static (string Label, List<ToolPartition> Partitions) Describe(string image) => Describe(image, out _);

    private static (string Label, List<ToolPartition> Partitions) Describe(string image, out string? diskId)
    {
        using var json = JsonDocument.Parse(DiskImages.Tool("sfdisk", null, "--json", image));
        var table = json.RootElement.GetProperty("partitiontable");
        diskId = table.TryGetProperty("id", out var id) ? id.GetString() : null;
        var list = new List<ToolPartition>();
        foreach (var p in table.GetProperty("partitions").EnumerateArray())
        {
            list.Add(new ToolPartition(
                p.GetProperty("start").GetInt64(),
                p.GetProperty("size").GetInt64(),
                p.GetProperty("type").GetString()!,
                p.TryGetProperty("uuid", out var uuid) ? uuid.GetString() : null,
                p.TryGetProperty("name", out var name) ? name.GetString() : null,
                p.TryGetProperty("bootable", out var boot) && boot.GetBoolean()));
        }

        return (table.GetProperty("label").GetString()!, list);
    }

    private static (NTSTATUS Status, byte[] Info) PartitionInfoEx(string device) =>
        StorageMachine.Ioctl(StorageMachine.Open(device), StorageIoctl.IOCTL_DISK_GET_PARTITION_INFO_EX, [], 144);

    [Fact]
    public void An_MBR_disk_made_by_sfdisk_gives_primary_then_logical_partitions_as_NT_numbers_them()
    {
        using var images = new DiskImages();
        var image = images.Zeroed("mbr.raw", 64L * 1024 * 1024);
        DiskImages.Tool("sfdisk", "label: dos\n,10MiB,c,*\n,5MiB,83\n,,5\n,4MiB,7\n,4MiB,b\n", "--no-reread", "--no-tell-kernel", image);
        var (label, tool) = Describe(image);
        Assert.Equal("dos", label);

        // NT numbers the partitions that hold data, primaries first, then the logical drives; the extended
        // container gets no number.
        var expected = tool.Where(p => p.Type is not ("5" or "f")).ToList();
        Assert.Equal(4, expected.Count);

        using var machine = StorageMachine.Boot([image], memoryMiB: 64);
        var infos = machine.Run(() => expected.Select((_, i) => PartitionInfoEx($@"\Device\Harddisk0\Partition{i + 1}")).ToList());
        for (var i = 0; i < expected.Count; i++)
        {
            var (status, info) = infos[i];
            Assert.Equal(STATUS_SUCCESS, status);
            Assert.Equal(StorageIoctl.PARTITION_STYLE_MBR, BinaryPrimitives.ReadInt32LittleEndian(info));
            Assert.Equal(expected[i].Start * 512, BinaryPrimitives.ReadInt64LittleEndian(info.AsSpan(8)));
            Assert.Equal(expected[i].Size * 512, BinaryPrimitives.ReadInt64LittleEndian(info.AsSpan(16)));
            Assert.Equal((uint)(i + 1), BinaryPrimitives.ReadUInt32LittleEndian(info.AsSpan(24)));
            Assert.Equal(Convert.ToByte(expected[i].Type, 16), info[32]);
            Assert.Equal(expected[i].Bootable ? 1 : 0, info[33]);
            Assert.Equal((uint)expected[i].Start, BinaryPrimitives.ReadUInt32LittleEndian(info.AsSpan(36)));
        }
    }

    [Fact]
    public void A_FAT_volume_made_by_mkfs_fat_inside_an_MBR_partition_reads_through_HarddiskVolume1()
    {
        using var images = new DiskImages();
        var image = images.Zeroed("fat.raw", 32L * 1024 * 1024);
        DiskImages.Tool("sfdisk", "label: dos\nstart=2048,size=40960,type=e\n", "--no-reread", "--no-tell-kernel", image);
        DiskImages.Tool("mkfs.fat", null, "-F", "16", "-n", "SHARPNT", "--offset", "2048", image, "20480");
        using var machine = StorageMachine.Boot([image]);
        var (viaVolume, viaLink) = machine.Run(() => (
            StorageMachine.Read(StorageMachine.Open(@"\Device\HarddiskVolume1"), 0, 4096),
            StorageMachine.Read(StorageMachine.Open(@"\Device\Harddisk0\Partition1"), 0, 512)));
        Assert.Equal(STATUS_SUCCESS, viaVolume.Status);
        var file = File.ReadAllBytes(image);
        Assert.Equal(file.AsSpan(2048 * 512, 4096).ToArray(), viaVolume.Data);
        Assert.Equal(viaVolume.Data.AsSpan(0, 512).ToArray(), viaLink.Data);
        Assert.Equal("SHARPNT", Encoding.ASCII.GetString(viaVolume.Data, 43, 11).Trim());
        Assert.Equal("FAT16", Encoding.ASCII.GetString(viaVolume.Data, 54, 8).Trim());
    }

    [Fact]
    public void A_GPT_disk_made_by_parted_gives_each_partition_with_its_type_id_and_name()
    {
        using var images = new DiskImages();
        var image = images.Zeroed("gpt.raw", 64L * 1024 * 1024);
        DiskImages.Tool("parted", null, "-s", image, "mklabel", "gpt", "mkpart", "boot", "fat32", "1MiB", "17MiB",
            "mkpart", "data", "17MiB", "40MiB", "mkpart", "more", "40MiB", "63MiB");
        var (label, tool) = Describe(image, out var diskId);
        Assert.Equal("gpt", label);
        Assert.Equal(3, tool.Count);

        using var machine = StorageMachine.Boot([image], memoryMiB: 64);
        var geometry = machine.Run(() => StorageMachine.Ioctl(StorageMachine.Open(@"\Device\Harddisk0\DR0"),
            StorageIoctl.IOCTL_DISK_GET_DRIVE_GEOMETRY_EX, [], 112).Output);
        Assert.Equal(StorageIoctl.PARTITION_STYLE_GPT, BinaryPrimitives.ReadInt32LittleEndian(geometry.AsSpan(36)));
        Assert.Equal(Guid.Parse(diskId!), new Guid(geometry.AsSpan(40, 16)));
        var (infos, oldStyle, lengths) = machine.Run(() => (
            tool.Select((_, i) => PartitionInfoEx($@"\Device\Harddisk0\Partition{i + 1}")).ToList(),
            StorageMachine.Ioctl(StorageMachine.Open(@"\Device\HarddiskVolume2"), StorageIoctl.IOCTL_DISK_GET_PARTITION_INFO, [], 32).Status,
            tool.Select((_, i) => StorageMachine.Ioctl(StorageMachine.Open($@"\Device\HarddiskVolume{i + 1}"),
                StorageIoctl.IOCTL_DISK_GET_LENGTH_INFO, [], 8).Output).ToList()));

        for (var i = 0; i < tool.Count; i++)
        {
            var (status, info) = infos[i];
            Assert.Equal(STATUS_SUCCESS, status);
            Assert.Equal(StorageIoctl.PARTITION_STYLE_GPT, BinaryPrimitives.ReadInt32LittleEndian(info));
            Assert.Equal(tool[i].Start * 512, BinaryPrimitives.ReadInt64LittleEndian(info.AsSpan(8)));
            Assert.Equal(tool[i].Size * 512, BinaryPrimitives.ReadInt64LittleEndian(info.AsSpan(16)));
            Assert.Equal((uint)(i + 1), BinaryPrimitives.ReadUInt32LittleEndian(info.AsSpan(24)));
            Assert.Equal(Guid.Parse(tool[i].Type), new Guid(info.AsSpan(32, 16)));
            Assert.Equal(Guid.Parse(tool[i].Uuid!), new Guid(info.AsSpan(48, 16)));
            Assert.Equal(tool[i].Name, Encoding.Unicode.GetString(info, 72, 72).TrimEnd('\0'));
            Assert.Equal(tool[i].Size * 512, BinaryPrimitives.ReadInt64LittleEndian(lengths[i]));
        }

        // IOCTL_DISK_GET_PARTITION_INFO describes MBR partitions only.
        Assert.Equal(STATUS_INVALID_DEVICE_REQUEST, oldStyle);
    }

    [Fact]
    public void A_GPT_disk_whose_primary_header_is_damaged_is_read_from_the_backup_header()
    {
        using var images = new DiskImages();
        var image = images.Zeroed("gpt2.raw", 16L * 1024 * 1024);
        DiskImages.Tool("parted", null, "-s", image, "mklabel", "gpt", "mkpart", "only", "1MiB", "15MiB");
        var (_, tool) = Describe(image);
        using (var f = File.OpenWrite(image))
        {
            // FirstUsableLBA of the primary header zeroed: its CRC no longer holds.
            f.Position = 512 + 40;
            f.Write(new byte[8]);
        }

        using var machine = StorageMachine.Boot([image]);
        var (status, info) = machine.Run(() => PartitionInfoEx(@"\Device\Harddisk0\Partition1"));
        Assert.Equal(STATUS_SUCCESS, status);
        Assert.Equal(tool[0].Start * 512, BinaryPrimitives.ReadInt64LittleEndian(info.AsSpan(8)));
    }

    [Fact]
    public void A_disk_with_no_partition_table_has_only_Partition0()
    {
        using var images = new DiskImages();
        var image = images.Zeroed("raw.raw", 4L * 1024 * 1024);
        using var machine = StorageMachine.Boot([image]);
        var (whole, first) = machine.Run(() =>
        {
            var info = PartitionInfoEx(@"\Device\Harddisk0\Partition0");
            var status = SharpNT.Kernel.Ddi.Wdm.IoGetDeviceObjectPointer(new UNICODE_STRING(@"\Device\Harddisk0\Partition1"),
                SharpNT.Kernel.Ddi.Wdm.FILE_READ_DATA, out _, out _);
            return (info, status);
        });
        Assert.Equal(STATUS_SUCCESS, whole.Status);
        Assert.Equal(StorageIoctl.PARTITION_STYLE_RAW, BinaryPrimitives.ReadInt32LittleEndian(whole.Info));
        Assert.Equal(4L * 1024 * 1024, BinaryPrimitives.ReadInt64LittleEndian(whole.Info.AsSpan(16)));
        Assert.Equal(STATUS_OBJECT_NAME_NOT_FOUND, first);
    }
}
