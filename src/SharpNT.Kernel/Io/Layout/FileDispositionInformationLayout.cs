namespace SharpNT.Kernel.Io.Layout;

/// <summary>FILE_DISPOSITION_INFORMATION on x64 (ntifs.h): FileDispositionInformation (13).</summary>
public static class FileDispositionInformationLayout
{
    public const int Size = 0x01;
    public const int DeleteFile = 0x00;
}
