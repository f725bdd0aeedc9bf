using SharpNT.Drivers.Fastfat;
using SharpNT.Kernel;

namespace SharpNT.Drivers.Tests.Fastfat;

/// <summary>Short forms of engine calls for tests: each asserts success and closes what it opened.</summary>
internal static class FatTestVolume
{
    public static void WriteFile(this FatVolume volume, string path, byte[] contents)
    {
        var status = volume.Create(null, path, FatCreateDisposition.FILE_OVERWRITE_IF, FatCreateOptions.FILE_NON_DIRECTORY_FILE,
            FatAttributes.None, out var fcb, out _);
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, status);
        if (contents.Length != 0)
        {
            Assert.Equal(NTSTATUS.STATUS_SUCCESS, volume.Write(fcb!, 0, contents, out var written));
            Assert.Equal(contents.Length, written);
        }

        volume.Close(fcb!);
    }

    public static byte[] ReadFile(this FatVolume volume, string path)
    {
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, volume.Open(path, out var fcb));
        var buffer = new byte[fcb!.FileSize];
        var done = 0;
        while (done < buffer.Length)
        {
            Assert.Equal(NTSTATUS.STATUS_SUCCESS, volume.Read(fcb, done, buffer.AsSpan(done), out var read));
            Assert.True(read > 0);
            done += read;
        }

        volume.Close(fcb);
        return buffer;
    }

    public static void MakeDirectory(this FatVolume volume, string path)
    {
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, volume.CreateDirectory(path, out var fcb));
        volume.Close(fcb!);
    }

    public static List<FatDirectoryEntryInfo> List(this FatVolume volume, string path, string? pattern = null)
    {
        var entries = new List<FatDirectoryEntryInfo>();
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, volume.QueryDirectory(path, pattern, entries));
        return entries;
    }

    public static byte[] Pattern(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
