using System.Diagnostics;
using SharpNT.Kernel;

namespace SharpNT.Drivers.Fastfat;

/// <summary>
/// A directory's entries: the fixed root region of FAT12/16 or a cluster chain (subdirectories, FAT32 root).
/// Keeps a name index (long and short names, upper-cased, one namespace as Windows keeps it) and a slot map
/// so lookup and insertion do not rescan the directory; entries are read and written through the block cache.
/// </summary>
[DebuggerDisplay("Directory at cluster {FirstCluster}, {_liveEntries} entries")]
internal sealed class FatDirectory
{
    /// <summary>fatgen103: a directory holds at most 65,536 32-byte entries (2 MiB).</summary>
    public const int MaxSlots = 65536;

    private readonly FatVolume _volume;
    private readonly FatClusterMap? _map;
    private readonly char[] _longNameBuffer = new char[20 * FatLongNameEntry.CharactersPerEntry];
    private Dictionary<string, int>? _index;
    private bool[] _used = [];
    private int _endSlot;
    private int _freeBelowEnd;
    private int _firstFreeHint;
    private int _liveEntries;

    private FatDirectory(FatVolume volume, uint firstCluster, FatClusterMap? map, bool isRoot)
    {
        _volume = volume;
        FirstCluster = firstCluster;
        _map = map;
        IsRoot = isRoot;
    }

    /// <summary>First cluster of the directory (0 for the fixed FAT12/16 root).</summary>
    public uint FirstCluster { get; }

    public bool IsRoot { get; }

    public int CapacitySlots => _map is null
        ? _volume.BootSector.RootEntryCount
        : (int)Math.Min(int.MaxValue / FatDirent.Size, (long)_map.ClusterCount * _volume.BootSector.BytesPerCluster / FatDirent.Size);

    public static FatDirectory CreateFixedRoot(FatVolume volume) => new(volume, 0, null, isRoot: true);

    /// <summary>A directory on a cluster chain; STATUS_FILE_CORRUPT_ERROR when its chain is not allocated.</summary>
    public static NTSTATUS Open(FatVolume volume, uint firstCluster, bool isRoot, out FatDirectory? directory)
    {
        directory = null;
        var status = FatClusterMap.Build(volume.Fat, firstCluster, out var map);
        if (!status.IsSuccess())
        {
            return status;
        }

        if (map.ClusterCount == 0)
        {
            return NTSTATUS.STATUS_FILE_CORRUPT_ERROR;
        }

        directory = new FatDirectory(volume, firstCluster, map, isRoot);
        return NTSTATUS.STATUS_SUCCESS;
    }

    /// <summary>Finds an entry by long or short name, case-insensitively.</summary>
    public NTSTATUS Lookup(string name, out FatDirectoryEntry? entry)
    {
        entry = null;
        var status = EnsureIndexed();
        if (!status.IsSuccess())
        {
            return status;
        }

        var key = FatNames.UpcaseKey(name);
        for (var attempt = 0; attempt < 2; attempt++)
        {
            if (!_index!.TryGetValue(key, out var firstSlot))
            {
                return NTSTATUS.STATUS_OBJECT_NAME_NOT_FOUND;
            }

            status = NextEntry(firstSlot, out entry, out _);
            if (!status.IsSuccess())
            {
                return status;
            }

            if (entry is not null && (FatNames.UpcaseKey(entry.Name) == key || FatNames.UpcaseKey(entry.ShortName) == key))
            {
                return NTSTATUS.STATUS_SUCCESS;
            }

            // The entries changed under the index: only a corrupt volume whose directories share clusters
            // does that. Rebuild once from what is on disk.
            _index = null;
            status = EnsureIndexed();
            if (!status.IsSuccess())
            {
                return status;
            }
        }

        entry = null;
        return NTSTATUS.STATUS_FILE_CORRUPT_ERROR;
    }

    /// <summary>Whether the directory holds nothing but "." and ".." (and deleted entries).</summary>
    public NTSTATUS IsEmpty(out bool empty)
    {
        var status = EnsureIndexed();
        empty = status.IsSuccess() && _liveEntries == 0;
        return status;
    }

