namespace SharpNT.Kernel.Io.Layout;

/// <summary>FILE_FS_VOLUME_INFORMATION on x64 (ntifs.h): FileFsVolumeInformation (1).</summary>
public static class FileFsVolumeInformationLayout
{
    public const int Size = 0x18;
    public const int VolumeCreationTime = 0x00;
    public const int VolumeSerialNumber = 0x08;
    public const int VolumeLabelLength = 0x0C;
    public const int SupportsObjects = 0x10;
    public const int VolumeLabel = 0x12;
}
