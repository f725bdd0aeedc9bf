namespace SharpNT.Drivers.Fastfat;

/// <summary>A run of consecutive clusters: <see cref="Length"/> clusters starting at <see cref="StartCluster"/>.</summary>
internal readonly record struct FatRun(uint StartCluster, uint Length)
{
    public uint EndCluster => StartCluster + Length - 1;
}
