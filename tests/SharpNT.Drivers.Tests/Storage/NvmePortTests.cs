using SharpNT.Kernel;
using static SharpNT.Kernel.NTSTATUS;

namespace SharpNT.Drivers.Tests.Storage;

/// <summary>Sectors read and written through IRPs sent from kernel code, compared with the image file's bytes.</summary>
public sealed class NvmePortTests
{
    [Fact]
    public void Sector_zero_of_the_whole_disk_is_the_image_files_first_sector()
    {
        using var images = new DiskImages();
        var image = images.Patterned("a.raw", 2048, 0x11);
        using var machine = StorageMachine.Boot([image]);
        var (status, data) = machine.Run(() => StorageMachine.Read(StorageMachine.Open(@"\Device\Harddisk0\Partition0"), 0, 512));
        Assert.Equal(STATUS_SUCCESS, status);
        Assert.Equal(File.ReadAllBytes(image).AsSpan(0, 512).ToArray(), data);
    }
}
