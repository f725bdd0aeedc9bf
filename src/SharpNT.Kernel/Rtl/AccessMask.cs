namespace SharpNT.Kernel;

/// <summary>
/// ACCESS_MASK values (winnt.h / wdm.h / ntifs.h): the standard rights in bits 16-20, the object-specific
/// rights in the low 16 bits, and the generic rights in the top four bits, which each object type maps to
/// its own rights through its GENERIC_MAPPING.
/// </summary>
public static class AccessMask
{
    // ---- Standard rights ---------------------------------------------------------------------------
    public const uint DELETE = 0x00010000;
    public const uint READ_CONTROL = 0x00020000;
    public const uint WRITE_DAC = 0x00040000;
    public const uint WRITE_OWNER = 0x00080000;
    public const uint SYNCHRONIZE = 0x00100000;
    public const uint STANDARD_RIGHTS_REQUIRED = 0x000F0000;
    public const uint STANDARD_RIGHTS_READ = READ_CONTROL;
    public const uint STANDARD_RIGHTS_WRITE = READ_CONTROL;
    public const uint STANDARD_RIGHTS_EXECUTE = READ_CONTROL;
    public const uint STANDARD_RIGHTS_ALL = 0x001F0000;
    public const uint SPECIFIC_RIGHTS_ALL = 0x0000FFFF;
    public const uint ACCESS_SYSTEM_SECURITY = 0x01000000;
    public const uint MAXIMUM_ALLOWED = 0x02000000;

    // ---- Generic rights ----------------------------------------------------------------------------
    public const uint GENERIC_READ = 0x80000000;
    public const uint GENERIC_WRITE = 0x40000000;
    public const uint GENERIC_EXECUTE = 0x20000000;
    public const uint GENERIC_ALL = 0x10000000;

    /// <summary>All four generic bits.</summary>
    internal const uint GENERIC_RIGHTS = GENERIC_READ | GENERIC_WRITE | GENERIC_EXECUTE | GENERIC_ALL;

    // ---- Object directories ------------------------------------------------------------------------
    public const uint DIRECTORY_QUERY = 0x0001;
    public const uint DIRECTORY_TRAVERSE = 0x0002;
    public const uint DIRECTORY_CREATE_OBJECT = 0x0004;
    public const uint DIRECTORY_CREATE_SUBDIRECTORY = 0x0008;
    public const uint DIRECTORY_ALL_ACCESS = STANDARD_RIGHTS_REQUIRED | 0xF;

    // ---- Symbolic links ----------------------------------------------------------------------------
    public const uint SYMBOLIC_LINK_QUERY = 0x0001;
    public const uint SYMBOLIC_LINK_ALL_ACCESS = STANDARD_RIGHTS_REQUIRED | 0x1;

    // ---- Object types ------------------------------------------------------------------------------
    public const uint OBJECT_TYPE_CREATE = 0x0001;
    public const uint OBJECT_TYPE_ALL_ACCESS = STANDARD_RIGHTS_REQUIRED | 0x1;

    // ---- Events, semaphores, mutants, timers --------------------------------------------------------
    public const uint EVENT_QUERY_STATE = 0x0001;
    public const uint EVENT_MODIFY_STATE = 0x0002;
    public const uint EVENT_ALL_ACCESS = STANDARD_RIGHTS_REQUIRED | SYNCHRONIZE | 0x3;

    public const uint SEMAPHORE_QUERY_STATE = 0x0001;
    public const uint SEMAPHORE_MODIFY_STATE = 0x0002;
    public const uint SEMAPHORE_ALL_ACCESS = STANDARD_RIGHTS_REQUIRED | SYNCHRONIZE | 0x3;

    public const uint MUTANT_QUERY_STATE = 0x0001;
    public const uint MUTANT_ALL_ACCESS = STANDARD_RIGHTS_REQUIRED | SYNCHRONIZE | MUTANT_QUERY_STATE;

