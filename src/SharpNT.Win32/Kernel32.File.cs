using static SharpNT.Win32.Ntdll;
using static SharpNT.Win32.WinBase;

namespace SharpNT.Win32;

public static partial class Kernel32
{
    // ntifs.h values CreateFileW translates to.
    private const uint FILE_OPEN = 1;
    private const uint FILE_CREATE = 2;
    private const uint FILE_OPEN_IF = 3;
    private const uint FILE_OVERWRITE = 4;
    private const uint FILE_OVERWRITE_IF = 5;
    private const uint FILE_WRITE_THROUGH = 0x2;
    private const uint FILE_SYNCHRONOUS_IO_NONALERT = 0x20;
    private const uint FILE_NON_DIRECTORY_FILE = 0x40;
    private const uint FILE_NO_INTERMEDIATE_BUFFERING = 0x8;
    private const uint FILE_DELETE_ON_CLOSE = 0x1000;
    private const uint FILE_OPEN_FOR_BACKUP_INTENT = 0x4000;
    private const uint OBJ_CASE_INSENSITIVE = 0x40;
    private const ulong FILE_OPENED = 1;
    private const ulong FILE_OVERWRITTEN = 3;
    private const int STATUS_PENDING = 0x103;
    private const int STATUS_OBJECT_NAME_COLLISION = unchecked((int)0xC0000035);
    private const int IoStatusBlockSize = 16;

    /// <summary>
    /// CreateFileW: opens or creates a file or device (`\\.\Name` for a device). Without
    /// FILE_FLAG_OVERLAPPED the handle is for synchronous I/O. CREATE_ALWAYS and OPEN_ALWAYS on an existing
    /// file succeed with ERROR_ALREADY_EXISTS; failure returns INVALID_HANDLE_VALUE with the last error set.
    /// </summary>
    public static nint CreateFile(string lpFileName, uint dwDesiredAccess, uint dwShareMode, ulong lpSecurityAttributes,
        uint dwCreationDisposition, uint dwFlagsAndAttributes, nint hTemplateFile)
    {
        uint disposition;
        switch (dwCreationDisposition)
        {
            case CREATE_NEW: disposition = FILE_CREATE; break;
            case CREATE_ALWAYS: disposition = FILE_OVERWRITE_IF; break;
            case OPEN_EXISTING: disposition = FILE_OPEN; break;
            case OPEN_ALWAYS: disposition = FILE_OPEN_IF; break;
            case TRUNCATE_EXISTING: disposition = FILE_OVERWRITE; break;
            default:
                SetLastError(WinError.ERROR_INVALID_PARAMETER);
                return INVALID_HANDLE_VALUE;
        }

        var options = 0u;
        if ((dwFlagsAndAttributes & FILE_FLAG_OVERLAPPED) == 0)
        {
            options |= FILE_SYNCHRONOUS_IO_NONALERT;
        }

        options |= (dwFlagsAndAttributes & FILE_FLAG_BACKUP_SEMANTICS) != 0 ? FILE_OPEN_FOR_BACKUP_INTENT : FILE_NON_DIRECTORY_FILE;
        if ((dwFlagsAndAttributes & FILE_FLAG_WRITE_THROUGH) != 0)
        {
            options |= FILE_WRITE_THROUGH;
        }

        if ((dwFlagsAndAttributes & FILE_FLAG_NO_BUFFERING) != 0)
        {
            options |= FILE_NO_INTERMEDIATE_BUFFERING;
        }

        var access = dwDesiredAccess | SYNCHRONIZE | FILE_READ_ATTRIBUTES;
        if ((dwFlagsAndAttributes & FILE_FLAG_DELETE_ON_CLOSE) != 0)
        {
            options |= FILE_DELETE_ON_CLOSE;
            access |= DELETE;
        }

        using var frame = UserStack.Frame();
        var handle = frame.Alloc(8);
        var iosb = frame.Alloc(IoStatusBlockSize);
        var oa = frame.ObjectAttributes(DosPath.ToNtPath(lpFileName), OBJ_CASE_INSENSITIVE);
        var status = NtCreateFile(handle, access, oa, iosb, 0, dwFlagsAndAttributes & 0x7FA7 & ~FILE_ATTRIBUTE_NORMAL, dwShareMode, disposition,
            options, 0, 0);
        if (!NT_SUCCESS(status))
        {
            if (status == STATUS_OBJECT_NAME_COLLISION && dwCreationDisposition == CREATE_NEW)
            {
                SetLastError(WinError.ERROR_FILE_EXISTS);
            }
            else
            {
                BaseSetLastNTError(status);
            }

            return INVALID_HANDLE_VALUE;
        }

        var information = Memory.Read<ulong>(iosb + 8);
        var existed = (dwCreationDisposition == OPEN_ALWAYS && information == FILE_OPENED)
            || (dwCreationDisposition == CREATE_ALWAYS && information == FILE_OVERWRITTEN);
        SetLastError(existed ? WinError.ERROR_ALREADY_EXISTS : WinError.ERROR_SUCCESS);
        return (nint)Memory.Read<ulong>(handle);
    }

