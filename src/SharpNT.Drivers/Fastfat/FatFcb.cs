using System.Diagnostics;

namespace SharpNT.Drivers.Fastfat;

/// <summary>
/// The file control block of one open file or directory (a DCB when <see cref="IsDirectory"/>), shared by
/// every open of it: its directory entry as cached in memory, where that entry lives in the parent, its
/// cluster map, and the counters the IRP layer needs (open count, share access).
/// </summary>
[DebuggerDisplay("{FullPath} opens {OpenCount}")]
internal sealed class FatFcb
{
    internal FatFcb(FatVolume volume, FatFcb? parent, FatDirectoryEntry? entry, FatDirectory? directory)
    {
        Volume = volume;
        Parent = parent;
        Directory = directory;
        if (entry is not null)
        {
            SetEntry(entry);
        }
        else
        {
            Name = string.Empty;
            ShortName = string.Empty;
            Dirent = new FatDirent { RawName = "           ", Attributes = FatAttributes.Directory };
        }
    }

    public FatVolume Volume { get; }

    /// <summary>The directory holding this file's entry; null for the root.</summary>
    public FatFcb? Parent { get; internal set; }

    public bool IsRoot => Parent is null;

    public bool IsDirectory => IsRoot || Dirent.IsDirectory;

    /// <summary>The entries of a directory (null for files).</summary>
    public FatDirectory? Directory { get; }

    /// <summary>The name NT shows (long name, else short name with its case).</summary>
    public string Name { get; private set; } = string.Empty;

    /// <summary>The 8.3 name as stored.</summary>
    public string ShortName { get; private set; } = string.Empty;

    public string? LongName { get; private set; }

    /// <summary>The short directory entry as the engine last wrote it.</summary>
    internal FatDirent Dirent;

    /// <summary>First slot of the entry set in the parent (first long-name entry or the short entry).</summary>
    public int DirentFirstSlot { get; private set; }

    /// <summary>Slot of the short entry in the parent.</summary>
    public int DirentShortSlot { get; private set; }

    internal FatClusterMap? Map { get; set; }

    public uint FirstCluster => IsRoot ? Volume.RootFirstCluster : Dirent.FirstCluster;

    /// <summary>End of file in bytes (directories: 0, as FAT records them).</summary>
    public long FileSize => IsDirectory ? 0 : Dirent.FileSize;

    /// <summary>Bytes allocated: the cluster chain's length in bytes.</summary>
    public long AllocationSize => (long)(Map?.ClusterCount ?? Volume.Fat.ChainLength(FirstCluster)) * Volume.BootSector.BytesPerCluster;

    public FatAttributes Attributes => Dirent.Attributes;

    /// <summary>Opens of this FCB (IRP_MJ_CREATE successes not yet matched by a close).</summary>
    public int OpenCount { get; internal set; }

    /// <summary>Opens plus child FCBs that keep this directory's FCB alive.</summary>
    internal int References { get; set; }

    /// <summary>Whether the FCB is in the volume's table (not yet deleted or torn down).</summary>
    internal bool InTable { get; set; }

    public FatShareAccess ShareAccess { get; } = new();

    /// <summary>
    /// FileDispositionInformation was set (NT's FCB_STATE_DELETE_ON_CLOSE): the IRP layer deletes the file at
    /// its last cleanup, and new opens fail with STATUS_DELETE_PENDING meanwhile.
    /// </summary>
    public bool DeletePending { get; internal set; }

    /// <summary>The file was deleted while open; its entry and clusters are gone.</summary>
    public bool IsDeleted { get; internal set; }

    public string FullPath => Parent is null ? "\\" : Parent.IsRoot ? "\\" + Name : Parent.FullPath + "\\" + Name;

    internal void SetEntry(FatDirectoryEntry entry)
    {
        Name = entry.Name;
        ShortName = entry.ShortName;
        LongName = entry.LongName;
        Dirent = entry.Dirent;
        DirentFirstSlot = entry.FirstSlot;
        DirentShortSlot = entry.ShortSlot;
    }

    /// <summary>The directory entry set as the parent holds it now (for removal or rename).</summary>
    internal FatDirectoryEntry ToEntry() => new(LongName, Dirent, DirentFirstSlot, DirentShortSlot);
}
