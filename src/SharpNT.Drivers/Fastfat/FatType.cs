namespace SharpNT.Drivers.Fastfat;

/// <summary>The FAT variant, decided by the count of data clusters alone (fatgen103, "FAT Type Determination").</summary>
internal enum FatType
{
    Fat12 = 12,
    Fat16 = 16,
    Fat32 = 32,
}
