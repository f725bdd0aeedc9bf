using System.Buffers.Binary;
using System.Diagnostics;
using SharpNT.Kernel;

namespace SharpNT.Drivers.Fastfat;

/// <summary>
/// The file allocation table, held in memory whole and written back sector by sector to every FAT copy.
/// Entries are kept decoded with FAT32-style values (0 free, 0x0FFFFFF7 bad, 0x0FFFFFFF end of chain);
/// untouched entries keep their exact on-disk bits.
/// </summary>
/// <remarks>
/// Write ordering: an update that shortens a chain (free, truncate) must reach the disk only after the
/// directory entry that stops referencing those clusters, or an interruption would leave a directory entry
/// pointing into free space, to be handed out again (a cross-link). Such entries are "deferred": the first
/// FAT write of a flush writes their old on-disk value, the second (after directories are written) the new
/// one; clusters freed in an epoch are not allocated again until their free is on disk. Growth is written
/// first, so an interruption leaves at worst clusters that no directory entry reaches (lost clusters).
/// </remarks>
[DebuggerDisplay("{_bootSector.Type} FAT, {FreeClusters} of {ClusterCount} clusters free")]
internal sealed class FatTable
{
    public const uint FreeCluster = 0;
    public const uint BadCluster = 0x0FFFFFF7;
    public const uint EndOfChain = 0x0FFFFFFF;

    // FAT[1] bits (fatgen103): set = volume cleanly dismounted / no disk I/O errors.
    private const uint Fat16CleanShutdown = 0x8000;
    private const uint Fat32CleanShutdown = 0x08000000;

    private const int LoadChunkBytes = 8 * 1024 * 1024;

    private readonly FatBootSector _bootSector;
    private readonly byte[] _image;
    private readonly byte[] _onDisk;
    private readonly uint[] _next;
    private readonly FatBitmap _dirtySectors;
    private readonly FatBitmap _deferredBits;
    private readonly List<uint> _deferred = [];
    private readonly FatBitmap _blocked;
    private readonly FatBitmap _fresh;
    private readonly int _sectorSize;
    private uint _freeCount;
    private uint _blockedCount;
    private uint _rotor = 2;

    private FatTable(FatBootSector bootSector, byte[] image)
    {
        _bootSector = bootSector;
        _image = image;
        _onDisk = (byte[])image.Clone();
        _next = new uint[bootSector.MaxCluster + 1];
        _sectorSize = bootSector.BytesPerSector;
        _dirtySectors = new FatBitmap(bootSector.SectorsPerFat);
        _deferredBits = new FatBitmap(bootSector.MaxCluster + 1L);
        _blocked = new FatBitmap(bootSector.MaxCluster + 1L);
        _fresh = new FatBitmap(bootSector.MaxCluster + 1L);
    }

    public uint ClusterCount => _bootSector.ClusterCount;

    public uint MaxCluster => _bootSector.MaxCluster;

    /// <summary>Free clusters as the volume will have them once pending frees are written.</summary>
    public uint FreeClusters => _freeCount;

    /// <summary>Free clusters that can be handed out now.</summary>
    public uint AllocatableClusters => _freeCount - _blockedCount;

    public bool HasDeferredFrees => _blockedCount != 0;

    /// <summary>The hint for the next allocation (FSInfo FSI_Nxt_Free).</summary>
    public uint NextFreeHint => _rotor;

    public static bool IsEndOfChain(uint value) => value >= 0x0FFFFFF8;

    public bool IsValidCluster(uint cluster) => cluster >= 2 && cluster <= MaxCluster;

    /// <summary>The entry for <paramref name="cluster"/>: the next cluster, or a free/bad/end value.</summary>
    public uint Next(uint cluster) => _next[cluster];

    /// <summary>True when the cluster belongs to a chain (neither free nor bad).</summary>
    public bool IsAllocated(uint cluster) => IsValidCluster(cluster) && _next[cluster] != FreeCluster && _next[cluster] != BadCluster;

    /// <summary>True when the cluster was allocated since the last flush: nothing on disk references it yet.</summary>
    public bool IsFresh(uint cluster) => IsValidCluster(cluster) && _fresh[cluster];

