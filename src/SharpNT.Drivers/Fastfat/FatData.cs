namespace SharpNT.Drivers.Fastfat;

/// <summary>The file system's global data (fastfat's FatData): the extension of its control device, listing the mounted volumes.</summary>
internal sealed class FatData
{
    public List<FatVcb> Volumes { get; } = [];
}
