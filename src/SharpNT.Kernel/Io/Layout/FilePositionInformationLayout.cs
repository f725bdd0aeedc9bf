namespace SharpNT.Kernel.Io.Layout;

/// <summary>FILE_POSITION_INFORMATION on x64 (ntifs.h): FilePositionInformation (14).</summary>
public static class FilePositionInformationLayout
{
    public const int Size = 0x08;
    public const int CurrentByteOffset = 0x00;
}