    /// <summary>Reads the active FAT and checks every entry; a FAT that does not describe disjoint, acyclic chains is refused.</summary>
    public static NTSTATUS Load(IFatBlockDevice device, FatBootSector bootSector, out FatTable? table)
    {
        table = null;
        var image = new byte[bootSector.SectorsPerFat * bootSector.BytesPerSector];
        var firstSector = bootSector.ReservedSectors + (bootSector.ActiveFat * bootSector.SectorsPerFat);
        for (var done = 0; done < image.Length;)
        {
            var chunk = Math.Min(LoadChunkBytes, image.Length - done);
            var status = device.ReadSectors(firstSector + (done / bootSector.BytesPerSector), image.AsSpan(done, chunk));
            if (!status.IsSuccess())
            {
                return status;
            }

            done += chunk;
        }

        var candidate = new FatTable(bootSector, image);
        var check = candidate.DecodeAndValidate();
        if (!check.IsSuccess())
        {
            return check;
        }

        table = candidate;
        return NTSTATUS.STATUS_SUCCESS;
    }

    /// <summary>Whether FAT[1] says the volume was dismounted cleanly (FAT16/32; FAT12 has no such bit).</summary>
    public bool CleanShutdownBit => _bootSector.Type switch
    {
        FatType.Fat16 => (ReadRaw(_image, 1) & Fat16CleanShutdown) != 0,
        FatType.Fat32 => (ReadRaw(_image, 1) & Fat32CleanShutdown) != 0,
        _ => true,
    };

    /// <summary>
    /// Sets or clears the clean-shutdown bit of FAT[1] and writes that sector of every FAT at once, from the
    /// on-disk image, so no other pending change goes out with it.
    /// </summary>
    public NTSTATUS WriteCleanShutdownBit(IFatBlockDevice device, bool clean)
    {
        var mask = _bootSector.Type switch
        {
            FatType.Fat16 => Fat16CleanShutdown,
            FatType.Fat32 => Fat32CleanShutdown,
            _ => 0u,
        };
        if (mask == 0)
        {
            return NTSTATUS.STATUS_SUCCESS;
        }

        var current = ReadRaw(_onDisk, 1);
        var wanted = clean ? current | mask : current & ~mask;
        WriteRaw(_image, 1, clean ? ReadRaw(_image, 1) | mask : ReadRaw(_image, 1) & ~mask);
        if (wanted == current)
        {
            return NTSTATUS.STATUS_SUCCESS;
        }

        WriteRaw(_onDisk, 1, wanted);
        var sector = EntryByteOffset(1) / _sectorSize;
        return WriteSectorsToAllFats(device, _onDisk, sector, 1);
    }

    /// <summary>
    /// Allocates <paramref name="count"/> clusters as one new chain ending in end-of-chain, preferring one
    /// contiguous run at <paramref name="hint"/>, then the first run long enough, then fragments.
    /// </summary>
    /// <returns>STATUS_DISK_FULL when fewer clusters than asked can be allocated now (nothing is allocated then).</returns>
    public NTSTATUS Allocate(uint count, uint hint, List<FatRun> runs)
    {
        Debug.Assert(count > 0);
        if (count > AllocatableClusters)
        {
            return NTSTATUS.STATUS_DISK_FULL;
        }

        var found = new List<FatRun>();
        if (IsValidCluster(hint) && FreeRunLength(hint, count) == count)
        {
            found.Add(new FatRun(hint, count));
        }
        else
        {
            FindRuns(count, found);
        }

        uint previous = 0;
        foreach (var run in found)
        {
            for (var cluster = run.StartCluster; cluster <= run.EndCluster; cluster++)
            {
                if (previous != 0)
                {
                    SetEntry(previous, cluster);
                }

                _fresh[cluster] = true;
                previous = cluster;
            }

            runs.Add(run);
        }

        SetEntry(previous, EndOfChain);
        _freeCount -= count;
        _rotor = previous + 1 > MaxCluster ? 2 : previous + 1;
        return NTSTATUS.STATUS_SUCCESS;
    }

