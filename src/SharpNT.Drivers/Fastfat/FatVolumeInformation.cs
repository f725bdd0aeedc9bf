namespace SharpNT.Drivers.Fastfat;

/// <summary>What FileFsVolumeInformation and FileFsSizeInformation report for a FAT volume.</summary>
internal sealed record FatVolumeInformation(
    string VolumeLabel,
    uint VolumeSerialNumber,
    FatType Type,
    int BytesPerSector,
    int SectorsPerCluster,
    long TotalClusters,
    long FreeClusters);
