namespace SharpNT.Drivers.Fastfat;

/// <summary>DIR_Attr bits; the low six equal the FILE_ATTRIBUTE_* values NT reports for them.</summary>
[Flags]
internal enum FatAttributes : byte
{
    None = 0,
    ReadOnly = 0x01,
    Hidden = 0x02,
    System = 0x04,
    VolumeId = 0x08,
    Directory = 0x10,
    Archive = 0x20,

    /// <summary>READ_ONLY | HIDDEN | SYSTEM | VOLUME_ID marks a long-name entry (fatgen103).</summary>
    LongName = 0x0F,
}
