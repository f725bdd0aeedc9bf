using System.Diagnostics;

namespace SharpNT.Drivers.Fastfat;

/// <summary>One parsed directory entry: its short entry, its long name if a valid long-name run precedes it, and its slots.</summary>
[DebuggerDisplay("{Name} ({ShortName}) slots {FirstSlot}..{ShortSlot}")]
internal sealed class FatDirectoryEntry
{
    public FatDirectoryEntry(string? longName, FatDirent dirent, int firstSlot, int shortSlot)
    {
        LongName = longName;
        Dirent = dirent;
        FirstSlot = firstSlot;
        ShortSlot = shortSlot;
        ShortName = FatNames.ShortNameToCanonical(dirent.RawName);
        Name = longName ?? FatNames.ShortNameToDisplay(dirent.RawName, dirent.NtFlags);
    }

    /// <summary>The name NT shows: the long name, else the short name with its DIR_NTRes case.</summary>
    public string Name { get; }

    public string? LongName { get; }

    /// <summary>The short name as stored, "NAME.EXT".</summary>
    public string ShortName { get; }

    public FatDirent Dirent { get; }

    /// <summary>First slot (32-byte entry index) of the entry set: the first long-name entry, or the short entry.</summary>
    public int FirstSlot { get; }

    public int ShortSlot { get; }

    public bool IsDotEntry => Dirent.RawName is ".          " or "..         ";
}