    /// <summary>Links the end of one chain to the start of another (growth: written in the first FAT pass).</summary>
    public void Link(uint from, uint to)
    {
        Debug.Assert(IsValidCluster(from) && IsValidCluster(to));
        SetEntry(from, to);
    }

    /// <summary>Frees the chain starting at <paramref name="first"/>; the frees reach the disk after the directories.</summary>
    public void FreeChain(uint first)
    {
        var cluster = first;
        for (uint guard = 0; IsAllocated(cluster) && guard <= ClusterCount; guard++)
        {
            var next = _next[cluster];
            Defer(cluster);
            SetEntry(cluster, FreeCluster);
            _freeCount++;
            if (_blocked.TrySet(cluster))
            {
                _blockedCount++;
            }

            if (IsEndOfChain(next))
            {
                break;
            }

            cluster = next;
        }
    }

    /// <summary>Ends the chain at <paramref name="lastKept"/> and frees what followed it (deferred like a free).</summary>
    public void TruncateAfter(uint lastKept)
    {
        var next = _next[lastKept];
        if (IsEndOfChain(next))
        {
            return;
        }

        Defer(lastKept);
        SetEntry(lastKept, EndOfChain);
        if (IsValidCluster(next))
        {
            FreeChain(next);
        }
    }

    /// <summary>First FAT pass of a flush: all changes except deferred ones, which keep their on-disk value.</summary>
    public NTSTATUS WriteGrowth(IFatBlockDevice device)
    {
        if (_deferred.Count == 0)
        {
            return WriteDirty(device, _image);
        }

        var composed = (byte[])_image.Clone();
        foreach (var cluster in _deferred)
        {
            WriteRaw(composed, cluster, ReadRaw(_onDisk, cluster));
        }

        return WriteDirty(device, composed);
    }

    /// <summary>Second FAT pass, after the directories: the deferred frees; their clusters become allocatable.</summary>
    public NTSTATUS WriteDeferred(IFatBlockDevice device)
    {
        var status = WriteDirty(device, _image);
        if (!status.IsSuccess())
        {
            return status;
        }

        foreach (var cluster in _deferred)
        {
            _deferredBits[cluster] = false;
            _blocked[cluster] = false;
        }

        _deferred.Clear();
        _blockedCount = 0;
        _fresh.ClearAll();
        return NTSTATUS.STATUS_SUCCESS;
    }

    /// <summary>Counts the chain length from <paramref name="first"/> (bounded, since chains were checked at mount).</summary>
    public uint ChainLength(uint first)
    {
        uint length = 0;
        for (var cluster = first; IsAllocated(cluster) && length <= ClusterCount; cluster = _next[cluster])
        {
            length++;
            if (IsEndOfChain(_next[cluster]))
            {
                break;
            }
        }

        return length;
    }

    private NTSTATUS DecodeAndValidate()
    {
        var max = MaxCluster;

        // FAT[0] holds the media byte in its low 8 bits (fatgen103).
        if ((ReadRaw(_image, 0) & 0xFF) != _bootSector.Media)
        {
            return NTSTATUS.STATUS_FILE_CORRUPT_ERROR;
        }

        var hasPredecessor = new FatBitmap(max + 1L);
        uint allocated = 0;
        for (uint cluster = 2; cluster <= max; cluster++)
        {
            var value = Decode(ReadRaw(_image, cluster));
            _next[cluster] = value;
            if (value == FreeCluster)
            {
                _freeCount++;
                continue;
            }

            if (value == BadCluster)
            {
                continue;
            }

            allocated++;
            if (IsEndOfChain(value))
            {
                continue;
            }

            // A link must name a data cluster, and no cluster may be reached from two others (a cross-link).
            if (value < 2 || value > max || !hasPredecessor.TrySet(value))
            {
                return NTSTATUS.STATUS_FILE_CORRUPT_ERROR;
            }
        }

        // Every link must lead to an allocated cluster, and every allocated cluster must be reachable from a
        // chain head; what is not reachable lies on a cycle.
        uint reached = 0;
        for (uint cluster = 2; cluster <= max; cluster++)
        {
            var value = _next[cluster];
            if (value == FreeCluster || value == BadCluster || hasPredecessor[cluster])
            {
                continue;
            }

            for (var walk = cluster; ; walk = _next[walk])
            {
                reached++;
                var next = _next[walk];
                if (IsEndOfChain(next))
                {
                    break;
                }

                if (_next[next] == FreeCluster || _next[next] == BadCluster)
                {
                    return NTSTATUS.STATUS_FILE_CORRUPT_ERROR;
                }
            }
        }

        return reached == allocated ? NTSTATUS.STATUS_SUCCESS : NTSTATUS.STATUS_FILE_CORRUPT_ERROR;
    }

