using SharpNT.Kernel.Io;

namespace SharpNT.Drivers.Fastfat;

/// <summary>
/// The nonpaged part of an FCB (FILE_OBJECT.FsContext): every open of one file shares its address and the
/// SHARE_ACCESS counters at its start, which IoCheckShareAccess and IoRemoveShareAccess update.
/// </summary>
internal sealed class FatFcbBlock
{
    public required ulong Address { get; init; }

    public SHARE_ACCESS ShareAccess => new(Address);

    /// <summary>File objects opened on the FCB and not yet closed.</summary>
    public int Opens { get; set; }

    /// <summary>File objects not yet cleaned up (NT's UncleanCount): delete-on-close acts when it reaches 0.</summary>
    public int Uncleaned { get; set; }
}
