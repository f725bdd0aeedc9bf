using SharpNT.Kernel.Io;

namespace SharpNT.Drivers.Fastfat;

/// <summary>
/// The nonpaged part of an FCB (FILE_OBJECT.FsContext): every open of one file shares its address and the
/// SHARE_ACCESS counters at its start, which IoCheckShareAccess and IoRemoveShareAccess update, and the
/// stream's SECTION_OBJECT_POINTERS after them, which FILE_OBJECT.SectionObjectPointer of each open points at.
/// </summary>
internal sealed class FatFcbBlock
{
    /// <summary>Offset of SECTION_OBJECT_POINTERS in the block (after the 0x1C-byte SHARE_ACCESS, 8-aligned).</summary>
    public const int SectionObjectPointersOffset = 0x20;

    /// <summary>Bytes of the block: SHARE_ACCESS, then SECTION_OBJECT_POINTERS.</summary>
    public const int Size = SectionObjectPointersOffset + 0x18;

    public required ulong Address { get; init; }

    public SHARE_ACCESS ShareAccess => new(Address);

    /// <summary>The address of the stream's SECTION_OBJECT_POINTERS.</summary>
    public ulong SectionObjectPointers => Address + SectionObjectPointersOffset;

    /// <summary>File objects on this FCB with caching set up (a PrivateCacheMap); the shared cache map goes with the last.</summary>
    public int CachedOpens { get; set; }

    /// <summary>File objects opened on the FCB and not yet closed.</summary>
    public int Opens { get; set; }

    /// <summary>File objects not yet cleaned up (NT's UncleanCount): delete-on-close acts when it reaches 0.</summary>
    public int Uncleaned { get; set; }
}
