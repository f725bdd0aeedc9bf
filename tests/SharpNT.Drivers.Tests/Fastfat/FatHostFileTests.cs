using SharpNT.Drivers.Fastfat;
using SharpNT.Kernel;

namespace SharpNT.Drivers.Tests.Fastfat;

/// <summary>The engine on a host image file through <see cref="HostFileBlockDevice"/>, including 4 KiB sectors.</summary>
public sealed class FatHostFileTests
{
    [Theory]
    [InlineData(12, 512)]
    [InlineData(16, 512)]
    [InlineData(12, 4096)]
    [InlineData(16, 4096)]
    public void An_image_file_is_read_and_written_in_place(int fatBits, int sectorSize)
    {
        using var image = FatImage.Create(fatBits, fatBits == 12 ? 2048 : 16 * 1024, sectorSize: sectorSize);
        var host = image.Scratch("host");
        File.WriteAllBytes(Path.Combine(host, "From mtools.bin"), FatTestVolume.Pattern(20_000, 1));
        FatTools.Run("mcopy", "-i", image.Path, Path.Combine(host, "From mtools.bin"), "::/");

        Assert.Equal(NTSTATUS.STATUS_SUCCESS, HostFileBlockDevice.Open(image.Path, readOnly: false, sectorSize, out var device));
        using (device)
        {
            Assert.Equal(NTSTATUS.STATUS_SUCCESS, FatVolume.Mount(device!, FatImage.Options(), out var volume));
            Assert.Equal(sectorSize, volume!.BootSector.BytesPerSector);
            Assert.Equal(FatTestVolume.Pattern(20_000, 1), volume.ReadFile("\\From mtools.bin"));
            volume.MakeDirectory("\\Written here");
            volume.WriteFile("\\Written here\\by the engine.bin", FatTestVolume.Pattern(30_000, 2));
            Assert.Equal(NTSTATUS.STATUS_SUCCESS, volume.Dismount());
        }

        FatTools.AssertClean(image.Path);
        var target = Path.Combine(image.Scratch("out"), "copy.bin");
        FatTools.Run("mcopy", "-n", "-i", image.Path, "::/Written here/by the engine.bin", target);
        Assert.Equal(FatTestVolume.Pattern(30_000, 2), File.ReadAllBytes(target));
    }

    [Fact]
    public void A_missing_image_file_is_a_status()
    {
        Assert.Equal(NTSTATUS.STATUS_NO_SUCH_FILE, HostFileBlockDevice.Open("/nonexistent/volume.img", readOnly: true, 512, out var device));
        Assert.Null(device);
    }

    [Fact]
    public void A_device_with_another_sector_size_does_not_recognize_the_volume()
    {
        using var image = FatImage.Create(16, 8 * 1024);
        var device = new MemoryBlockDevice(File.ReadAllBytes(image.Path), sectorSize: 4096);
        Assert.Equal(NTSTATUS.STATUS_UNRECOGNIZED_VOLUME, FatVolume.Mount(device, FatImage.Options(), out _));
    }
}
