namespace SharpNT.Kernel;

/// <summary>
/// Win32 error codes (winerror.h) with their documented names and values: what GetLastError returns after a
/// Win32-shaped call fails, and what RtlNtStatusToDosError turns an NTSTATUS into.
/// </summary>
public static class Win32Error
{
    public const uint ERROR_SUCCESS = 0;
    public const uint ERROR_INVALID_FUNCTION = 1;
    public const uint ERROR_FILE_NOT_FOUND = 2;
    public const uint ERROR_PATH_NOT_FOUND = 3;
    public const uint ERROR_TOO_MANY_OPEN_FILES = 4;
    public const uint ERROR_ACCESS_DENIED = 5;
    public const uint ERROR_INVALID_HANDLE = 6;
    public const uint ERROR_NOT_ENOUGH_MEMORY = 8;
    public const uint ERROR_INVALID_DATA = 13;
    public const uint ERROR_OUTOFMEMORY = 14;
    public const uint ERROR_NOT_SAME_DEVICE = 17;
    public const uint ERROR_NO_MORE_FILES = 18;
    public const uint ERROR_WRITE_PROTECT = 19;
    public const uint ERROR_NOT_READY = 21;
    public const uint ERROR_BAD_COMMAND = 22;
    public const uint ERROR_CRC = 23;
    public const uint ERROR_BAD_LENGTH = 24;
    public const uint ERROR_SECTOR_NOT_FOUND = 27;
    public const uint ERROR_GEN_FAILURE = 31;
    public const uint ERROR_SHARING_VIOLATION = 32;
    public const uint ERROR_LOCK_VIOLATION = 33;
    public const uint ERROR_HANDLE_EOF = 38;
    public const uint ERROR_HANDLE_DISK_FULL = 39;
    public const uint ERROR_NOT_SUPPORTED = 50;
    public const uint ERROR_DEV_NOT_EXIST = 55;
    public const uint ERROR_UNEXP_NET_ERR = 59;
    public const uint ERROR_FILE_EXISTS = 80;
    public const uint ERROR_INVALID_PARAMETER = 87;
    public const uint ERROR_BROKEN_PIPE = 109;
    public const uint ERROR_DISK_FULL = 112;
    public const uint ERROR_SEM_TIMEOUT = 121;
    public const uint ERROR_INSUFFICIENT_BUFFER = 122;
    public const uint ERROR_INVALID_NAME = 123;
    public const uint ERROR_INVALID_LEVEL = 124;
    public const uint ERROR_MOD_NOT_FOUND = 126;
    public const uint ERROR_PROC_NOT_FOUND = 127;

    /// <summary>winerror.h gives the filter-manager errors in HRESULT form (facility 0x1F).</summary>
    public const uint ERROR_FLT_INSTANCE_ALTITUDE_COLLISION = 0x801F0011;
    public const uint ERROR_NEGATIVE_SEEK = 131;
    public const uint ERROR_SIGNAL_REFUSED = 156;
    public const uint ERROR_DIR_NOT_EMPTY = 145;
    public const uint ERROR_NOT_LOCKED = 158;
    public const uint ERROR_BAD_PATHNAME = 161;
    public const uint ERROR_BUSY = 170;
    public const uint ERROR_ALREADY_EXISTS = 183;
    public const uint ERROR_FILENAME_EXCED_RANGE = 206;
    public const uint ERROR_MORE_DATA = 234;
    public const uint ERROR_WAIT_TIMEOUT = 258;
    public const uint ERROR_NO_MORE_ITEMS = 259;
    public const uint ERROR_DIRECTORY = 267;
    public const uint ERROR_NOT_OWNER = 288;
    public const uint ERROR_TOO_MANY_POSTS = 298;
    public const uint ERROR_INVALID_LOCK_RANGE = 307;
    public const uint ERROR_MR_MID_NOT_FOUND = 317;
    public const uint ERROR_INVALID_ADDRESS = 487;
    public const uint ERROR_ARITHMETIC_OVERFLOW = 534;
    public const uint ERROR_INVALID_DEVICE_OBJECT_PARAMETER = 650;
    public const uint ERROR_PLUGPLAY_QUERY_VETOED = 683;
    public const uint ERROR_OPERATION_ABORTED = 995;
    public const uint ERROR_IO_INCOMPLETE = 996;
    public const uint ERROR_IO_PENDING = 997;
    public const uint ERROR_NOACCESS = 998;
    public const uint ERROR_SWAPERROR = 999;
    public const uint ERROR_STACK_OVERFLOW = 1001;
    public const uint ERROR_UNRECOGNIZED_VOLUME = 1005;
    public const uint ERROR_FILE_INVALID = 1006;
    public const uint ERROR_NO_TOKEN = 1008;
    public const uint ERROR_KEY_DELETED = 1018;
    public const uint ERROR_CHILD_MUST_BE_VOLATILE = 1021;
    public const uint ERROR_NOTIFY_ENUM_DIR = 1022;
    public const uint ERROR_SERVICE_DOES_NOT_EXIST = 1060;
    public const uint ERROR_IO_DEVICE = 1117;
    public const uint ERROR_NOT_FOUND = 1168;
    public const uint ERROR_NOT_ALL_ASSIGNED = 1300;
    public const uint ERROR_SOME_NOT_MAPPED = 1301;
    public const uint ERROR_UNKNOWN_REVISION = 1305;
    public const uint ERROR_REVISION_MISMATCH = 1306;
    public const uint ERROR_NO_SUCH_PRIVILEGE = 1313;
    public const uint ERROR_PRIVILEGE_NOT_HELD = 1314;
    public const uint ERROR_INVALID_ACL = 1336;
    public const uint ERROR_INVALID_SID = 1337;
    public const uint ERROR_INVALID_SECURITY_DESCR = 1338;
    public const uint ERROR_ALLOTTED_SPACE_EXCEEDED = 1344;
    public const uint ERROR_INTERNAL_ERROR = 1359;
    public const uint ERROR_FILE_CORRUPT = 1392;
    public const uint ERROR_NO_SYSTEM_RESOURCES = 1450;
    public const uint ERROR_COMMITMENT_LIMIT = 1455;
    public const uint ERROR_TIMEOUT = 1460;
    public const uint ERROR_DEVICE_REMOVED = 1617;
    public const uint ERROR_INVALID_USER_BUFFER = 1784;
    public const uint ERROR_UNRECOGNIZED_MEDIA = 1785;
    public const uint ERROR_NOT_ENOUGH_QUOTA = 1816;
    public const uint ERROR_BAD_DRIVER = 2001;
    public const uint ERROR_OPEN_FILES = 2401;
    public const uint ERROR_REPARSE_POINT_ENCOUNTERED = 4395;
}
