namespace SharpNT.Kernel.FsRtl;

/// <summary>
/// FILE_LOCK on x64 (ntifs.h): the two optional callbacks, FastIoIsQuestionable (what
/// FsRtlAreThereCurrentFileLocks reads), the package's private LockInformation pointer, then the
/// enumeration state of FsRtlGetNextFileLock (a FILE_LOCK_INFO and the last lock returned) and the count
/// of lock requests in progress.
/// </summary>
internal static class FileLockLayout
{
    internal const int Size = 0x60;

    internal const int CompleteLockIrpRoutine = 0x00;
    internal const int UnlockRoutine = 0x08;
    internal const int FastIoIsQuestionable = 0x10;
    internal const int LockInformation = 0x18;
    internal const int LastReturnedLockInfo = 0x20;
    internal const int LastReturnedLock = 0x50;
    internal const int LockRequestsInProgress = 0x58;
}