    /// <summary>Whether a raw short name is in use as a short or long name here (short-name generation asks this).</summary>
    public bool IsShortNameTaken(string rawName) =>
        _index!.ContainsKey(FatNames.UpcaseKey(FatNames.ShortNameToCanonical(rawName)));

    /// <summary>
    /// Reads the entry set starting at or after <paramref name="slot"/>: long-name entries whose ordinals,
    /// checksum and count agree bind to the short entry after them; anything else is ignored as orphaned.
    /// </summary>
    /// <param name="entry">The entry, or null at the end of the directory.</param>
    /// <param name="nextSlot">Where the following entry set starts.</param>
    public NTSTATUS NextEntry(int slot, out FatDirectoryEntry? entry, out int nextSlot)
    {
        entry = null;
        var capacity = CapacitySlots;
        var expected = -1;
        var count = 0;
        byte checksum = 0;
        var firstSlot = -1;
        for (; slot < capacity; slot++)
        {
            var status = PinSlot(slot, out var buffer, out var offset);
            if (!status.IsSuccess())
            {
                nextSlot = slot;
                return status;
            }

            var raw = buffer.AsSpan(offset, FatDirent.Size);
            if (raw[0] == 0)
            {
                break;
            }

            if (raw[0] == FatDirent.DeletedMarker)
            {
                expected = -1;
                continue;
            }

            if ((raw[11] & 0x3F) == (byte)FatAttributes.LongName)
            {
                var ordinal = raw[0] & 0x3F;
                if ((raw[0] & FatLongNameEntry.LastEntryFlag) != 0 && ordinal is >= 1 and <= 20)
                {
                    count = ordinal;
                    checksum = raw[13];
                    firstSlot = slot;
                    expected = ordinal - 1;
                    FatLongNameEntry.ReadCharacters(raw, _longNameBuffer.AsSpan((ordinal - 1) * FatLongNameEntry.CharactersPerEntry));
                }
                else if (expected > 0 && raw[0] == expected && raw[13] == checksum)
                {
                    FatLongNameEntry.ReadCharacters(raw, _longNameBuffer.AsSpan((expected - 1) * FatLongNameEntry.CharactersPerEntry));
                    expected--;
                }
                else
                {
                    expected = -1;
                }

                continue;
            }

            var dirent = FatDirent.Read(raw, _volume.IsFat32);
            string? longName = null;
            if (expected == 0 && checksum == FatNames.Checksum(dirent.RawName))
            {
                var chars = _longNameBuffer.AsSpan(0, count * FatLongNameEntry.CharactersPerEntry);
                var end = chars.IndexOf('\0');
                var length = end < 0 ? chars.Length : end;
                if (length is > 0 and <= FatNames.MaxLongNameLength)
                {
                    longName = new string(chars[..length]);
                }
            }

            entry = new FatDirectoryEntry(longName, dirent, longName is null ? slot : firstSlot, slot);
            nextSlot = slot + 1;
            return NTSTATUS.STATUS_SUCCESS;
        }

        nextSlot = slot;
        return NTSTATUS.STATUS_SUCCESS;
    }

    /// <summary>
    /// Writes a new entry set (long-name entries if <paramref name="longName"/> is given, then the short
    /// entry), reusing deleted slots or the end of the directory, and growing a chained directory by
    /// zeroed clusters when it is full.
    /// </summary>
    /// <returns>STATUS_DISK_FULL when the fixed root is full or no cluster is free (as NT's FAT does).</returns>
    public NTSTATUS AddEntry(string? longName, FatDirent dirent, out FatDirectoryEntry? entry)
    {
        entry = null;
        var status = EnsureIndexed();
        if (!status.IsSuccess())
        {
            return status;
        }

        var longCount = longName is null ? 0 : FatLongNameEntry.EntryCount(longName.Length);
        var needed = longCount + 1;
        status = FindFreeSlots(needed, out var first);
        if (!status.IsSuccess())
        {
            return status;
        }

        var checksum = FatNames.Checksum(dirent.RawName);
        Span<byte> raw = stackalloc byte[FatDirent.Size];
        for (var i = 0; i < longCount; i++)
        {
            // On disk the entry holding the end of the name comes first.
            FatLongNameEntry.Write(raw, longName!, longCount - i, checksum);
            status = WriteSlot(first + i, raw);
            if (!status.IsSuccess())
            {
                return status;
            }
        }

        raw.Clear();
        dirent.Write(raw, _volume.IsFat32);
        status = WriteSlot(first + longCount, raw);
        if (!status.IsSuccess())
        {
            return status;
        }

        status = MarkUsed(first, needed);
        if (!status.IsSuccess())
        {
            return status;
        }

        entry = new FatDirectoryEntry(longName, dirent, first, first + longCount);
        AddToIndex(entry);
        return NTSTATUS.STATUS_SUCCESS;
    }

