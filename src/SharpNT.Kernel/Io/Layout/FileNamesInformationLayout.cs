namespace SharpNT.Kernel.Io.Layout;

/// <summary>FILE_NAMES_INFORMATION on x64 (ntifs.h): FileNamesInformation (12).</summary>
public static class FileNamesInformationLayout
{
    public const int Size = 0x10;
    public const int NextEntryOffset = 0x00;
    public const int FileIndex = 0x04;
    public const int FileNameLength = 0x08;
    public const int FileName = 0x0C;
}
