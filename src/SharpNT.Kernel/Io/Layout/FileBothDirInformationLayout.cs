namespace SharpNT.Kernel.Io.Layout;

/// <summary>FILE_BOTH_DIR_INFORMATION on x64 (ntifs.h): FileBothDirectoryInformation (3), with the 8.3 name.</summary>
public static class FileBothDirInformationLayout
{
    public const int Size = 0x60;
    public const int NextEntryOffset = 0x00;
    public const int FileIndex = 0x04;
    public const int CreationTime = 0x08;
    public const int LastAccessTime = 0x10;
    public const int LastWriteTime = 0x18;
    public const int ChangeTime = 0x20;
    public const int EndOfFile = 0x28;
    public const int AllocationSize = 0x30;
    public const int FileAttributes = 0x38;
    public const int FileNameLength = 0x3C;
    public const int EaSize = 0x40;
    public const int ShortNameLength = 0x44;
    public const int ShortName = 0x46;
    public const int FileName = 0x5E;
}
