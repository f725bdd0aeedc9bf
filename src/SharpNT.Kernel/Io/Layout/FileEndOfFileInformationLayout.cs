namespace SharpNT.Kernel.Io.Layout;

/// <summary>FILE_END_OF_FILE_INFORMATION on x64 (ntifs.h): FileEndOfFileInformation (20).</summary>
public static class FileEndOfFileInformationLayout
{
    public const int Size = 0x08;
    public const int EndOfFile = 0x00;
}
