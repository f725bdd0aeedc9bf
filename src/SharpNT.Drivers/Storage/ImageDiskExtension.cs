using Microsoft.Win32.SafeHandles;

namespace SharpNT.Drivers.Storage;

/// <summary>The device extension of one image-backed volume: the host file and its size in sectors.</summary>
internal sealed class ImageDiskExtension
{
    public required SafeFileHandle Image { get; init; }

    public required string Path { get; init; }

    public required long SectorCount { get; init; }

    public required bool ReadOnly { get; init; }

    public int BytesPerSector => ImageDiskDriver.BytesPerSector;

    public long Length => SectorCount * BytesPerSector;
}
