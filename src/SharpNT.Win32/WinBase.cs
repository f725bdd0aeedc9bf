namespace SharpNT.Win32;

/// <summary>winnt.h and winbase.h constants the Win32 surface takes and returns, with their documented values.</summary>
public static class WinBase
{
    public const uint GENERIC_READ = 0x80000000;
    public const uint GENERIC_WRITE = 0x40000000;
    public const uint GENERIC_EXECUTE = 0x20000000;
    public const uint GENERIC_ALL = 0x10000000;
    public const uint SYNCHRONIZE = 0x00100000;

    /// <summary>OpenProcess access: TerminateProcess.</summary>
    public const uint PROCESS_TERMINATE = 0x0001;
    public const uint DELETE = 0x00010000;
    public const uint FILE_READ_DATA = 0x0001;
    public const uint FILE_LIST_DIRECTORY = 0x0001;
    public const uint FILE_WRITE_DATA = 0x0002;
    public const uint FILE_APPEND_DATA = 0x0004;
    public const uint FILE_READ_ATTRIBUTES = 0x0080;
    public const uint FILE_WRITE_ATTRIBUTES = 0x0100;

    public const uint FILE_SHARE_READ = 0x1;
    public const uint FILE_SHARE_WRITE = 0x2;
    public const uint FILE_SHARE_DELETE = 0x4;

    public const uint CREATE_NEW = 1;
    public const uint CREATE_ALWAYS = 2;
    public const uint OPEN_EXISTING = 3;
    public const uint OPEN_ALWAYS = 4;
    public const uint TRUNCATE_EXISTING = 5;

    public const uint FILE_ATTRIBUTE_READONLY = 0x1;
    public const uint FILE_ATTRIBUTE_HIDDEN = 0x2;
    public const uint FILE_ATTRIBUTE_SYSTEM = 0x4;
    public const uint FILE_ATTRIBUTE_DIRECTORY = 0x10;
    public const uint FILE_ATTRIBUTE_ARCHIVE = 0x20;
    public const uint FILE_ATTRIBUTE_NORMAL = 0x80;
    public const uint FILE_FLAG_OVERLAPPED = 0x40000000;
    public const uint FILE_FLAG_NO_BUFFERING = 0x20000000;
    public const uint FILE_FLAG_WRITE_THROUGH = 0x80000000;
    public const uint FILE_FLAG_BACKUP_SEMANTICS = 0x02000000;
    public const uint FILE_FLAG_DELETE_ON_CLOSE = 0x04000000;

    public const uint MEM_COMMIT = 0x1000;
    public const uint MEM_RESERVE = 0x2000;
    public const uint MEM_RELEASE = 0x8000;

    /// <summary>CreateThread's dwCreationFlags: the thread starts suspended.</summary>
    public const uint CREATE_SUSPENDED = 0x4;
    public const uint PAGE_NOACCESS = 0x01;
    public const uint PAGE_READONLY = 0x02;
    public const uint PAGE_READWRITE = 0x04;

    public const uint LOCKFILE_FAIL_IMMEDIATELY = 0x00000001;
    public const uint LOCKFILE_EXCLUSIVE_LOCK = 0x00000002;

    public const uint INFINITE = 0xFFFFFFFF;
    public const uint WAIT_OBJECT_0 = 0;
    public const uint WAIT_ABANDONED = 0x80;
    public const uint WAIT_IO_COMPLETION = 0xC0;
    public const uint WAIT_TIMEOUT = 0x102;
    public const uint WAIT_FAILED = 0xFFFFFFFF;

    public const uint STD_INPUT_HANDLE = unchecked((uint)-10);
    public const uint STD_OUTPUT_HANDLE = unchecked((uint)-11);
    public const uint STD_ERROR_HANDLE = unchecked((uint)-12);

    /// <summary>(HANDLE)-1: what CreateFile returns on failure.</summary>
    public const nint INVALID_HANDLE_VALUE = -1;

    /// <summary>GetExitCodeProcess's value for a process that has not ended (STATUS_PENDING).</summary>
    public const uint STILL_ACTIVE = 0x103;

    /// <summary>OVERLAPPED: Internal (the status), InternalHigh (the bytes), Offset, OffsetHigh, hEvent.</summary>
    public const int OVERLAPPED_Internal = 0x00;
    public const int OVERLAPPED_InternalHigh = 0x08;
    public const int OVERLAPPED_Offset = 0x10;
    public const int OVERLAPPED_OffsetHigh = 0x14;
    public const int OVERLAPPED_hEvent = 0x18;
    public const int SizeOfOVERLAPPED = 0x20;
}
