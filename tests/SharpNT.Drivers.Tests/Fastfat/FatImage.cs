using SharpNT.Drivers.Fastfat;
using SharpNT.Kernel;

namespace SharpNT.Drivers.Tests.Fastfat;

/// <summary>A scratch directory holding a FAT image made by mkfs.fat, deleted on dispose.</summary>
internal sealed class FatImage : IDisposable
{
    /// <summary>A fixed clock for mounts: 2024-03-15 13:37:42.35 UTC.</summary>
    public static readonly long FixedTime = new DateTime(2024, 3, 15, 13, 37, 42, 350, DateTimeKind.Utc).ToFileTimeUtc();

    private FatImage(string directory, string path)
    {
        Directory = directory;
        Path = path;
    }

    public string Directory { get; }

    /// <summary>The image file.</summary>
    public string Path { get; }

    /// <summary>
    /// Formats a new image with mkfs.fat: <paramref name="fatBits"/> 12, 16 or 32, <paramref name="sectorSize"/>-byte sectors,
    /// <paramref name="sectorsPerCluster"/> sectors per cluster (1: 512-byte clusters), a fixed serial.
    /// </summary>
    public static FatImage Create(int fatBits, int sizeKiB, string label = "SHARPNT", int sectorsPerCluster = 1, int rootEntries = 0,
        int sectorSize = 512)
    {
        var directory = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "sharpnt-fat-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        var image = new FatImage(directory, System.IO.Path.Combine(directory, "volume.img"));
        var arguments = new List<string>
        {
            "-C", "-F", fatBits.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-S", sectorSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-s", sectorsPerCluster.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-n", label, "-i", "1234ABCD", "--invariant",
        };
        if (rootEntries != 0)
        {
            arguments.AddRange(["-r", rootEntries.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        }

        arguments.AddRange([image.Path, sizeKiB.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        try
        {
            FatTools.Run("mkfs.fat", [.. arguments]);
        }
        catch
        {
            image.Dispose();
            throw;
        }

        return image;
    }

    /// <summary>The usual test image of each type: FAT12 1 MiB, FAT16 8 MiB, FAT32 40 MiB, all with 512-byte clusters.</summary>
    public static FatImage CreateSmall(int fatBits) => fatBits switch
    {
        12 => Create(12, 1024),
        16 => Create(16, 8 * 1024),
        _ => Create(32, 40 * 1024),
    };

    public static FatMountOptions Options(bool readOnly = false) => new() { SystemTime = () => FixedTime, ReadOnly = readOnly };

    /// <summary>Options with a cache of a few blocks, so eviction and mid-operation flushes happen all the time.</summary>
    public static FatMountOptions TinyCacheOptions() => Options() with
    {
        CacheBytes = 32 * 1024,
        ReadAheadBytes = 8 * 1024,
        DirtyFlushThreshold = 8 * 1024,
    };

    /// <summary>Loads the image into a memory device.</summary>
    public MemoryBlockDevice LoadDevice() => new(File.ReadAllBytes(Path));

    /// <summary>Mounts the image from memory; fails the test when the mount fails.</summary>
    public (MemoryBlockDevice Device, FatVolume Volume) Mount(bool readOnly = false, FatMountOptions? options = null)
    {
        var device = LoadDevice();
        var status = FatVolume.Mount(device, options ?? Options(readOnly), out var volume);
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, status);
        return (device, volume!);
    }

    /// <summary>Dismounts (flushing) and writes the memory device back to the image file.</summary>
    public void Save(MemoryBlockDevice device, FatVolume volume)
    {
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, volume.Dismount());
        File.WriteAllBytes(Path, device.Image);
    }

    /// <summary>A fresh scratch path inside the image's directory.</summary>
    public string Scratch(string name)
    {
        var path = System.IO.Path.Combine(Directory, name);
        System.IO.Directory.CreateDirectory(path);
        return path;
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
