namespace SharpNT.Kernel.Io.Layout;

/// <summary>FILE_BASIC_INFORMATION on x64 (ntifs.h): FileBasicInformation (4); NT times and FILE_ATTRIBUTE_* bits.</summary>
public static class FileBasicInformationLayout
{
    public const int Size = 0x28;
    public const int CreationTime = 0x00;
    public const int LastAccessTime = 0x08;
    public const int LastWriteTime = 0x10;
    public const int ChangeTime = 0x18;
    public const int FileAttributes = 0x20;
}
