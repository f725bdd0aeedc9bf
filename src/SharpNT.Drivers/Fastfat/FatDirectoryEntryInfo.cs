namespace SharpNT.Drivers.Fastfat;

/// <summary>
/// One entry of a directory enumeration, with what FILE_BOTH_DIR_INFORMATION and its relatives need:
/// FileIndex (the entry's byte offset in the directory), NT times, sizes, FILE_ATTRIBUTE_* bits, the
/// name and the 8.3 name.
/// </summary>
internal sealed record FatDirectoryEntryInfo(
    uint FileIndex,
    long CreationTime,
    long LastAccessTime,
    long LastWriteTime,
    long ChangeTime,
    long EndOfFile,
    long AllocationSize,
    uint FileAttributes,
    string FileName,
    string ShortName);