    private uint Decode(uint raw) => _bootSector.Type switch
    {
        FatType.Fat12 => raw >= 0xFF8 ? EndOfChain : raw == 0xFF7 ? BadCluster : raw,
        FatType.Fat16 => raw >= 0xFFF8 ? EndOfChain : raw == 0xFFF7 ? BadCluster : raw,
        _ => raw >= 0x0FFFFFF8 ? EndOfChain : raw,
    };

    private uint Encode(uint value) => _bootSector.Type switch
    {
        FatType.Fat12 => value == EndOfChain ? 0xFFF : value == BadCluster ? 0xFF7 : value,
        FatType.Fat16 => value == EndOfChain ? 0xFFFF : value == BadCluster ? 0xFFF7 : value,
        _ => value,
    };

    private void SetEntry(uint cluster, uint value)
    {
        _next[cluster] = value;
        WriteRaw(_image, cluster, Encode(value));
        var offset = EntryByteOffset(cluster);
        _dirtySectors[offset / _sectorSize] = true;
        if (_bootSector.Type == FatType.Fat12)
        {
            // A 12-bit entry can straddle two sectors.
            _dirtySectors[(offset + 1) / _sectorSize] = true;
        }
    }

    private void Defer(uint cluster)
    {
        if (_deferredBits.TrySet(cluster))
        {
            _deferred.Add(cluster);
        }
    }

    private long EntryByteOffset(uint cluster) => _bootSector.Type switch
    {
        FatType.Fat12 => cluster + (cluster / 2),
        FatType.Fat16 => cluster * 2L,
        _ => cluster * 4L,
    };

    /// <summary>Reads an entry's raw bits; FAT32's top four bits are reserved and masked off.</summary>
    private uint ReadRaw(byte[] fat, uint cluster)
    {
        var offset = (int)EntryByteOffset(cluster);
        switch (_bootSector.Type)
        {
            case FatType.Fat12:
                // Even clusters use the low 12 bits of the 16-bit word, odd clusters the high 12 (fatgen103).
                var word = BinaryPrimitives.ReadUInt16LittleEndian(fat.AsSpan(offset));
                return (cluster & 1) == 0 ? (uint)(word & 0x0FFF) : (uint)(word >> 4);
            case FatType.Fat16:
                return BinaryPrimitives.ReadUInt16LittleEndian(fat.AsSpan(offset));
            default:
                return BinaryPrimitives.ReadUInt32LittleEndian(fat.AsSpan(offset)) & 0x0FFFFFFF;
        }
    }

    private void WriteRaw(byte[] fat, uint cluster, uint raw)
    {
        var offset = (int)EntryByteOffset(cluster);
        switch (_bootSector.Type)
        {
            case FatType.Fat12:
                var span = fat.AsSpan(offset, 2);
                var word = BinaryPrimitives.ReadUInt16LittleEndian(span);
                word = (cluster & 1) == 0
                    ? (ushort)((word & 0xF000u) | (raw & 0x0FFFu))
                    : (ushort)((word & 0x000Fu) | ((raw & 0x0FFFu) << 4));
                BinaryPrimitives.WriteUInt16LittleEndian(span, word);
                break;
            case FatType.Fat16:
                BinaryPrimitives.WriteUInt16LittleEndian(fat.AsSpan(offset), (ushort)raw);
                break;
            default:
                // fatgen103: the high 4 bits of a FAT32 entry are reserved and must be preserved.
                var old = BinaryPrimitives.ReadUInt32LittleEndian(fat.AsSpan(offset));
                BinaryPrimitives.WriteUInt32LittleEndian(fat.AsSpan(offset), (old & 0xF0000000) | (raw & 0x0FFFFFFF));
                break;
        }
    }

