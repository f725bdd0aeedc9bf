namespace SharpNT.Kernel.Io.Layout;

/// <summary>
/// VPB (volume parameter block) on x64 (wdm.h): ties a storage device object (RealDevice) to the file
/// system's volume device object (DeviceObject) once a volume is mounted. Flags take VPB_FLAGS values.
/// </summary>
internal static class VpbLayout
{
    internal const int Size = 0x60;

    internal const int Type = 0x00;

    /// <summary>Offset of the member named Size; the block's own size is <see cref="Size"/>.</summary>
    internal const int SizeField = 0x02;
    internal const int Flags = 0x04;
    internal const int VolumeLabelLength = 0x06;
    internal const int DeviceObject = 0x08;
    internal const int RealDevice = 0x10;
    internal const int SerialNumber = 0x18;
    internal const int ReferenceCount = 0x1C;
    internal const int VolumeLabel = 0x20;

    /// <summary>wdm.h MAXIMUM_VOLUME_LABEL_LENGTH: bytes in VolumeLabel (32 WCHARs).</summary>
    internal const int MAXIMUM_VOLUME_LABEL_LENGTH = 0x40;
}
