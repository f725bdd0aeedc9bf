using static SharpNT.Win32.Ntdll;
using static SharpNT.Win32.WinBase;

namespace SharpNT.Win32;

/// <summary>
/// Byte-range locks (fileapi.h): LockFile, LockFileEx, UnlockFile, UnlockFileEx over NtLockFile and
/// NtUnlockFile. A conflict is ERROR_LOCK_VIOLATION (STATUS_LOCK_NOT_GRANTED); an unlock of a range not locked
/// exactly is ERROR_NOT_LOCKED (STATUS_RANGE_NOT_LOCKED).
/// </summary>
public static partial class Kernel32
{
    /// <summary>LockFile: an exclusive lock that fails at once (ERROR_LOCK_VIOLATION) when it conflicts.</summary>
    public static bool LockFile(nint hFile, uint dwFileOffsetLow, uint dwFileOffsetHigh, uint nNumberOfBytesToLockLow, uint nNumberOfBytesToLockHigh)
    {
        using var frame = UserStack.Frame();
        var iosb = frame.Alloc(IoStatusBlockSize);
        var offset = frame.Alloc(8);
        var length = frame.Alloc(8);
        Memory.Write(offset, dwFileOffsetLow | ((ulong)dwFileOffsetHigh << 32));
        Memory.Write(length, nNumberOfBytesToLockLow | ((ulong)nNumberOfBytesToLockHigh << 32));
        var status = NtLockFile(hFile, 0, 0, 0, iosb, offset, length, 0, FailImmediately: true, ExclusiveLock: true);
        if (status == STATUS_PENDING)
        {
            // An overlapped handle: this lock fails immediately or succeeds, so the request is done once signalled.
            NtWaitForSingleObject(hFile, false, 0);
            status = (int)Memory.Read<uint>(iosb);
        }

        return Check(status);
    }

    /// <summary>
    /// LockFileEx: a shared or (LOCKFILE_EXCLUSIVE_LOCK) exclusive lock at the OVERLAPPED's offset. Without
    /// LOCKFILE_FAIL_IMMEDIATELY the call waits for the range on a synchronous handle; on an overlapped handle
    /// it returns FALSE with ERROR_IO_PENDING and the OVERLAPPED's event is signalled when the lock is granted.
    /// </summary>
    public static bool LockFileEx(nint hFile, uint dwFlags, uint dwReserved, uint nNumberOfBytesToLockLow, uint nNumberOfBytesToLockHigh,
        ulong lpOverlapped)
    {
        if (dwReserved != 0 || lpOverlapped == 0 || (dwFlags & ~(LOCKFILE_FAIL_IMMEDIATELY | LOCKFILE_EXCLUSIVE_LOCK)) != 0)
        {
            SetLastError(WinError.ERROR_INVALID_PARAMETER);
            return false;
        }

        using var frame = UserStack.Frame();
        var offset = frame.Alloc(8);
        var length = frame.Alloc(8);
        Memory.Write(offset, Memory.Read<uint>(lpOverlapped + OVERLAPPED_Offset) | ((ulong)Memory.Read<uint>(lpOverlapped + OVERLAPPED_OffsetHigh) << 32));
        Memory.Write(length, nNumberOfBytesToLockLow | ((ulong)nNumberOfBytesToLockHigh << 32));
        Memory.Write(lpOverlapped + OVERLAPPED_Internal, (ulong)STATUS_PENDING);
        var evt = (nint)Memory.Read<ulong>(lpOverlapped + OVERLAPPED_hEvent);
        var status = NtLockFile(hFile, evt, 0, lpOverlapped, lpOverlapped, offset, length, 0,
            FailImmediately: (dwFlags & LOCKFILE_FAIL_IMMEDIATELY) != 0, ExclusiveLock: (dwFlags & LOCKFILE_EXCLUSIVE_LOCK) != 0);
        if (status == STATUS_PENDING)
        {
            SetLastError(WinError.ERROR_IO_PENDING);
            return false;
        }

        return Check(status);
    }

    /// <summary>UnlockFile: releases the lock with exactly this offset and length held through the handle.</summary>
    public static bool UnlockFile(nint hFile, uint dwFileOffsetLow, uint dwFileOffsetHigh, uint nNumberOfBytesToUnlockLow,
        uint nNumberOfBytesToUnlockHigh)
    {
        using var frame = UserStack.Frame();
        var offset = frame.Alloc(8);
        var length = frame.Alloc(8);
        Memory.Write(offset, dwFileOffsetLow | ((ulong)dwFileOffsetHigh << 32));
        Memory.Write(length, nNumberOfBytesToUnlockLow | ((ulong)nNumberOfBytesToUnlockHigh << 32));
        return Check(NtUnlockFile(hFile, frame.Alloc(IoStatusBlockSize), offset, length, 0));
    }

    /// <summary>UnlockFileEx: UnlockFile with the offset taken from the OVERLAPPED.</summary>
    public static bool UnlockFileEx(nint hFile, uint dwReserved, uint nNumberOfBytesToUnlockLow, uint nNumberOfBytesToUnlockHigh, ulong lpOverlapped)
    {
        if (dwReserved != 0 || lpOverlapped == 0)
        {
            SetLastError(WinError.ERROR_INVALID_PARAMETER);
            return false;
        }

        return UnlockFile(hFile, Memory.Read<uint>(lpOverlapped + OVERLAPPED_Offset), Memory.Read<uint>(lpOverlapped + OVERLAPPED_OffsetHigh),
            nNumberOfBytesToUnlockLow, nNumberOfBytesToUnlockHigh);
    }
}
