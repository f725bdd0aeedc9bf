namespace SharpNT.Kernel.Io.Layout;

/// <summary>FILE_NAME_INFORMATION on x64 (ntifs.h): FileNameInformation (9); FileName runs on for FileNameLength bytes.</summary>
public static class FileNameInformationLayout
{
    public const int Size = 0x08;
    public const int FileNameLength = 0x00;
    public const int FileName = 0x04;
}
