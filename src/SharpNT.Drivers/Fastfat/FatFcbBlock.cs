using SharpNT.Kernel.Io;

namespace SharpNT.Drivers.Fastfat;

/// <summary>
/// The nonpaged part of an FCB (FILE_OBJECT.FsContext): every open of one file shares its address and the
/// SHARE_ACCESS counters at its start, which IoCheckShareAccess and IoRemoveShareAccess update, the
/// stream's SECTION_OBJECT_POINTERS after them, which FILE_OBJECT.SectionObjectPointer of each open points at,
/// and the file's FILE_LOCK (fastfat's Fcb->Specific.Fcb.FileLock) for byte-range locks.
/// </summary>
internal sealed class FatFcbBlock
{
    /// <summary>Offset of SECTION_OBJECT_POINTERS in the block (after the 0x1C-byte SHARE_ACCESS, 8-aligned).</summary>
    public const int SectionObjectPointersOffset = 0x20;

    /// <summary>Offset of the FILE_LOCK (after the 0x18-byte SECTION_OBJECT_POINTERS).</summary>
    public const int FileLockOffset = SectionObjectPointersOffset + 0x18;

    /// <summary>Bytes of the block: SHARE_ACCESS, SECTION_OBJECT_POINTERS, then FILE_LOCK.</summary>
    public const int Size = FileLockOffset + SharpNT.Kernel.Ddi.Wdm.FILE_LOCK_SIZE;

    public required ulong Address { get; init; }

    public SHARE_ACCESS ShareAccess => new(Address);

    /// <summary>The file's byte-range locks (FsRtlInitializeFileLock at the block's making).</summary>
    public SharpNT.Kernel.FsRtl.FILE_LOCK FileLock => new(Address + FileLockOffset);

    /// <summary>The address of the stream's SECTION_OBJECT_POINTERS.</summary>
    public ulong SectionObjectPointers => Address + SectionObjectPointersOffset;

    /// <summary>File objects on this FCB with caching set up (a PrivateCacheMap); the shared cache map goes with the last.</summary>
    public int CachedOpens { get; set; }

    /// <summary>File objects opened on the FCB and not yet closed.</summary>
    public int Opens { get; set; }

    /// <summary>File objects not yet cleaned up (NT's UncleanCount): delete-on-close acts when it reaches 0.</summary>
    public int Uncleaned { get; set; }
}
