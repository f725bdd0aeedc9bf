namespace SharpNT.Kernel.Io.Layout;

/// <summary>DISK_GEOMETRY on x64 (ntdddisk.h): what IOCTL_DISK_GET_DRIVE_GEOMETRY returns.</summary>
public static class DiskGeometryLayout
{
    public const int Size = 0x18;
    public const int Cylinders = 0x00;
    public const int MediaType = 0x08;
    public const int TracksPerCylinder = 0x0C;
    public const int SectorsPerTrack = 0x10;
    public const int BytesPerSector = 0x14;
}
