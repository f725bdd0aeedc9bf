namespace SharpNT.Kernel.Io.Layout;

/// <summary>GET_LENGTH_INFORMATION on x64 (ntdddisk.h): what IOCTL_DISK_GET_LENGTH_INFO returns.</summary>
public static class GetLengthInformationLayout
{
    public const int Size = 0x08;
    public const int Length = 0x00;
}
