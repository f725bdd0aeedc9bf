namespace SharpNT.Drivers.Tests.Fastfat;

/// <summary>Which part of a valid image a corruption hits.</summary>
public enum FatCorruptionTarget
{
    Truncate,
    BootSector,
    Fat,
    Directories,
    DataStart,
    Anywhere,
}
