namespace SharpNT.Kernel.Io.Layout;

/// <summary>FILE_RENAME_INFORMATION on x64 (ntifs.h): FileRenameInformation (10).</summary>
public static class FileRenameInformationLayout
{
    public const int Size = 0x18;
    public const int ReplaceIfExists = 0x00;
    public const int RootDirectory = 0x08;
    public const int FileNameLength = 0x10;
    public const int FileName = 0x14;
}
