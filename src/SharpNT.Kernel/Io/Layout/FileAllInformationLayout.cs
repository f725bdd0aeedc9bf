namespace SharpNT.Kernel.Io.Layout;

/// <summary>FILE_ALL_INFORMATION on x64 (ntifs.h): FileAllInformation (18), the basic, standard, internal, EA, access, position, mode, alignment and name information in one.</summary>
public static class FileAllInformationLayout
{
    public const int Size = 0x68;
    public const int BasicInformation = 0x00;
    public const int StandardInformation = 0x28;
    public const int InternalInformation = 0x40;
    public const int EaInformation = 0x48;
    public const int AccessInformation = 0x4C;
    public const int PositionInformation = 0x50;
    public const int ModeInformation = 0x58;
    public const int AlignmentInformation = 0x5C;
    public const int NameInformation = 0x60;
}