    public const uint TIMER_QUERY_STATE = 0x0001;
    public const uint TIMER_MODIFY_STATE = 0x0002;
    public const uint TIMER_ALL_ACCESS = STANDARD_RIGHTS_REQUIRED | SYNCHRONIZE | TIMER_QUERY_STATE | TIMER_MODIFY_STATE;

    // ---- Threads -----------------------------------------------------------------------------------
    public const uint THREAD_TERMINATE = 0x0001;
    public const uint THREAD_SUSPEND_RESUME = 0x0002;
    public const uint THREAD_ALERT = 0x0004;
    public const uint THREAD_GET_CONTEXT = 0x0008;
    public const uint THREAD_SET_CONTEXT = 0x0010;
    public const uint THREAD_SET_INFORMATION = 0x0020;
    public const uint THREAD_QUERY_INFORMATION = 0x0040;
    public const uint THREAD_SET_THREAD_TOKEN = 0x0080;
    public const uint THREAD_IMPERSONATE = 0x0100;
    public const uint THREAD_DIRECT_IMPERSONATION = 0x0200;
    public const uint THREAD_SET_LIMITED_INFORMATION = 0x0400;
    public const uint THREAD_QUERY_LIMITED_INFORMATION = 0x0800;
    public const uint THREAD_RESUME = 0x1000;

    /// <summary>THREAD_ALL_ACCESS as Windows Vista and later define it.</summary>
    public const uint THREAD_ALL_ACCESS = STANDARD_RIGHTS_REQUIRED | SYNCHRONIZE | 0xFFFF;

    // ---- Processes ---------------------------------------------------------------------------------
    public const uint PROCESS_TERMINATE = 0x0001;
    public const uint PROCESS_CREATE_THREAD = 0x0002;
    public const uint PROCESS_SET_SESSIONID = 0x0004;
    public const uint PROCESS_VM_OPERATION = 0x0008;
    public const uint PROCESS_VM_READ = 0x0010;
    public const uint PROCESS_VM_WRITE = 0x0020;
    public const uint PROCESS_DUP_HANDLE = 0x0040;
    public const uint PROCESS_CREATE_PROCESS = 0x0080;
    public const uint PROCESS_SET_QUOTA = 0x0100;
    public const uint PROCESS_SET_INFORMATION = 0x0200;
    public const uint PROCESS_QUERY_INFORMATION = 0x0400;
    public const uint PROCESS_SUSPEND_RESUME = 0x0800;
    public const uint PROCESS_QUERY_LIMITED_INFORMATION = 0x1000;
    public const uint PROCESS_SET_LIMITED_INFORMATION = 0x2000;

    /// <summary>PROCESS_ALL_ACCESS as Windows Vista and later define it.</summary>
    public const uint PROCESS_ALL_ACCESS = STANDARD_RIGHTS_REQUIRED | SYNCHRONIZE | 0xFFFF;

    // ---- Files and devices ---------------------------------------------------------------------------
    public const uint FILE_READ_DATA = 0x0001;
    public const uint FILE_LIST_DIRECTORY = 0x0001;
    public const uint FILE_WRITE_DATA = 0x0002;
    public const uint FILE_ADD_FILE = 0x0002;
    public const uint FILE_APPEND_DATA = 0x0004;
    public const uint FILE_ADD_SUBDIRECTORY = 0x0004;
    public const uint FILE_CREATE_PIPE_INSTANCE = 0x0004;
    public const uint FILE_READ_EA = 0x0008;
    public const uint FILE_WRITE_EA = 0x0010;
    public const uint FILE_EXECUTE = 0x0020;
    public const uint FILE_TRAVERSE = 0x0020;
    public const uint FILE_DELETE_CHILD = 0x0040;
    public const uint FILE_READ_ATTRIBUTES = 0x0080;
    public const uint FILE_WRITE_ATTRIBUTES = 0x0100;
    public const uint FILE_ALL_ACCESS = STANDARD_RIGHTS_REQUIRED | SYNCHRONIZE | 0x1FF;

    public const uint FILE_GENERIC_READ =
        STANDARD_RIGHTS_READ | FILE_READ_DATA | FILE_READ_ATTRIBUTES | FILE_READ_EA | SYNCHRONIZE;

