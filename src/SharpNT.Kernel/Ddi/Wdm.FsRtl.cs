using SharpNT.Kernel.FsRtl;
using SharpNT.Kernel.Io;
using SharpNT.Kernel.Ps;

namespace SharpNT.Kernel.Ddi;

// The FsRtl file-lock package (ntifs.h): byte-range locks a file system keeps per file in a FILE_LOCK.
// IRQL <= APC_LEVEL for all of them (checked: 0xA above it). ProcessId is the EPROCESS, as NT passes it.
public static partial class Wdm
{
    internal static FileLockPackage FsRtl => CurrentMachine.FsRtl;

    /// <summary>
    /// The file-lock package's documented IRQL ceiling, APC_LEVEL: above it a call is IRQL_NOT_LESS_OR_EQUAL
    /// (0xA) with the FILE_LOCK, the IRQL and the caller's address. Returns the package.
    /// </summary>
    private static FileLockPackage FsRtlAtMostApcLevel(FILE_LOCK fileLock)
    {
        var thread = Caller;
        var irql = thread.Processor!.Irql;
        if (irql > APC_LEVEL)
        {
            thread.Machine.BugCheck.Raise(Kernel.Ke.BugCheckCode.IRQL_NOT_LESS_OR_EQUAL, fileLock.Address, irql, 0,
                thread.InnermostFrame()?.Address ?? 0);
        }

        return thread.Machine.FsRtl;
    }

    /// <summary>FsRtlAllocateFileLock: a FILE_LOCK from nonpaged pool, initialized with the callbacks; FILE_LOCK.NULL if pool is exhausted.</summary>
    public static FILE_LOCK FsRtlAllocateFileLock(COMPLETE_LOCK_IRP_ROUTINE? CompleteLockIrpRoutine, UNLOCK_ROUTINE? UnlockRoutine) =>
        FsRtl.AllocateFileLock(CompleteLockIrpRoutine, UnlockRoutine);

    /// <summary>FsRtlFreeFileLock: uninitializes and frees a FILE_LOCK from FsRtlAllocateFileLock.</summary>
    public static void FsRtlFreeFileLock(FILE_LOCK FileLock) => FsRtl.FreeFileLock(FileLock);

    /// <summary>FsRtlInitializeFileLock: a caller-allocated FILE_LOCK (FileLockLayout.Size bytes, nonpaged) with no locks.</summary>
    public static void FsRtlInitializeFileLock(FILE_LOCK FileLock, COMPLETE_LOCK_IRP_ROUTINE? CompleteLockIrpRoutine, UNLOCK_ROUTINE? UnlockRoutine) =>
        FsRtlAtMostApcLevel(FileLock).InitializeFileLock(FileLock, CompleteLockIrpRoutine, UnlockRoutine);

    /// <summary>FsRtlUninitializeFileLock: its locks go; lock IRPs still waiting complete with STATUS_RANGE_NOT_LOCKED.</summary>
    public static void FsRtlUninitializeFileLock(FILE_LOCK FileLock) => FsRtlAtMostApcLevel(FileLock).UninitializeFileLock(FileLock);

    /// <summary>sizeof(FILE_LOCK) on x64, for a file system that embeds one in its FCB.</summary>
    public const int FILE_LOCK_SIZE = FileLockLayout.Size;

    /// <summary>
    /// FsRtlProcessFileLock: carries out IRP_MJ_LOCK_CONTROL (IRP_MN_LOCK, IRP_MN_UNLOCK_SINGLE, IRP_MN_UNLOCK_ALL,
    /// IRP_MN_UNLOCK_ALL_BY_KEY) and completes the IRP, or returns STATUS_PENDING for a lock that waits.
    /// </summary>
    public static NTSTATUS FsRtlProcessFileLock(FILE_LOCK FileLock, IRP Irp, object? Context) => FsRtlAtMostApcLevel(FileLock).ProcessFileLock(FileLock, Irp, Context);

    /// <summary>FsRtlCheckLockForReadAccess: whether the read IRP's range may be read by its requester (TRUE) or a lock conflicts.</summary>
    public static bool FsRtlCheckLockForReadAccess(FILE_LOCK FileLock, IRP Irp) => FsRtlAtMostApcLevel(FileLock).CheckLockForReadAccess(FileLock, Irp);

    /// <summary>FsRtlCheckLockForWriteAccess: whether the write IRP's range may be written by its requester.</summary>
    public static bool FsRtlCheckLockForWriteAccess(FILE_LOCK FileLock, IRP Irp) => FsRtlAtMostApcLevel(FileLock).CheckLockForWriteAccess(FileLock, Irp);