    /// <summary>CloseHandle.</summary>
    public static bool CloseHandle(nint hObject) => Check(NtClose(hObject));

    /// <summary>
    /// ReadFile: synchronous on a synchronous handle (bytes read through <paramref name="lpNumberOfBytesRead"/>;
    /// end of file is success with 0 bytes); with an OVERLAPPED the read starts at its Offset and may return
    /// FALSE with ERROR_IO_PENDING, to be finished with GetOverlappedResult.
    /// </summary>
    public static bool ReadFile(nint hFile, ulong lpBuffer, uint nNumberOfBytesToRead, out uint lpNumberOfBytesRead, ulong lpOverlapped) =>
        Transfer(read: true, hFile, lpBuffer, nNumberOfBytesToRead, out lpNumberOfBytesRead, lpOverlapped);

    /// <summary>WriteFile: as ReadFile, writing.</summary>
    public static bool WriteFile(nint hFile, ulong lpBuffer, uint nNumberOfBytesToWrite, out uint lpNumberOfBytesWritten, ulong lpOverlapped) =>
        Transfer(read: false, hFile, lpBuffer, nNumberOfBytesToWrite, out lpNumberOfBytesWritten, lpOverlapped);

    private static bool Transfer(bool read, nint hFile, ulong buffer, uint length, out uint transferred, ulong overlapped)
    {
        transferred = 0;
        using var frame = UserStack.Frame();
        int status;
        if (overlapped != 0)
        {
            // The OVERLAPPED is the request's IO_STATUS_BLOCK (Internal, InternalHigh) and carries its offset.
            Memory.Write(overlapped + OVERLAPPED_Internal, (ulong)STATUS_PENDING);
            var offset = frame.Alloc(8);
            Memory.Write(offset, Memory.Read<uint>(overlapped + OVERLAPPED_Offset) | ((ulong)Memory.Read<uint>(overlapped + OVERLAPPED_OffsetHigh) << 32));
            var evt = (nint)Memory.Read<ulong>(overlapped + OVERLAPPED_hEvent);
            status = read
                ? NtReadFile(hFile, evt, 0, overlapped, overlapped, buffer, length, offset, 0)
                : NtWriteFile(hFile, evt, 0, overlapped, overlapped, buffer, length, offset, 0);
            if (status == STATUS_PENDING)
            {
                SetLastError(WinError.ERROR_IO_PENDING);
                return false;
            }

            if (NT_SUCCESS(status))
            {
                transferred = (uint)Memory.Read<ulong>(overlapped + OVERLAPPED_InternalHigh);
                return true;
            }

            return EndOfFileOrError(read, status);
        }

        var iosb = frame.Alloc(IoStatusBlockSize);
        status = read
            ? NtReadFile(hFile, 0, 0, 0, iosb, buffer, length, 0, 0)
            : NtWriteFile(hFile, 0, 0, 0, iosb, buffer, length, 0, 0);
        if (status == STATUS_PENDING)
        {
            // A handle opened for overlapped I/O used without an OVERLAPPED: wait for this request.
            NtWaitForSingleObject(hFile, false, 0);
            status = (int)Memory.Read<uint>(iosb);
        }

        if (NT_SUCCESS(status))
        {
            transferred = (uint)Memory.Read<ulong>(iosb + 8);
            return true;
        }

        return EndOfFileOrError(read, status);
    }

    /// <summary>A synchronous read at the end of the file succeeds with 0 bytes (STATUS_END_OF_FILE), as ReadFile documents.</summary>
    private static bool EndOfFileOrError(bool read, int status)
    {
        const int STATUS_END_OF_FILE = unchecked((int)0xC0000011);
        if (read && status == STATUS_END_OF_FILE)
        {
            return true;
        }

        BaseSetLastNTError(status);
        return false;
    }

