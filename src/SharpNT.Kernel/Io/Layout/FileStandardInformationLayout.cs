namespace SharpNT.Kernel.Io.Layout;

/// <summary>FILE_STANDARD_INFORMATION on x64 (ntifs.h): FileStandardInformation (5).</summary>
public static class FileStandardInformationLayout
{
    public const int Size = 0x18;
    public const int AllocationSize = 0x00;
    public const int EndOfFile = 0x08;
    public const int NumberOfLinks = 0x10;
    public const int DeletePending = 0x14;
    public const int Directory = 0x15;
}
