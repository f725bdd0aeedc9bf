using SharpNT.Kernel.Ke;
using static SharpNT.Win32.Ntdll;
using static SharpNT.Win32.WinBase;

namespace SharpNT.Win32;

/// <summary>ReadFileEx and WriteFileEx: overlapped transfers that finish through a completion routine, called as a user APC.</summary>
public static partial class Kernel32
{
    /// <summary>
    /// kernel32's PIO_APC_ROUTINE for ReadFileEx / WriteFileEx (BasepIoCompletion): the I/O manager's user APC
    /// calls it with the completion routine's address (the ApcContext) and the IO_STATUS_BLOCK, which is the
    /// OVERLAPPED; it calls the routine with the Win32 error (0 for success), the bytes transferred and the
    /// OVERLAPPED.
    /// </summary>
    private static readonly Action<ulong, ulong, ulong> s_ioCompletion = BasepIoCompletion;

    private static void BasepIoCompletion(ulong completionRoutine, ulong ioStatusBlock, ulong reserved)
    {
        var status = Memory.Read<int>(ioStatusBlock + OVERLAPPED_Internal);
        var information = Memory.Read<ulong>(ioStatusBlock + OVERLAPPED_InternalHigh);
        var error = ((uint)status >> 30) == 3 ? RtlNtStatusToDosError(status) : 0;
        Ring3.Call(completionRoutine, error, (uint)information, ioStatusBlock);
    }

    /// <summary>
    /// ReadFileEx: starts a read at the OVERLAPPED's offset on a handle opened with FILE_FLAG_OVERLAPPED
    /// (hEvent is not used) and returns TRUE; <paramref name="lpCompletionRoutine"/>(error, bytes, OVERLAPPED) is
    /// called when the read is done and the thread waits alertably (SleepEx, WaitForSingleObjectEx, ...,
    /// which then return WAIT_IO_COMPLETION). FALSE with the last error set if the read could not start.
    /// </summary>
    public static bool ReadFileEx(nint hFile, ulong lpBuffer, uint nNumberOfBytesToRead, ulong lpOverlapped, Action<uint, uint, ulong> lpCompletionRoutine) =>
        TransferEx(read: true, hFile, lpBuffer, nNumberOfBytesToRead, lpOverlapped, lpCompletionRoutine);

    /// <summary>WriteFileEx: as ReadFileEx, writing.</summary>
    public static bool WriteFileEx(nint hFile, ulong lpBuffer, uint nNumberOfBytesToWrite, ulong lpOverlapped, Action<uint, uint, ulong> lpCompletionRoutine) =>
        TransferEx(read: false, hFile, lpBuffer, nNumberOfBytesToWrite, lpOverlapped, lpCompletionRoutine);

    private static bool TransferEx(bool read, nint hFile, ulong buffer, uint length, ulong overlapped, Action<uint, uint, ulong> completionRoutine)
    {
        ArgumentNullException.ThrowIfNull(completionRoutine);
        using var frame = UserStack.Frame();
        Memory.Write(overlapped + OVERLAPPED_Internal, (ulong)STATUS_PENDING);
        var offset = frame.Alloc(8);
        Memory.Write(offset, Memory.Read<uint>(overlapped + OVERLAPPED_Offset) | ((ulong)Memory.Read<uint>(overlapped + OVERLAPPED_OffsetHigh) << 32));
        var apcRoutine = Ring3.CodeAddress(s_ioCompletion);
        var apcContext = Ring3.CodeAddress(completionRoutine);
        var status = read
            ? NtReadFile(hFile, 0, apcRoutine, apcContext, overlapped, buffer, length, offset, 0)
            : NtWriteFile(hFile, 0, apcRoutine, apcContext, overlapped, buffer, length, offset, 0);
        if (((uint)status >> 30) == 3)
        {
            BaseSetLastNTError(status);
            return false;
        }

        SetLastError(WinError.ERROR_SUCCESS);
        return true;
    }
}
