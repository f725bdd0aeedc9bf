namespace SharpNT.Kernel.Io.Layout;

/// <summary>FILE_DIRECTORY_INFORMATION on x64 (ntifs.h): FileDirectoryInformation (1); entries are 8-byte aligned and chained by NextEntryOffset.</summary>
public static class FileDirectoryInformationLayout
{
    public const int Size = 0x48;
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
    public const int FileName = 0x40;
}
