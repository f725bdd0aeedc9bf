using SharpNT.Drivers.Fastfat;
using SharpNT.Kernel;

namespace SharpNT.Drivers.Tests.Fastfat;

/// <summary>Images made by mkfs.fat and filled by mcopy are read exactly: contents, long names, directories.</summary>
public sealed class FatReadInteropTests
{
    [Theory]
    [InlineData(12)]
    [InlineData(16)]
    [InlineData(32)]
    public void Files_copied_by_mcopy_read_back_byte_identical_with_their_long_names(int fatBits)
    {
        using var image = FatImage.CreateSmall(fatBits);
        var host = image.Scratch("host");
        HostTree.Populate(host);
        foreach (var entry in Directory.EnumerateFileSystemEntries(host))
        {
            FatTools.Run("mcopy", "-s", "-i", image.Path, entry, "::/");
        }

        var before = File.ReadAllBytes(image.Path);
        var (device, volume) = image.Mount(readOnly: true);
        Assert.Equal(fatBits, (int)volume.BootSector.Type);
        var (files, directories) = HostTree.Scan(host);
        foreach (var file in files)
        {
            var expected = File.ReadAllBytes(Path.Combine(host, file));
            Assert.Equal(expected, volume.ReadFile(HostTree.ToNtPath(file)));
        }

        foreach (var directory in directories.Append(string.Empty))
        {
            var expectedNames = Directory.EnumerateFileSystemEntries(Path.Combine(host, directory)).Select(Path.GetFileName).Order(StringComparer.Ordinal);
            var listed = volume.List(directory.Length == 0 ? "\\" : HostTree.ToNtPath(directory))
                .Select(e => e.FileName).Where(n => n is not "." and not "..").Order(StringComparer.Ordinal);
            Assert.Equal(expectedNames, listed);
        }

        Assert.Equal(NTSTATUS.STATUS_SUCCESS, volume.Dismount());
        Assert.Equal(before, device.Image);
    }

    [Theory]
    [InlineData(12)]
    [InlineData(16)]
    [InlineData(32)]
    public void Lookup_is_case_insensitive_and_finds_long_and_short_names(int fatBits)
    {
        using var image = FatImage.CreateSmall(fatBits);
        var host = image.Scratch("host");
        File.WriteAllText(Path.Combine(host, "A long file name with spaces.txt"), "content");
        FatTools.Run("mcopy", "-i", image.Path, Path.Combine(host, "A long file name with spaces.txt"), "::/");
        var (_, volume) = image.Mount(readOnly: true);

        var entry = Assert.Single(volume.List("\\"));
        Assert.Equal("A long file name with spaces.txt", entry.FileName);
        Assert.Equal("ALONGF~1.TXT", entry.ShortName);
        Assert.Equal(7, entry.EndOfFile);
        Assert.Equal(512, entry.AllocationSize);
        foreach (var name in new[] { "\\a LONG file NAME with spaces.TXT", "\\ALONGF~1.TXT", "\\alongf~1.txt" })
        {
            Assert.Equal(NTSTATUS.STATUS_SUCCESS, volume.Open(name, out var fcb));
            Assert.Equal("A long file name with spaces.txt", fcb!.Name);
            volume.Close(fcb);
        }
    }

    [Fact]
    public void Short_names_with_nt_lowercase_flags_show_their_case()
    {
        using var image = FatImage.CreateSmall(16);
        var host = image.Scratch("host");
        File.WriteAllText(Path.Combine(host, "lower.txt"), "a");
        File.WriteAllText(Path.Combine(host, "UPPER.TXT"), "b");
        File.WriteAllText(Path.Combine(host, "Mixed.txt"), "c");
        FatTools.Run("mcopy", "-i", image.Path, Path.Combine(host, "lower.txt"), Path.Combine(host, "UPPER.TXT"), Path.Combine(host, "Mixed.txt"), "::/");
        var (_, volume) = image.Mount(readOnly: true);

        var names = volume.List("\\").Select(e => (e.FileName, e.ShortName)).OrderBy(e => e.FileName, StringComparer.Ordinal).ToList();
        Assert.Equal([("Mixed.txt", "MIXED.TXT"), ("UPPER.TXT", "UPPER.TXT"), ("lower.txt", "LOWER.TXT")], names);
    }

    [Fact]
    public void Volume_information_reports_label_serial_and_free_space()
    {
        using var image = FatImage.Create(16, 8 * 1024, label: "MYDISK");
        var (_, volume) = image.Mount(readOnly: true);

        Assert.Equal(NTSTATUS.STATUS_SUCCESS, volume.QueryVolumeInformation(out var info));
        Assert.Equal("MYDISK", info!.VolumeLabel);
        Assert.Equal(0x1234ABCDu, info.VolumeSerialNumber);
        Assert.Equal(FatType.Fat16, info.Type);
        Assert.Equal(512, info.BytesPerSector);
        Assert.Equal(1, info.SectorsPerCluster);
        Assert.Equal(info.TotalClusters, info.FreeClusters);
        var fsck = FatTools.Run("fsck.fat", "-n", "-v", image.Path);
        Assert.Contains($"{info.TotalClusters} data clusters", fsck.Replace(",", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
    }
}