    public const uint FILE_GENERIC_WRITE =
        STANDARD_RIGHTS_WRITE | FILE_WRITE_DATA | FILE_WRITE_ATTRIBUTES | FILE_WRITE_EA | FILE_APPEND_DATA | SYNCHRONIZE;

    public const uint FILE_GENERIC_EXECUTE =
        STANDARD_RIGHTS_EXECUTE | FILE_READ_ATTRIBUTES | FILE_EXECUTE | SYNCHRONIZE;

    // ---- Registry keys -------------------------------------------------------------------------------
    public const uint KEY_QUERY_VALUE = 0x0001;
    public const uint KEY_SET_VALUE = 0x0002;
    public const uint KEY_CREATE_SUB_KEY = 0x0004;
    public const uint KEY_ENUMERATE_SUB_KEYS = 0x0008;
    public const uint KEY_NOTIFY = 0x0010;
    public const uint KEY_CREATE_LINK = 0x0020;
    public const uint KEY_WOW64_64KEY = 0x0100;
    public const uint KEY_WOW64_32KEY = 0x0200;
    public const uint KEY_READ = (STANDARD_RIGHTS_READ | KEY_QUERY_VALUE | KEY_ENUMERATE_SUB_KEYS | KEY_NOTIFY) & ~SYNCHRONIZE;
    public const uint KEY_WRITE = (STANDARD_RIGHTS_WRITE | KEY_SET_VALUE | KEY_CREATE_SUB_KEY) & ~SYNCHRONIZE;
    public const uint KEY_EXECUTE = KEY_READ & ~SYNCHRONIZE;

    public const uint KEY_ALL_ACCESS = (STANDARD_RIGHTS_ALL | KEY_QUERY_VALUE | KEY_SET_VALUE | KEY_CREATE_SUB_KEY
        | KEY_ENUMERATE_SUB_KEYS | KEY_NOTIFY | KEY_CREATE_LINK) & ~SYNCHRONIZE;

    // ---- Sections ------------------------------------------------------------------------------------
    public const uint SECTION_QUERY = 0x0001;
    public const uint SECTION_MAP_WRITE = 0x0002;
    public const uint SECTION_MAP_READ = 0x0004;
    public const uint SECTION_MAP_EXECUTE = 0x0008;
    public const uint SECTION_EXTEND_SIZE = 0x0010;
    public const uint SECTION_MAP_EXECUTE_EXPLICIT = 0x0020;

    public const uint SECTION_ALL_ACCESS = STANDARD_RIGHTS_REQUIRED | SECTION_QUERY | SECTION_MAP_WRITE | SECTION_MAP_READ
        | SECTION_MAP_EXECUTE | SECTION_EXTEND_SIZE;

    // ---- Access tokens -------------------------------------------------------------------------------
    public const uint TOKEN_ASSIGN_PRIMARY = 0x0001;
    public const uint TOKEN_DUPLICATE = 0x0002;
    public const uint TOKEN_IMPERSONATE = 0x0004;
    public const uint TOKEN_QUERY = 0x0008;
    public const uint TOKEN_QUERY_SOURCE = 0x0010;
    public const uint TOKEN_ADJUST_PRIVILEGES = 0x0020;
    public const uint TOKEN_ADJUST_GROUPS = 0x0040;
    public const uint TOKEN_ADJUST_DEFAULT = 0x0080;
    public const uint TOKEN_ADJUST_SESSIONID = 0x0100;
    public const uint TOKEN_ALL_ACCESS = STANDARD_RIGHTS_REQUIRED | 0x1FF;
    public const uint TOKEN_READ = STANDARD_RIGHTS_READ | TOKEN_QUERY;
    public const uint TOKEN_WRITE = STANDARD_RIGHTS_WRITE | TOKEN_ADJUST_PRIVILEGES | TOKEN_ADJUST_GROUPS | TOKEN_ADJUST_DEFAULT;
    public const uint TOKEN_EXECUTE = STANDARD_RIGHTS_EXECUTE;
}
