namespace SharpNT.Win32;

/// <summary>The winerror.h codes programs compare GetLastError with (the subset the Win32 surface here produces most).</summary>
public static class WinError
{
    public const uint ERROR_SUCCESS = 0;
    public const uint ERROR_INVALID_FUNCTION = 1;
    public const uint ERROR_FILE_NOT_FOUND = 2;
    public const uint ERROR_PATH_NOT_FOUND = 3;
    public const uint ERROR_ACCESS_DENIED = 5;
    public const uint ERROR_INVALID_HANDLE = 6;
    public const uint ERROR_NOT_ENOUGH_MEMORY = 8;
    public const uint ERROR_GEN_FAILURE = 31;
    public const uint ERROR_SHARING_VIOLATION = 32;
    public const uint ERROR_LOCK_VIOLATION = 33;
    public const uint ERROR_HANDLE_EOF = 38;
    public const uint ERROR_NOT_SUPPORTED = 50;
    public const uint ERROR_FILE_EXISTS = 80;
    public const uint ERROR_INVALID_PARAMETER = 87;
    public const uint ERROR_INSUFFICIENT_BUFFER = 122;
    public const uint ERROR_INVALID_NAME = 123;
    public const uint ERROR_DIR_NOT_EMPTY = 145;
    public const uint ERROR_NOT_LOCKED = 158;
    public const uint ERROR_SIGNAL_REFUSED = 156;
    public const uint ERROR_ALREADY_EXISTS = 183;
    public const uint ERROR_MORE_DATA = 234;
    public const uint ERROR_NO_MORE_FILES = 18;
    public const uint ERROR_OPERATION_ABORTED = 995;
    public const uint ERROR_IO_INCOMPLETE = 996;
    public const uint ERROR_IO_PENDING = 997;
    public const uint ERROR_NOACCESS = 998;
}