    /// <summary>Marks every slot of the entry set deleted (0xE5), long-name entries included.</summary>
    public NTSTATUS RemoveEntry(FatDirectoryEntry entry)
    {
        var status = EnsureIndexed();
        if (!status.IsSuccess())
        {
            return status;
        }

        for (var slot = entry.FirstSlot; slot <= entry.ShortSlot; slot++)
        {
            status = PinSlot(slot, out var buffer, out var offset);
            if (!status.IsSuccess())
            {
                return status;
            }

            buffer[offset] = FatDirent.DeletedMarker;
            status = MarkSlotDirty(slot);
            if (!status.IsSuccess())
            {
                return status;
            }

            if (slot < _used.Length && _used[slot])
            {
                _used[slot] = false;
                _freeBelowEnd++;
            }
        }

        _firstFreeHint = Math.Min(_firstFreeHint, entry.FirstSlot);
        RemoveFromIndex(entry);
        return NTSTATUS.STATUS_SUCCESS;
    }

    /// <summary>Rewrites the short entry at <paramref name="shortSlot"/> (size, cluster, times, attributes).</summary>
    public NTSTATUS WriteDirent(int shortSlot, in FatDirent dirent)
    {
        Span<byte> raw = stackalloc byte[FatDirent.Size];
        dirent.Write(raw, _volume.IsFat32);
        return WriteSlot(shortSlot, raw);
    }

    /// <summary>Copies the raw bytes of slots (to restore an entry set after a failed rename).</summary>
    public NTSTATUS ReadSlots(int firstSlot, Span<byte> destination)
    {
        for (var i = 0; i < destination.Length / FatDirent.Size; i++)
        {
            var status = PinSlot(firstSlot + i, out var buffer, out var offset);
            if (!status.IsSuccess())
            {
                return status;
            }

            buffer.AsSpan(offset, FatDirent.Size).CopyTo(destination[(i * FatDirent.Size)..]);
        }

        return NTSTATUS.STATUS_SUCCESS;
    }

    /// <summary>Writes raw slots back and re-enters the entry into the index.</summary>
    public NTSTATUS RestoreEntry(FatDirectoryEntry entry, ReadOnlySpan<byte> slots)
    {
        for (var i = 0; i < slots.Length / FatDirent.Size; i++)
        {
            var status = WriteSlot(entry.FirstSlot + i, slots.Slice(i * FatDirent.Size, FatDirent.Size));
            if (!status.IsSuccess())
            {
                return status;
            }
        }

        var marked = MarkUsed(entry.FirstSlot, entry.ShortSlot - entry.FirstSlot + 1);
        if (marked.IsSuccess())
        {
            AddToIndex(entry);
        }

        return marked;
    }

    /// <summary>Writes the "." and ".." entries of a new directory (fatgen103: ".." is cluster 0 when the parent is the root).</summary>
    public NTSTATUS WriteDotEntries(in FatDirent self, uint parentCluster)
    {
        var dot = self with { RawName = ".          ", Attributes = FatAttributes.Directory, NtFlags = 0, FileSize = 0 };
        var dotDot = dot with { RawName = "..         ", FirstCluster = parentCluster };
        var status = WriteDirent(0, dot);
        return status.IsSuccess() ? WriteDirent(1, dotDot) : status;
    }

