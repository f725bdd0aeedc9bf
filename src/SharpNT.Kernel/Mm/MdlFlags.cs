namespace SharpNT.Kernel.Mm;

/// <summary>MDL.MdlFlags bits (wdm.h).</summary>
public static class MdlFlags
{
    public const ushort MDL_MAPPED_TO_SYSTEM_VA = 0x0001;
    public const ushort MDL_PAGES_LOCKED = 0x0002;
    public const ushort MDL_SOURCE_IS_NONPAGED_POOL = 0x0004;
    public const ushort MDL_ALLOCATED_FIXED_SIZE = 0x0008;
    public const ushort MDL_PARTIAL = 0x0010;
    public const ushort MDL_PARTIAL_HAS_BEEN_MAPPED = 0x0020;
    public const ushort MDL_IO_PAGE_READ = 0x0040;
    public const ushort MDL_WRITE_OPERATION = 0x0080;
    public const ushort MDL_LOCKED_PAGE_TABLES = 0x0100;
    public const ushort MDL_PARENT_MAPPED_SYSTEM_VA = MDL_LOCKED_PAGE_TABLES;
    public const ushort MDL_FREE_EXTRA_PTES = 0x0200;
    public const ushort MDL_DESCRIBES_AWE = 0x0400;
    public const ushort MDL_IO_SPACE = 0x0800;
    public const ushort MDL_NETWORK_HEADER = 0x1000;
    public const ushort MDL_MAPPING_CAN_FAIL = 0x2000;
    public const ushort MDL_PAGE_CONTENTS_INVARIANT = 0x4000;
    public const ushort MDL_ALLOCATED_MUST_SUCCEED = MDL_PAGE_CONTENTS_INVARIANT;
    public const ushort MDL_INTERNAL = 0x8000;

    /// <summary>MDL_MAPPING_FLAGS: the flags that say the MDL already has a system address.</summary>
    public const ushort MDL_MAPPING_FLAGS = MDL_MAPPED_TO_SYSTEM_VA | MDL_PAGES_LOCKED | MDL_SOURCE_IS_NONPAGED_POOL
        | MDL_PARTIAL_HAS_BEEN_MAPPED | MDL_PARENT_MAPPED_SYSTEM_VA | MDL_IO_SPACE;

    /// <summary>MdlMappingNoWrite: a priority bit asking for a read-only system mapping.</summary>
    public const uint MdlMappingNoWrite = 0x80000000;

    /// <summary>MdlMappingNoExecute: a priority bit asking for a non-executable system mapping.</summary>
    public const uint MdlMappingNoExecute = 0x40000000;
}
