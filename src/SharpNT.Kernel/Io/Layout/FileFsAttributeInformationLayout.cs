namespace SharpNT.Kernel.Io.Layout;

/// <summary>FILE_FS_ATTRIBUTE_INFORMATION on x64 (ntifs.h): FileFsAttributeInformation (5).</summary>
public static class FileFsAttributeInformationLayout
{
    public const int Size = 0x10;
    public const int FileSystemAttributes = 0x00;
    public const int MaximumComponentNameLength = 0x04;
    public const int FileSystemNameLength = 0x08;
    public const int FileSystemName = 0x0C;
}