    /// <summary>FsRtlFastCheckLockForRead: TRUE when the process may read the range through the file object with the key.</summary>
    public static bool FsRtlFastCheckLockForRead(FILE_LOCK FileLock, in LARGE_INTEGER StartingByte, in LARGE_INTEGER Length, uint Key,
        FILE_OBJECT FileObject, EPROCESS? ProcessId) =>
        FsRtlAtMostApcLevel(FileLock).FastCheckLockForRead(FileLock, StartingByte.QuadPart, Length.QuadPart, Key, FileObject, ProcessId?.Address ?? 0);

    /// <summary>FsRtlFastCheckLockForWrite: TRUE when the process may write the range through the file object with the key.</summary>
    public static bool FsRtlFastCheckLockForWrite(FILE_LOCK FileLock, in LARGE_INTEGER StartingByte, in LARGE_INTEGER Length, uint Key,
        FILE_OBJECT FileObject, EPROCESS? ProcessId) =>
        FsRtlAtMostApcLevel(FileLock).FastCheckLockForWrite(FileLock, StartingByte.QuadPart, Length.QuadPart, Key, FileObject, ProcessId?.Address ?? 0);

    /// <summary>
    /// FsRtlFastLock: a lock with no IRP. TRUE: decided, IoStatus holds STATUS_SUCCESS, STATUS_LOCK_NOT_GRANTED or
    /// STATUS_INVALID_LOCK_RANGE; FALSE: it conflicts and may wait, so it needs an IRP.
    /// </summary>
    public static bool FsRtlFastLock(FILE_LOCK FileLock, FILE_OBJECT FileObject, in LARGE_INTEGER FileOffset, in LARGE_INTEGER Length,
        EPROCESS? ProcessId, uint Key, bool FailImmediately, bool ExclusiveLock, IO_STATUS_BLOCK Iosb, object? Context, bool AlreadySynchronized) =>
        FsRtlAtMostApcLevel(FileLock).FastLock(FileLock, FileObject, FileOffset.QuadPart, Length.QuadPart, ProcessId?.Address ?? 0, Key, FailImmediately, ExclusiveLock, Iosb,
            Context);

    /// <summary>FsRtlFastUnlockSingle: releases the lock with exactly this range, owner and key; STATUS_RANGE_NOT_LOCKED if there is none.</summary>
    public static NTSTATUS FsRtlFastUnlockSingle(FILE_LOCK FileLock, FILE_OBJECT FileObject, in LARGE_INTEGER FileOffset, in LARGE_INTEGER Length,
        EPROCESS? ProcessId, uint Key, object? Context, bool AlreadySynchronized) =>
        FsRtlAtMostApcLevel(FileLock).UnlockSingle(FileLock, FileObject, FileOffset.QuadPart, Length.QuadPart, ProcessId?.Address ?? 0, Key, Context);

    /// <summary>FsRtlFastUnlockAll: releases every lock the file object holds for the process (a file system calls it at IRP_MJ_CLEANUP).</summary>
    public static NTSTATUS FsRtlFastUnlockAll(FILE_LOCK FileLock, FILE_OBJECT FileObject, EPROCESS? ProcessId, object? Context) =>
        FsRtlAtMostApcLevel(FileLock).UnlockAll(FileLock, FileObject, ProcessId?.Address ?? 0, 0, byKey: false, Context);

    /// <summary>FsRtlFastUnlockAllByKey: releases the file object's locks for the process that carry the key.</summary>
    public static NTSTATUS FsRtlFastUnlockAllByKey(FILE_LOCK FileLock, FILE_OBJECT FileObject, EPROCESS? ProcessId, uint Key, object? Context) =>
        FsRtlAtMostApcLevel(FileLock).UnlockAll(FileLock, FileObject, ProcessId?.Address ?? 0, Key, byKey: true, Context);

    /// <summary>FsRtlAreThereCurrentFileLocks: whether the file has any byte-range lock (FILE_LOCK.FastIoIsQuestionable).</summary>
    public static bool FsRtlAreThereCurrentFileLocks(FILE_LOCK FileLock) => FileLockPackage.AreThereCurrentFileLocks(FileLock);

    /// <summary>IoGetRequestorProcess: the process of the thread that issued the IRP; null for an IRP no thread issued.</summary>
    public static EPROCESS? IoGetRequestorProcess(IRP Irp) => Io.RequestorProcess(Irp);
}