    /// <summary>
    /// DeviceIoControl: NtDeviceIoControlFile with the code's buffers; bytes returned through
    /// <paramref name="lpBytesReturned"/>. With an OVERLAPPED it may return FALSE with ERROR_IO_PENDING.
    /// </summary>
    public static bool DeviceIoControl(nint hDevice, uint dwIoControlCode, ulong lpInBuffer, uint nInBufferSize, ulong lpOutBuffer,
        uint nOutBufferSize, out uint lpBytesReturned, ulong lpOverlapped)
    {
        lpBytesReturned = 0;
        if (lpOverlapped != 0)
        {
            Memory.Write(lpOverlapped + OVERLAPPED_Internal, (ulong)STATUS_PENDING);
            var evt = (nint)Memory.Read<ulong>(lpOverlapped + OVERLAPPED_hEvent);
            var pending = NtDeviceIoControlFile(hDevice, evt, 0, lpOverlapped, lpOverlapped, dwIoControlCode, lpInBuffer, nInBufferSize,
                lpOutBuffer, nOutBufferSize);
            if (pending == STATUS_PENDING)
            {
                SetLastError(WinError.ERROR_IO_PENDING);
                return false;
            }

            if (!NT_SUCCESS(pending))
            {
                BaseSetLastNTError(pending);
                return false;
            }

            lpBytesReturned = (uint)Memory.Read<ulong>(lpOverlapped + OVERLAPPED_InternalHigh);
            return true;
        }

        using var frame = UserStack.Frame();
        var iosb = frame.Alloc(IoStatusBlockSize);
        var status = NtDeviceIoControlFile(hDevice, 0, 0, 0, iosb, dwIoControlCode, lpInBuffer, nInBufferSize, lpOutBuffer, nOutBufferSize);
        if (status == STATUS_PENDING)
        {
            NtWaitForSingleObject(hDevice, false, 0);
            status = (int)Memory.Read<uint>(iosb);
        }

        if (!NT_SUCCESS(status))
        {
            BaseSetLastNTError(status);
            return false;
        }

        lpBytesReturned = (uint)Memory.Read<ulong>(iosb + 8);
        return true;
    }

    /// <summary>
    /// GetOverlappedResult: the outcome of an overlapped request. With <paramref name="bWait"/> it waits
    /// for the OVERLAPPED's event (or the file handle) first; without, a request still running is FALSE with
    /// ERROR_IO_INCOMPLETE. A failed request is FALSE with its error (ERROR_OPERATION_ABORTED when cancelled).
    /// </summary>
    public static bool GetOverlappedResult(nint hFile, ulong lpOverlapped, out uint lpNumberOfBytesTransferred, bool bWait)
    {
        lpNumberOfBytesTransferred = 0;
        var status = (int)Memory.Read<uint>(lpOverlapped + OVERLAPPED_Internal);
        if (status == STATUS_PENDING)
        {
            if (!bWait)
            {
                SetLastError(WinError.ERROR_IO_INCOMPLETE);
                return false;
            }

            var evt = (nint)Memory.Read<ulong>(lpOverlapped + OVERLAPPED_hEvent);
            var waited = NtWaitForSingleObject(evt != 0 ? evt : hFile, false, 0);
            if (!NT_SUCCESS(waited))
            {
                BaseSetLastNTError(waited);
                return false;
            }

            status = (int)Memory.Read<uint>(lpOverlapped + OVERLAPPED_Internal);
        }

        lpNumberOfBytesTransferred = (uint)Memory.Read<ulong>(lpOverlapped + OVERLAPPED_InternalHigh);
        if (!NT_SUCCESS(status))
        {
            BaseSetLastNTError(status);
            return false;
        }

        return true;
    }

    /// <summary>CancelIo: cancels the calling thread's requests on the handle (NtCancelIoFile).</summary>
    public static bool CancelIo(nint hFile)
    {
        using var frame = UserStack.Frame();
        return Check(NtCancelIoFile(hFile, frame.Alloc(IoStatusBlockSize)));
    }

    /// <summary>FlushFileBuffers: NtFlushBuffersFile.</summary>
    public static bool FlushFileBuffers(nint hFile)
    {
        using var frame = UserStack.Frame();
        return Check(NtFlushBuffersFile(hFile, frame.Alloc(IoStatusBlockSize)));
    }

    /// <summary>TRUE for success; otherwise the last error is set from the status and FALSE returned.</summary>
    private static bool Check(int status)
    {
        if (NT_SUCCESS(status))
        {
            return true;
        }

        BaseSetLastNTError(status);
        return false;
    }
}
