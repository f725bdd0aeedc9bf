namespace SharpNT.Kernel.Io.Layout;

/// <summary>FILE_FS_SIZE_INFORMATION on x64 (ntifs.h): FileFsSizeInformation (3).</summary>
public static class FileFsSizeInformationLayout
{
    public const int Size = 0x18;
    public const int TotalAllocationUnits = 0x00;
    public const int AvailableAllocationUnits = 0x08;
    public const int SectorsPerAllocationUnit = 0x10;
    public const int BytesPerSector = 0x14;
}
