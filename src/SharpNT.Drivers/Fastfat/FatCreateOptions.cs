namespace SharpNT.Drivers.Fastfat;

/// <summary>The create options the FAT engine acts on (wdm.h values).</summary>
[Flags]
internal enum FatCreateOptions
{
    None = 0,

    /// <summary>The file must be a directory; with FILE_CREATE/FILE_OPEN_IF a new one is a directory.</summary>
    FILE_DIRECTORY_FILE = 0x00000001,

    /// <summary>The file must not be a directory.</summary>
    FILE_NON_DIRECTORY_FILE = 0x00000040,
}
