namespace SharpNT.Kernel.Io;

/// <summary>
/// DEVICE_OBJECT.AlignmentRequirement values (wdm.h): a mask, the required buffer alignment minus one,
/// that the I/O manager and file systems honour for transfers to the device.
/// </summary>
public static class FILE_ALIGNMENT
{
    public const uint FILE_BYTE_ALIGNMENT = 0x00000000;
    public const uint FILE_WORD_ALIGNMENT = 0x00000001;
    public const uint FILE_LONG_ALIGNMENT = 0x00000003;
    public const uint FILE_QUAD_ALIGNMENT = 0x00000007;
    public const uint FILE_OCTA_ALIGNMENT = 0x0000000F;
    public const uint FILE_32_BYTE_ALIGNMENT = 0x0000001F;
    public const uint FILE_64_BYTE_ALIGNMENT = 0x0000003F;
    public const uint FILE_128_BYTE_ALIGNMENT = 0x0000007F;
    public const uint FILE_256_BYTE_ALIGNMENT = 0x000000FF;
    public const uint FILE_512_BYTE_ALIGNMENT = 0x000001FF;
}