    /// <summary>Length of the free, allocatable run at <paramref name="start"/>, counting at most <paramref name="limit"/>.</summary>
    private uint FreeRunLength(uint start, uint limit)
    {
        uint length = 0;
        for (var cluster = start; cluster <= MaxCluster && length < limit && IsAllocatable(cluster); cluster++)
        {
            length++;
        }

        return length;
    }

    private bool IsAllocatable(uint cluster) => _next[cluster] == FreeCluster && !_blocked[cluster];

    /// <summary>First fit from the rotor for one run of <paramref name="count"/>; failing that, fragments in disk order.</summary>
    private void FindRuns(uint count, List<FatRun> found)
    {
        var fragments = new List<FatRun>();
        var start = IsValidCluster(_rotor) ? _rotor : 2;

        // Two linear passes (rotor to the end, then the start to the rotor) so a run never wraps around.
        if (ScanForRun(start, MaxCluster, count, found, fragments) || ScanForRun(2, start - 1, count, found, fragments))
        {
            return;
        }

        var remaining = count;
        foreach (var fragment in fragments)
        {
            var take = Math.Min(remaining, fragment.Length);
            found.Add(new FatRun(fragment.StartCluster, take));
            remaining -= take;
            if (remaining == 0)
            {
                return;
            }
        }

        Debug.Fail("Allocate checked the allocatable count before searching.");
    }

    private bool ScanForRun(uint first, uint last, uint count, List<FatRun> found, List<FatRun> fragments)
    {
        uint runStart = 0;
        uint runLength = 0;
        for (var cluster = first; cluster <= last && cluster >= first; cluster++)
        {
            if (IsAllocatable(cluster))
            {
                if (runLength++ == 0)
                {
                    runStart = cluster;
                }

                if (runLength == count)
                {
                    found.Add(new FatRun(runStart, runLength));
                    return true;
                }
            }
            else if (runLength != 0)
            {
                fragments.Add(new FatRun(runStart, runLength));
                runLength = 0;
            }
        }

        if (runLength != 0)
        {
            fragments.Add(new FatRun(runStart, runLength));
        }

        return false;
    }

    private NTSTATUS WriteDirty(IFatBlockDevice device, byte[] source)
    {
        var sector = _dirtySectors.NextSet(0);
        while (sector >= 0)
        {
            var end = sector + 1;
            while (end < _dirtySectors.BitCount && _dirtySectors[end])
            {
                end++;
            }

            var count = (int)(end - sector);
            var status = WriteSectorsToAllFats(device, source, sector, count);
            if (!status.IsSuccess())
            {
                return status;
            }

            var bytes = source.AsSpan((int)(sector * _sectorSize), count * _sectorSize);
            bytes.CopyTo(_onDisk.AsSpan((int)(sector * _sectorSize)));

            // A sector stays dirty while the image still differs from the disk (it holds a deferred entry).
            for (var s = sector; s < end; s++)
            {
                var offset = (int)(s * _sectorSize);
                _dirtySectors[s] = !_image.AsSpan(offset, _sectorSize).SequenceEqual(_onDisk.AsSpan(offset, _sectorSize));
            }

            sector = _dirtySectors.NextSet(end);
        }

        return NTSTATUS.STATUS_SUCCESS;
    }

    private NTSTATUS WriteSectorsToAllFats(IFatBlockDevice device, byte[] source, long sector, int count)
    {
        var bytes = source.AsSpan((int)(sector * _sectorSize), count * _sectorSize);
        for (var fat = 0; fat < _bootSector.NumberOfFats; fat++)
        {
            // With mirroring disabled (FAT32 BPB_ExtFlags bit 7) only the active FAT is maintained.
            if (_bootSector.MirroringDisabled && fat != _bootSector.ActiveFat)
            {
                continue;
            }

            var first = _bootSector.ReservedSectors + (fat * _bootSector.SectorsPerFat) + sector;
            var status = device.WriteSectors(first, bytes);
            if (!status.IsSuccess())
            {
                return status;
            }
        }

        return NTSTATUS.STATUS_SUCCESS;
    }
}
