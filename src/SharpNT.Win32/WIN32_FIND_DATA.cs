namespace SharpNT.Win32;

/// <summary>WIN32_FIND_DATAW, as FindFirstFile and FindNextFile fill it (times are FILETIMEs).</summary>
public readonly record struct WIN32_FIND_DATA(
    uint dwFileAttributes,
    long ftCreationTime,
    long ftLastAccessTime,
    long ftLastWriteTime,
    long nFileSize,
    string cFileName,
    string cAlternateFileName);