    /// <summary>Points ".." at a new parent after the directory moved.</summary>
    public NTSTATUS SetDotDotCluster(uint parentCluster)
    {
        var status = NextEntry(0, out var first, out var next);
        if (!status.IsSuccess() || first is null)
        {
            return status;
        }

        var candidate = first.Dirent.RawName == "..         " ? first : null;
        if (candidate is null)
        {
            status = NextEntry(next, out candidate, out _);
            if (!status.IsSuccess())
            {
                return status;
            }
        }

        if (candidate is null || candidate.Dirent.RawName != "..         ")
        {
            return NTSTATUS.STATUS_SUCCESS;
        }

        return WriteDirent(candidate.ShortSlot, candidate.Dirent with { FirstCluster = parentCluster });
    }

    private NTSTATUS EnsureIndexed()
    {
        if (_index is not null)
        {
            return NTSTATUS.STATUS_SUCCESS;
        }

        var capacity = CapacitySlots;
        var used = new bool[capacity];
        var end = capacity;
        var free = 0;
        for (var slot = 0; slot < capacity; slot++)
        {
            var status = PinSlot(slot, out var buffer, out var offset);
            if (!status.IsSuccess())
            {
                return status;
            }

            var first = buffer[offset];
            if (first == 0)
            {
                end = slot;
                break;
            }

            used[slot] = first != FatDirent.DeletedMarker;
            free += used[slot] ? 0 : 1;
        }

        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        _index = index;
        _used = used;
        _endSlot = end;
        _freeBelowEnd = free;
        _firstFreeHint = 0;
        _liveEntries = 0;
        for (var slot = 0; slot < end;)
        {
            var status = NextEntry(slot, out var entry, out var next);
            if (!status.IsSuccess())
            {
                _index = null;
                return status;
            }

            if (entry is null)
            {
                break;
            }

            AddToIndex(entry);
            slot = next;
        }

        return NTSTATUS.STATUS_SUCCESS;
    }

    private void AddToIndex(FatDirectoryEntry entry)
    {
        if (entry.IsDotEntry || entry.Dirent.IsVolumeLabel)
        {
            return;
        }

        _liveEntries++;
        _index!.TryAdd(FatNames.UpcaseKey(entry.Name), entry.FirstSlot);
        _index.TryAdd(FatNames.UpcaseKey(entry.ShortName), entry.FirstSlot);
    }

    private void RemoveFromIndex(FatDirectoryEntry entry)
    {
        if (entry.IsDotEntry || entry.Dirent.IsVolumeLabel)
        {
            return;
        }

        _liveEntries--;
        foreach (var key in new[] { FatNames.UpcaseKey(entry.Name), FatNames.UpcaseKey(entry.ShortName) })
        {
            if (_index!.TryGetValue(key, out var slot) && slot == entry.FirstSlot)
            {
                _index.Remove(key);
            }
        }
    }

    private NTSTATUS FindFreeSlots(int needed, out int first)
    {
        first = -1;
        if (_freeBelowEnd >= needed)
        {
            var run = 0;
            for (var slot = _firstFreeHint; slot < _endSlot; slot++)
            {
                if (_used[slot])
                {
                    run = 0;
                    continue;
                }

                if (run == 0)
                {
                    first = slot;
                }

                if (++run == needed)
                {
                    return NTSTATUS.STATUS_SUCCESS;
                }
            }
        }

        first = _endSlot;
        if (_endSlot + needed <= CapacitySlots)
        {
            return NTSTATUS.STATUS_SUCCESS;
        }

        return Grow(_endSlot + needed);
    }

