namespace SharpNT.Drivers.Fastfat;

/// <summary>
/// FILE_BASIC_INFORMATION's fields as FAT keeps them: NT times (0 = unknown; on set, 0 and -1 mean "leave
/// as is") and FILE_ATTRIBUTE_* bits.
/// </summary>
internal readonly record struct FatBasicInformation(long CreationTime, long LastAccessTime, long LastWriteTime, long ChangeTime, uint FileAttributes);
