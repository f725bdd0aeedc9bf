namespace SharpNT.Kernel.Io;

/// <summary>
/// MDL.MdlFlags bits (wdm.h). The member is a CSHORT; the values are given unsigned so that MDL_INTERNAL
/// (0x8000) fits. wdm.h's MDL_MAPPING_FLAGS is omitted: mingw-w64 defines it in terms of an MDL_SYSTEM_VA
/// it never declares, so there is no header value to check it against.
/// </summary>
public static class MDL_FLAGS
{
    public const ushort MDL_MAPPED_TO_SYSTEM_VA = 0x0001;
    public const ushort MDL_PAGES_LOCKED = 0x0002;
    public const ushort MDL_SOURCE_IS_NONPAGED_POOL = 0x0004;
    public const ushort MDL_ALLOCATED_FIXED_SIZE = 0x0008;
    public const ushort MDL_PARTIAL = 0x0010;
    public const ushort MDL_PARTIAL_HAS_BEEN_MAPPED = 0x0020;
    public const ushort MDL_IO_PAGE_READ = 0x0040;
    public const ushort MDL_WRITE_OPERATION = 0x0080;
    public const ushort MDL_PARENT_MAPPED_SYSTEM_VA = 0x0100;
    public const ushort MDL_FREE_EXTRA_PTES = 0x0200;
    public const ushort MDL_DESCRIBES_AWE = 0x0400;
    public const ushort MDL_IO_SPACE = 0x0800;
    public const ushort MDL_NETWORK_HEADER = 0x1000;
    public const ushort MDL_MAPPING_CAN_FAIL = 0x2000;
    public const ushort MDL_ALLOCATED_MUST_SUCCEED = 0x4000;
    public const ushort MDL_INTERNAL = 0x8000;
}