    /// <summary>Adds zeroed clusters until <paramref name="slots"/> entries fit; the fixed root cannot grow.</summary>
    private NTSTATUS Grow(int slots)
    {
        if (_map is null || slots > MaxSlots)
        {
            return NTSTATUS.STATUS_DISK_FULL;
        }

        var clusterBytes = _volume.BootSector.BytesPerCluster;
        var neededBytes = (long)slots * FatDirent.Size;
        var clusters = (uint)((neededBytes - ((long)_map.ClusterCount * clusterBytes) + clusterBytes - 1) / clusterBytes);
        var runs = new List<FatRun>();
        var status = _volume.AllocateClusters(clusters, _map.LastCluster + 1, runs);
        if (!status.IsSuccess())
        {
            return status;
        }

        foreach (var run in runs)
        {
            status = _volume.Cache.Zero(_volume.BootSector.ClusterToSector(run.StartCluster),
                (long)run.Length * _volume.BootSector.SectorsPerCluster, metadata: true);
            if (!status.IsSuccess())
            {
                return status;
            }
        }

        _volume.Fat.Link(_map.LastCluster, runs[0].StartCluster);
        foreach (var run in runs)
        {
            _map.Append(run);
        }

        Array.Resize(ref _used, CapacitySlots);
        return NTSTATUS.STATUS_SUCCESS;
    }

    private NTSTATUS MarkUsed(int first, int count)
    {
        for (var slot = first; slot < first + count; slot++)
        {
            if (slot < _endSlot && !_used[slot])
            {
                _freeBelowEnd--;
            }

            _used[slot] = true;
        }

        if (first + count > _endSlot)
        {
            _endSlot = first + count;

            // Everything after the first 0x00 entry must be free (fatgen103); make sure the new end is one.
            if (_endSlot < CapacitySlots)
            {
                var status = PinSlot(_endSlot, out var buffer, out var offset);
                if (!status.IsSuccess())
                {
                    return status;
                }

                if (buffer[offset] != 0)
                {
                    buffer.AsSpan(offset, FatDirent.Size).Clear();
                    return MarkSlotDirty(_endSlot);
                }
            }
        }

        return NTSTATUS.STATUS_SUCCESS;
    }

    private NTSTATUS WriteSlot(int slot, ReadOnlySpan<byte> raw)
    {
        var status = PinSlot(slot, out var buffer, out var offset);
        if (!status.IsSuccess())
        {
            return status;
        }

        raw[..FatDirent.Size].CopyTo(buffer.AsSpan(offset));
        return MarkSlotDirty(slot);
    }

    private NTSTATUS MarkSlotDirty(int slot)
    {
        var status = Locate(slot, out var sector, out _, out _);
        if (status.IsSuccess())
        {
            _volume.Cache.MarkSectorDirty(sector, metadata: true);
        }

        return status;
    }

    private NTSTATUS PinSlot(int slot, out byte[] buffer, out int offset)
    {
        var status = Locate(slot, out var sector, out var inSector, out var runEnd);
        if (!status.IsSuccess())
        {
            buffer = [];
            offset = 0;
            return status;
        }

        status = _volume.Cache.PinSector(sector, runEnd, out buffer, out offset);
        offset += inSector;
        return status;
    }

    private NTSTATUS Locate(int slot, out long sector, out int offsetInSector, out long runEndSector)
    {
        var bootSector = _volume.BootSector;
        var byteOffset = (long)slot * FatDirent.Size;
        offsetInSector = (int)(byteOffset % bootSector.BytesPerSector);
        if (_map is null)
        {
            sector = bootSector.FirstRootDirectorySector + (byteOffset / bootSector.BytesPerSector);
            runEndSector = bootSector.FirstRootDirectorySector + bootSector.RootDirectorySectors;
            return NTSTATUS.STATUS_SUCCESS;
        }

        if (!_map.TryMap((uint)(byteOffset / bootSector.BytesPerCluster), out var cluster, out var contiguous))
        {
            sector = 0;
            runEndSector = 0;
            return NTSTATUS.STATUS_FILE_CORRUPT_ERROR;
        }

        var clusterSector = bootSector.ClusterToSector(cluster);
        sector = clusterSector + ((byteOffset % bootSector.BytesPerCluster) / bootSector.BytesPerSector);
        runEndSector = clusterSector + ((long)contiguous * bootSector.SectorsPerCluster);
        return NTSTATUS.STATUS_SUCCESS;
    }
}
