using FsCheck.Xunit;
using SharpNT.Drivers.Fastfat;
using SharpNT.Kernel;

namespace SharpNT.Drivers.Tests.Fastfat;

/// <summary>
/// A malformed or truncated image is refused at mount with STATUS_UNRECOGNIZED_VOLUME or
/// STATUS_FILE_CORRUPT_ERROR and never written; one that mounts answers every operation with a status. No
/// input makes the engine throw.
/// </summary>
public sealed class FatMountFuzzTests(FatFuzzImages images) : IClassFixture<FatFuzzImages>
{
    [Property(MaxTest = 150, Arbitrary = [typeof(FatCorruptionArbitrary)])]
    public void Corrupted_images_are_refused_unchanged_or_served_with_statuses_never_exceptions(FatCorruption corruption)
    {
        var bytes = Corrupt(images.Image(corruption.FatBits), corruption);
        var before = (byte[])bytes.Clone();
        var device = new MemoryBlockDevice(bytes);
        var status = FatVolume.Mount(device, FatImage.Options(), out var volume);
        if (!status.IsSuccess())
        {
            Assert.True(status is NTSTATUS.STATUS_UNRECOGNIZED_VOLUME or NTSTATUS.STATUS_FILE_CORRUPT_ERROR, $"Mount returned {status}");
            Assert.Equal(0, device.WriteCalls);
            Assert.Equal(before, bytes);
            return;
        }

        Exercise(volume!);
    }

    [Fact]
    public void Every_truncation_of_a_valid_image_is_refused_without_a_write()
    {
        foreach (var bits in new[] { 12, 16, 32 })
        {
            var image = images.Image(bits);

            // mkfs.fat may leave a tail of the image outside the file system: cut inside what the BPB covers.
            FatBootSector.Parse(image.AsSpan(0, 512), 512, image.Length / 512, out var bootSector);
            var volumeBytes = (int)(bootSector!.TotalSectors * 512);
            foreach (var length in new[] { 0, 511, 512, 1024, volumeBytes / 2, volumeBytes - 512, volumeBytes - 1 })
            {
                var bytes = image[..length];
                var device = new MemoryBlockDevice(bytes);
                var status = FatVolume.Mount(device, FatImage.Options(), out _);
                Assert.True(status is NTSTATUS.STATUS_UNRECOGNIZED_VOLUME or NTSTATUS.STATUS_FILE_CORRUPT_ERROR,
                    $"FAT{bits} truncated to {length}: {status}");
                Assert.Equal(length < 512 ? NTSTATUS.STATUS_UNRECOGNIZED_VOLUME : NTSTATUS.STATUS_FILE_CORRUPT_ERROR, status);
                Assert.Equal(0, device.WriteCalls);
                Assert.Equal(image[..length], bytes);
            }
        }
    }

    private static byte[] Corrupt(byte[] image, FatCorruption corruption)
    {
        if (corruption.Target == FatCorruptionTarget.Truncate)
        {
            return image[..(int)((long)image.Length * corruption.Fraction / 1000)];
        }

        var bytes = (byte[])image.Clone();
        FatBootSector.Parse(bytes.AsSpan(0, 512), 512, bytes.Length / 512, out var bootSector);
        var (start, length) = corruption.Target switch
        {
            FatCorruptionTarget.BootSector => (0, 512),
            FatCorruptionTarget.Fat => (bootSector!.ReservedSectors * 512, 4096),
            FatCorruptionTarget.Directories => ((int)bootSector!.FirstRootDirectorySector * 512, 2048),
            FatCorruptionTarget.DataStart => ((int)bootSector!.FirstDataSector * 512, 8192),
            _ => (0, 256 * 1024),
        };
        foreach (var (offset, value) in corruption.Writes)
        {
            bytes[start + (offset % length)] = value;
        }

        return bytes;
    }

    /// <summary>Walks, reads and changes what the volume shows; any status is fine, an exception is not.</summary>
    private static void Exercise(FatVolume volume)
    {
        var buffer = new byte[64 * 1024];
        var pending = new Stack<(string Path, int Depth)>();
        pending.Push(("\\", 0));
        var visited = 0;
        while (pending.Count > 0 && visited < 300)
        {
            var (path, depth) = pending.Pop();
            var entries = new List<FatDirectoryEntryInfo>();
            if (!volume.QueryDirectory(path, "*", entries).IsSuccess())
            {
                continue;
            }

            foreach (var entry in entries.Where(e => e.FileName is not "." and not ".."))
            {
                visited++;
                var child = (path == "\\" ? "\\" : path + "\\") + entry.FileName;
                if ((entry.FileAttributes & (uint)FatAttributes.Directory) != 0)
                {
                    if (depth < 6)
                    {
                        pending.Push((child, depth + 1));
                    }

                    continue;
                }

                if (volume.Open(child, out var fcb).IsSuccess())
                {
                    for (long offset = 0; volume.Read(fcb!, offset, buffer, out var read).IsSuccess() && read > 0 && offset < 1 << 20;)
                    {
                        offset += read;
                    }

                    volume.Close(fcb!);
                }
            }
        }

        if (volume.Create(null, "\\fuzz new file.txt", FatCreateDisposition.FILE_OPEN_IF, FatCreateOptions.None, FatAttributes.None,
            out var created, out _).IsSuccess())
        {
            volume.Write(created!, 0, FatTestVolume.Pattern(5000, 3), out _);
            volume.SetEndOfFile(created!, 700);
            volume.Rename(created!, "\\Some Directory\\renamed.txt", true);
            volume.Delete(created!);
            volume.Close(created!);
        }

        if (volume.CreateDirectory("\\fuzz dir", out var directory).IsSuccess())
        {
            volume.Close(directory!);
        }

        volume.Delete("\\short.txt");
        volume.Delete("\\Some Directory\\inner\\deep file.bin");
        volume.Delete("\\Some Directory\\inner");
        volume.QueryVolumeInformation(out _);
        volume.Flush();
        volume.Dismount();
    }
}
