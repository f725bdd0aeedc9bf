using System.Text;
using static SharpNT.Win32.Ntdll;
using static SharpNT.Win32.WinBase;

namespace SharpNT.Win32;

public static partial class Kernel32
{
    private const uint FILE_DIRECTORY_FILE = 0x1;
    private const int FileBothDirectoryInformation = 3;
    private const int FileBasicInformation = 4;
    private const int FileStandardInformation = 5;
    private const int FileRenameInformation = 10;
    private const int FileDispositionInformation = 13;
    private const int FileEndOfFileInformation = 20;
    private const int STATUS_NO_MORE_FILES = unchecked((int)0x80000006);
    private const int STATUS_NO_SUCH_FILE = unchecked((int)0xC000000F);
    private const int STATUS_OBJECT_NAME_NOT_FOUND = unchecked((int)0xC0000034);
    private const int FindBufferSize = 0x2000;

    // A find handle is a block in the process's memory (as kernel32 keeps it in the process heap):
    // the directory handle, the offset of the next entry, and the entries buffer.
    private const int FindDirectory = 0x00;
    private const int FindNext = 0x08;
    private const int FindValid = 0x10;
    private const int FindBuffer = 0x20;

    /// <summary>
    /// FindFirstFileW: opens the directory of <paramref name="lpFileName"/> and returns the first entry its
    /// last component (a wildcard expression) matches; INVALID_HANDLE_VALUE with ERROR_FILE_NOT_FOUND when
    /// none does.
    /// </summary>
    public static nint FindFirstFile(string lpFileName, out WIN32_FIND_DATA lpFindFileData)
    {
        lpFindFileData = default;
        var full = DosPath.ToNtPath(lpFileName);
        var split = full.LastIndexOf('\\');
        var directory = full[..(split + 1)];
        var pattern = full[(split + 1)..];
        if (directory.EndsWith(@":\", StringComparison.Ordinal) is false && directory.Length > 4)
        {
            directory = directory.TrimEnd('\\');
        }

        var dir = OpenForNames(directory, FILE_LIST_DIRECTORY | SYNCHRONIZE, FILE_DIRECTORY_FILE | FILE_OPEN_FOR_BACKUP_INTENT, out var status);
        if (dir == INVALID_HANDLE_VALUE)
        {
            // The directory part of the name is missing: that is a path not found, whatever its last component.
            BaseSetLastNTError(status);
            if (status == STATUS_OBJECT_NAME_NOT_FOUND)
            {
                SetLastError(WinError.ERROR_PATH_NOT_FOUND);
            }

            return INVALID_HANDLE_VALUE;
        }

        var find = VirtualAlloc(0, FindBuffer + FindBufferSize, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
        if (find == 0)
        {
            NtClose(dir);
            return INVALID_HANDLE_VALUE;
        }

        Memory.Write(find + FindDirectory, (ulong)dir);
        using (var frame = UserStack.Frame())
        {
            var name = pattern.Length == 0 ? 0 : frame.UnicodeString(pattern);
            status = QueryDirectory(find, name, restart: true);
        }

        if (!NT_SUCCESS(status))
        {
            FindClose((nint)find);
            SetLastError(status is STATUS_NO_MORE_FILES or STATUS_NO_SUCH_FILE ? WinError.ERROR_FILE_NOT_FOUND : RtlNtStatusToDosError(status));
            return INVALID_HANDLE_VALUE;
        }

        lpFindFileData = TakeEntry(find);
        return (nint)find;
    }

    /// <summary>FindNextFileW: the next matching entry; FALSE with ERROR_NO_MORE_FILES after the last.</summary>
    public static bool FindNextFile(nint hFindFile, out WIN32_FIND_DATA lpFindFileData)
    {
        lpFindFileData = default;
        var find = (ulong)hFindFile;
        if (Memory.Read<uint>(find + FindValid) == 0)
        {
            var status = QueryDirectory(find, 0, restart: false);
            if (!NT_SUCCESS(status))
            {
                SetLastError(status == STATUS_NO_MORE_FILES ? WinError.ERROR_NO_MORE_FILES : RtlNtStatusToDosError(status));
                return false;
            }
        }

        lpFindFileData = TakeEntry(find);
        return true;
    }

    /// <summary>FindClose.</summary>
    public static bool FindClose(nint hFindFile)
    {
        var find = (ulong)hFindFile;
        NtClose((nint)Memory.Read<ulong>(find + FindDirectory));
        return VirtualFree(find, 0, MEM_RELEASE);
    }

    /// <summary>The next buffer of FILE_BOTH_DIR_INFORMATION entries from the directory.</summary>
    private static int QueryDirectory(ulong find, ulong name, bool restart)
    {
        using var frame = UserStack.Frame();
        var iosb = frame.Alloc(IoStatusBlockSize);
        var dir = (nint)Memory.Read<ulong>(find + FindDirectory);
        var status = NtQueryDirectoryFile(dir, 0, 0, 0, iosb, find + FindBuffer, FindBufferSize, FileBothDirectoryInformation, false, name, restart);
        Memory.Write(find + FindNext, 0UL);
        Memory.Write(find + FindValid, NT_SUCCESS(status) ? 1u : 0u);
        return status;
    }

    /// <summary>The entry at the find block's cursor, and the cursor moved on (NextEntryOffset 0 ends the buffer).</summary>
    private static WIN32_FIND_DATA TakeEntry(ulong find)
    {
        var entry = find + FindBuffer + Memory.Read<ulong>(find + FindNext);
        var next = Memory.Read<uint>(entry);
        var nameLength = Memory.Read<uint>(entry + 60);
        var shortLength = Memory.Read<byte>(entry + 68);
        var data = new WIN32_FIND_DATA(
            Memory.Read<uint>(entry + 56),
            Memory.Read<long>(entry + 8),
            Memory.Read<long>(entry + 16),
            Memory.Read<long>(entry + 24),
            Memory.Read<long>(entry + 40),
            Encoding.Unicode.GetString(Memory.ReadBytes(entry + 94, (int)nameLength)),
            Encoding.Unicode.GetString(Memory.ReadBytes(entry + 70, shortLength)));
        if (next == 0)
        {
            Memory.Write(find + FindValid, 0u);
        }
        else
        {
            Memory.Write(find + FindNext, (entry + next) - (find + FindBuffer));
        }

        return data;
    }

    /// <summary>CreateDirectoryW: a new directory (ERROR_ALREADY_EXISTS if the name is taken).</summary>
    public static bool CreateDirectory(string lpPathName, ulong lpSecurityAttributes)
    {
        using var frame = UserStack.Frame();
        var handle = frame.Alloc(8);
        var iosb = frame.Alloc(IoStatusBlockSize);
        var oa = frame.ObjectAttributes(DosPath.ToNtPath(lpPathName), OBJ_CASE_INSENSITIVE);
        var status = NtCreateFile(handle, FILE_LIST_DIRECTORY | SYNCHRONIZE, oa, iosb, 0, FILE_ATTRIBUTE_NORMAL,
            FILE_SHARE_READ | FILE_SHARE_WRITE, FILE_CREATE, FILE_DIRECTORY_FILE | FILE_SYNCHRONOUS_IO_NONALERT | FILE_OPEN_FOR_BACKUP_INTENT, 0, 0);
        if (!NT_SUCCESS(status))
        {
            BaseSetLastNTError(status);
            return false;
        }

        NtClose((nint)Memory.Read<ulong>(handle));
        return true;
    }

    /// <summary>RemoveDirectoryW: the directory is deleted when this open closes (ERROR_DIR_NOT_EMPTY if it has entries).</summary>
    public static bool RemoveDirectory(string lpPathName) => DeleteByName(lpPathName, FILE_DIRECTORY_FILE);

    /// <summary>DeleteFileW: the file is deleted when this open closes.</summary>
    public static bool DeleteFile(string lpFileName) => DeleteByName(lpFileName, FILE_NON_DIRECTORY_FILE);

    private static bool DeleteByName(string path, uint kind)
    {
        var handle = OpenForNames(DosPath.ToNtPath(path), DELETE | SYNCHRONIZE, kind | FILE_SYNCHRONOUS_IO_NONALERT | FILE_OPEN_FOR_BACKUP_INTENT,
            out var status);
        if (handle == INVALID_HANDLE_VALUE)
        {
            BaseSetLastNTError(status);
            return false;
        }

        using var frame = UserStack.Frame();
        var disposition = frame.Alloc(8);
        Memory.Write(disposition, 1UL);
        status = NtSetInformationFile(handle, frame.Alloc(IoStatusBlockSize), disposition, 1, FileDispositionInformation);
        NtClose(handle);
        return Check(status);
    }

    /// <summary>
    /// MoveFileW: renames or moves a file or directory (NtSetInformationFile with FileRenameInformation
    /// naming the full target path); an existing target is ERROR_ALREADY_EXISTS.
    /// </summary>
    public static bool MoveFile(string lpExistingFileName, string lpNewFileName)
    {
        var handle = OpenForNames(DosPath.ToNtPath(lpExistingFileName), DELETE | SYNCHRONIZE,
            FILE_SYNCHRONOUS_IO_NONALERT | FILE_OPEN_FOR_BACKUP_INTENT, out var status);
        if (handle == INVALID_HANDLE_VALUE)
        {
            BaseSetLastNTError(status);
            return false;
        }

        var target = Encoding.Unicode.GetBytes(DosPath.ToNtPath(lpNewFileName));
        using var frame = UserStack.Frame();
        var info = frame.Alloc(20 + target.Length);
        Memory.Write(info, 0UL);            // ReplaceIfExists = FALSE (and padding)
        Memory.Write(info + 8, 0UL);        // RootDirectory
        Memory.Write(info + 16, (uint)target.Length);
        Memory.Write(info + 20, target);
        status = NtSetInformationFile(handle, frame.Alloc(IoStatusBlockSize), info, (uint)(20 + target.Length), FileRenameInformation);
        NtClose(handle);
        return Check(status);
    }

    /// <summary>GetFileSizeEx: the file's end-of-file position (FileStandardInformation).</summary>
    public static bool GetFileSizeEx(nint hFile, out long lpFileSize)
    {
        lpFileSize = 0;
        using var frame = UserStack.Frame();
        var info = frame.Alloc(24);
        var status = NtQueryInformationFile(hFile, frame.Alloc(IoStatusBlockSize), info, 24, FileStandardInformation);
        if (!NT_SUCCESS(status))
        {
            BaseSetLastNTError(status);
            return false;
        }

        lpFileSize = Memory.Read<long>(info + 8);
        return true;
    }

    /// <summary>GetFileAttributesW: the attributes (FileBasicInformation), or INVALID_FILE_ATTRIBUTES with the last error set.</summary>
    public static uint GetFileAttributes(string lpFileName)
    {
        var handle = OpenForNames(DosPath.ToNtPath(lpFileName), FILE_READ_ATTRIBUTES | SYNCHRONIZE,
            FILE_SYNCHRONOUS_IO_NONALERT | FILE_OPEN_FOR_BACKUP_INTENT, out var status);
        if (handle == INVALID_HANDLE_VALUE)
        {
            BaseSetLastNTError(status);
            return INVALID_FILE_ATTRIBUTES;
        }

        using var frame = UserStack.Frame();
        var info = frame.Alloc(40);
        status = NtQueryInformationFile(handle, frame.Alloc(IoStatusBlockSize), info, 40, FileBasicInformation);
        NtClose(handle);
        if (!NT_SUCCESS(status))
        {
            BaseSetLastNTError(status);
            return INVALID_FILE_ATTRIBUTES;
        }

        return Memory.Read<uint>(info + 32);
    }

    /// <summary>SetEndOfFile at <paramref name="length"/> (SetFilePointerEx + SetEndOfFile in one: FileEndOfFileInformation).</summary>
    public static bool SetFileLength(nint hFile, long length)
    {
        using var frame = UserStack.Frame();
        var info = frame.Alloc(8);
        Memory.Write(info, length);
        return Check(NtSetInformationFile(hFile, frame.Alloc(IoStatusBlockSize), info, 8, FileEndOfFileInformation));
    }

    /// <summary>(DWORD)-1: GetFileAttributes's failure value.</summary>
    public const uint INVALID_FILE_ATTRIBUTES = 0xFFFFFFFF;

    /// <summary>NtOpenFile of an NT path sharing read, write and delete; INVALID_HANDLE_VALUE and the status on failure.</summary>
    private static nint OpenForNames(string ntPath, uint access, uint options, out int status)
    {
        using var frame = UserStack.Frame();
        var handle = frame.Alloc(8);
        var iosb = frame.Alloc(IoStatusBlockSize);
        var oa = frame.ObjectAttributes(ntPath, OBJ_CASE_INSENSITIVE);
        status = NtOpenFile(handle, access, oa, iosb, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, options);
        return NT_SUCCESS(status) ? (nint)Memory.Read<ulong>(handle) : INVALID_HANDLE_VALUE;
    }
}
