namespace SharpNT.Kernel.Mm;

/// <summary>
/// The priority of a system mapping request (wdm.h MM_PAGE_PRIORITY). MmGetSystemAddressForMdlSafe also
/// takes the MdlMappingNoWrite and MdlMappingNoExecute bits ORed into this value.
/// </summary>
public enum MM_PAGE_PRIORITY : uint
{
    LowPagePriority = 0,
    NormalPagePriority = 16,
    HighPagePriority = 32,
}
