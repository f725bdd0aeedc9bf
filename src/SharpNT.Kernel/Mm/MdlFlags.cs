using static SharpNT.Kernel.Io.MDL_FLAGS;

namespace SharpNT.Kernel.Mm;

/// <summary>
/// The MDL bits the memory manager needs beyond MDL_FLAGS (wdm.h): the mapping-flag mask and the
/// MmGetSystemAddressForMdlSafe priority bits.
/// </summary>
public static class MdlFlags
{
    /// <summary>MDL_MAPPING_FLAGS: the flags that say the MDL already has a system address.</summary>
    public const ushort MDL_MAPPING_FLAGS = MDL_MAPPED_TO_SYSTEM_VA | MDL_PAGES_LOCKED | MDL_SOURCE_IS_NONPAGED_POOL
        | MDL_PARTIAL_HAS_BEEN_MAPPED | MDL_PARENT_MAPPED_SYSTEM_VA | MDL_IO_SPACE;

    /// <summary>MdlMappingNoWrite: a priority bit asking for a read-only system mapping.</summary>
    public const uint MdlMappingNoWrite = 0x80000000;

    /// <summary>MdlMappingNoExecute: a priority bit asking for a non-executable system mapping.</summary>
    public const uint MdlMappingNoExecute = 0x40000000;
}
