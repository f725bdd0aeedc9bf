namespace SharpNT.Kernel.Mm;

/// <summary>
/// NT's internal page protection codes (the 5-bit MM_* values a software PTE carries) and their mapping
/// from the Win32 PAGE_* constants.
/// </summary>
internal static class MmProtection
{
    public const uint MM_ZERO_ACCESS = 0;
    public const uint MM_READONLY = 1;
    public const uint MM_EXECUTE = 2;
    public const uint MM_EXECUTE_READ = 3;
    public const uint MM_READWRITE = 4;
    public const uint MM_WRITECOPY = 5;
    public const uint MM_EXECUTE_READWRITE = 6;
    public const uint MM_EXECUTE_WRITECOPY = 7;
    public const uint MM_NOACCESS = 0x18;

    public static bool IsWritable(uint mm) => (mm & 7) is MM_READWRITE or MM_WRITECOPY or MM_EXECUTE_READWRITE or MM_EXECUTE_WRITECOPY;

    public static bool IsExecutable(uint mm) => (mm & 7) is MM_EXECUTE or MM_EXECUTE_READ or MM_EXECUTE_READWRITE or MM_EXECUTE_WRITECOPY;

    public static bool IsAccessible(uint mm) => mm != MM_NOACCESS && mm != MM_ZERO_ACCESS;

    /// <summary>The MM code for a PAGE_* value; false for a value NtAllocateVirtualMemory would reject.</summary>
    public static bool TryFromPageProtection(uint protect, out uint mm)
    {
        mm = protect switch
        {
            PageProtection.PAGE_NOACCESS => MM_NOACCESS,
            PageProtection.PAGE_READONLY => MM_READONLY,
            PageProtection.PAGE_READWRITE => MM_READWRITE,
            PageProtection.PAGE_WRITECOPY => MM_WRITECOPY,
            PageProtection.PAGE_EXECUTE => MM_EXECUTE,
            PageProtection.PAGE_EXECUTE_READ => MM_EXECUTE_READ,
            PageProtection.PAGE_EXECUTE_READWRITE => MM_EXECUTE_READWRITE,
            PageProtection.PAGE_EXECUTE_WRITECOPY => MM_EXECUTE_WRITECOPY,
            _ => uint.MaxValue,
        };
        return mm != uint.MaxValue;
    }

    public static uint ToPageProtection(uint mm) => mm switch
    {
        MM_NOACCESS => PageProtection.PAGE_NOACCESS,
        MM_READONLY => PageProtection.PAGE_READONLY,
        MM_READWRITE => PageProtection.PAGE_READWRITE,
        MM_WRITECOPY => PageProtection.PAGE_WRITECOPY,
        MM_EXECUTE => PageProtection.PAGE_EXECUTE,
        MM_EXECUTE_READ => PageProtection.PAGE_EXECUTE_READ,
        MM_EXECUTE_READWRITE => PageProtection.PAGE_EXECUTE_READWRITE,
        MM_EXECUTE_WRITECOPY => PageProtection.PAGE_EXECUTE_WRITECOPY,
        _ => PageProtection.PAGE_NOACCESS,
    };
}
