using System.Buffers;
using System.Diagnostics;
using SharpNT.Kernel;

namespace SharpNT.Drivers.Fastfat;

/// <summary>
/// The block cache between the FAT engine and its device: directory and small file transfers are served
/// from cached blocks filled by large device reads with read-ahead; transfers of
/// <see cref="DirectTransferBytes"/> or more go straight between the caller's buffer and the device in
/// one call (NT's non-cached path), kept coherent with the cached blocks. Writes are write-back: dirty
/// sectors stay here until <see cref="FlushSectors"/>, which the volume calls in metadata order.
/// </summary>
[DebuggerDisplay("FatBlockCache {_blocks.Count} blocks, {DirtyBytes} dirty bytes")]
internal sealed class FatBlockCache
{
    /// <summary>Transfers this large bypass the cached blocks.</summary>
    public const int DirectTransferBytes = 64 * 1024;

    /// <summary>
    /// Bytes per cached block: 64 sectors of 512 (the per-sector masks are 64 bits). A miss on a small file
    /// or a directory brings its neighbours in with it, which is what makes many small files cheap.
    /// </summary>
    private const int BlockBytes = 32 * 1024;

    private const int StagingBytes = 1024 * 1024;

    // Evicted blocks kept for reuse, so streaming through the cache does not allocate a block per 4 KiB.
    private const int MaxSpareBlocks = 256;

    private readonly IFatBlockDevice _device;
    private readonly int _sectorSize;
    private readonly int _sectorsPerBlock;
    private readonly int _blockBytes;
    private readonly long _capacityBlocks;
    private readonly long _maxReadAheadBlocks;
    private readonly Dictionary<long, FatCacheBlock> _blocks = [];
    private readonly LinkedList<FatCacheBlock> _lru = new();
    private readonly Stack<FatCacheBlock> _spare = new();
    private long _dirtyBlocks;
    private long _sequence;

    public FatBlockCache(IFatBlockDevice device, long capacityBytes, int readAheadBytes)
    {
        _device = device;
        _sectorSize = device.SectorSize;
        _blockBytes = Math.Max(BlockBytes, _sectorSize);
        _sectorsPerBlock = _blockBytes / _sectorSize;
        _maxReadAheadBlocks = Math.Max(1, readAheadBytes / _blockBytes);
        _capacityBlocks = Math.Max(capacityBytes / _blockBytes, 4 * _maxReadAheadBlocks);
    }

    public long DirtyBytes => _dirtyBlocks * _blockBytes;

    /// <summary>
    /// Reads whole sectors starting at <paramref name="sector"/>. A miss loads, in one device call, every
    /// absent block up to <paramref name="readAheadEndSector"/> (the end of the caller's contiguous run).
    /// </summary>
    public NTSTATUS Read(long sector, Span<byte> destination, long readAheadEndSector)
    {
        Debug.Assert(destination.Length % _sectorSize == 0);
        if (destination.Length >= DirectTransferBytes)
        {
            return ReadDirect(sector, destination);
        }

        var count = destination.Length / _sectorSize;
        var done = 0;
        while (done < count)
        {
            var current = sector + done;
            var status = EnsureValid(current, Math.Max(readAheadEndSector, sector + count), out var block);
            if (!status.IsSuccess())
            {
                return status;
            }

            var inBlock = (int)(current % _sectorsPerBlock);
            var n = Math.Min(count - done, _sectorsPerBlock - inBlock);
            for (var i = 1; i < n; i++)
            {
                if ((block.ValidMask & (1UL << (inBlock + i))) == 0)
                {
                    n = i;
                    break;
                }
            }

            block.Data.AsSpan(inBlock * _sectorSize, n * _sectorSize).CopyTo(destination.Slice(done * _sectorSize));
            Touch(block);
            done += n;
        }

        return NTSTATUS.STATUS_SUCCESS;
    }

    /// <summary>Writes whole sectors; small writes are cached dirty, large ones go to the device at once.</summary>
    public NTSTATUS Write(long sector, ReadOnlySpan<byte> source, bool metadata)
    {
        Debug.Assert(source.Length % _sectorSize == 0);
        if (source.Length >= DirectTransferBytes && !metadata)
        {
            var status = _device.WriteSectors(sector, source);
            if (!status.IsSuccess())
            {
                return status;
            }

            UpdateCachedCopies(sector, source);
            return NTSTATUS.STATUS_SUCCESS;
        }

        var count = source.Length / _sectorSize;
        for (var done = 0; done < count;)
        {
            var current = sector + done;
            var block = GetOrAdd(current / _sectorsPerBlock);
            var inBlock = (int)(current % _sectorsPerBlock);
            var n = Math.Min(count - done, _sectorsPerBlock - inBlock);
            source.Slice(done * _sectorSize, n * _sectorSize).CopyTo(block.Data.AsSpan(inBlock * _sectorSize));
            var mask = SectorMask(inBlock, n);
            block.ValidMask |= mask;
            MarkDirty(block, mask, metadata);
            Touch(block);
            done += n;
        }

        return NTSTATUS.STATUS_SUCCESS;
    }

    /// <summary>Writes zeros over <paramref name="sectorCount"/> sectors.</summary>
    public NTSTATUS Zero(long sector, long sectorCount, bool metadata)
    {
        var chunkSectors = Math.Max(1, DirectTransferBytes / _sectorSize) * 4;
        var zeros = ArrayPool<byte>.Shared.Rent(chunkSectors * _sectorSize);
        try
        {
            Array.Clear(zeros, 0, chunkSectors * _sectorSize);
            for (long done = 0; done < sectorCount;)
            {
                var n = (int)Math.Min(chunkSectors, sectorCount - done);
                var status = Write(sector + done, zeros.AsSpan(0, n * _sectorSize), metadata);
                if (!status.IsSuccess())
                {
                    return status;
                }

                done += n;
            }

            return NTSTATUS.STATUS_SUCCESS;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(zeros);
        }
    }

    /// <summary>
    /// Gives the cached bytes of one sector for reading or in-place update (then call <see cref="MarkSectorDirty"/>).
    /// </summary>
    public NTSTATUS PinSector(long sector, long readAheadEndSector, out byte[] buffer, out int offset)
    {
        var status = EnsureValid(sector, Math.Max(readAheadEndSector, sector + 1), out var block);
        if (!status.IsSuccess())
        {
            buffer = [];
            offset = 0;
            return status;
        }

        Touch(block);
        buffer = block.Data;
        offset = (int)(sector % _sectorsPerBlock) * _sectorSize;
        return NTSTATUS.STATUS_SUCCESS;
    }

    /// <summary>Marks a pinned sector as changed.</summary>
    public void MarkSectorDirty(long sector, bool metadata)
    {
        var block = _blocks[sector / _sectorsPerBlock];
        var mask = SectorMask((int)(sector % _sectorsPerBlock), 1);
        Debug.Assert((block.ValidMask & mask) != 0, "Only a pinned (valid) sector can be dirtied in place.");
        MarkDirty(block, mask, metadata);
    }

    /// <summary>
    /// Writes dirty sectors chosen by <paramref name="metadata"/> and <paramref name="include"/> (given a
    /// sector number), coalescing neighbours into one device call; blocks go in sector order, or in the
    /// order they were first dirtied when <paramref name="inDirtyOrder"/>.
    /// </summary>
    public NTSTATUS FlushSectors(bool metadata, Func<long, bool>? include, bool inDirtyOrder)
    {
        if (_dirtyBlocks == 0)
        {
            return NTSTATUS.STATUS_SUCCESS;
        }

        var dirty = new List<FatCacheBlock>();
        foreach (var block in _blocks.Values)
        {
            if ((block.DirtyMask & (metadata ? block.MetadataMask : ~block.MetadataMask)) != 0)
            {
                dirty.Add(block);
            }
        }

        if (inDirtyOrder)
        {
            dirty.Sort((a, b) => a.DirtySequence.CompareTo(b.DirtySequence));
        }
        else
        {
            dirty.Sort((a, b) => a.Index.CompareTo(b.Index));
        }

        var staging = ArrayPool<byte>.Shared.Rent(StagingBytes);
        try
        {
            long runStart = -1;
            var runSectors = 0;
            foreach (var block in dirty)
            {
                var mask = block.DirtyMask & (metadata ? block.MetadataMask : ~block.MetadataMask);
                for (var i = 0; i < _sectorsPerBlock; i++)
                {
                    var sector = (block.Index * _sectorsPerBlock) + i;
                    if ((mask & (1UL << i)) == 0 || (include is not null && !include(sector)))
                    {
                        continue;
                    }

                    if (runSectors != 0 && (sector != runStart + runSectors || (runSectors + 1) * _sectorSize > StagingBytes))
                    {
                        var status = _device.WriteSectors(runStart, staging.AsSpan(0, runSectors * _sectorSize));
                        if (!status.IsSuccess())
                        {
                            return status;
                        }

                        runSectors = 0;
                    }

                    if (runSectors == 0)
                    {
                        runStart = sector;
                    }

                    block.Data.AsSpan(i * _sectorSize, _sectorSize).CopyTo(staging.AsSpan(runSectors * _sectorSize));
                    runSectors++;
                    ClearDirty(block, 1UL << i);
                }
            }

            return runSectors == 0 ? NTSTATUS.STATUS_SUCCESS : _device.WriteSectors(runStart, staging.AsSpan(0, runSectors * _sectorSize));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(staging);
            TrimToCapacity();
        }
    }

    /// <summary>Drops every clean block (after a dismount, or to give memory back).</summary>
    public void DropClean()
    {
        foreach (var block in _blocks.Values.Where(b => b.DirtyMask == 0).ToList())
        {
            Remove(block);
        }

        _spare.Clear();
    }

    /// <summary>
    /// Reads whole sectors from the device straight into memory at <paramref name="address"/> (one device
    /// transfer, no cached block involved); dirty cached sectors in the range are newer and are copied over.
    /// </summary>
    public NTSTATUS ReadDirectTo(long sector, int length, IFatAddressTransfer target, ulong address)
    {
        Debug.Assert(length % _sectorSize == 0);
        var status = target.ReadSectorsTo(sector, address, length);
        if (!status.IsSuccess() || _dirtyBlocks == 0)
        {
            return status;
        }

        var count = length / _sectorSize;
        for (var index = sector / _sectorsPerBlock; index <= (sector + count - 1) / _sectorsPerBlock; index++)
        {
            if (!_blocks.TryGetValue(index, out var block) || block.DirtyMask == 0)
            {
                continue;
            }

            for (var i = 0; i < _sectorsPerBlock; i++)
            {
                var s = (index * _sectorsPerBlock) + i;
                if ((block.DirtyMask & (1UL << i)) != 0 && s >= sector && s < sector + count)
                {
                    target.CopyTo(address + (ulong)((s - sector) * _sectorSize), block.Data.AsSpan(i * _sectorSize, _sectorSize));
                }
            }
        }

        return NTSTATUS.STATUS_SUCCESS;
    }

    private NTSTATUS ReadDirect(long sector, Span<byte> destination)
    {
        var status = _device.ReadSectors(sector, destination);
        if (!status.IsSuccess() || _dirtyBlocks == 0)
        {
            return status;
        }

        // Clean cached sectors equal the device; dirty ones are newer and win.
        var count = destination.Length / _sectorSize;
        for (var index = sector / _sectorsPerBlock; index <= (sector + count - 1) / _sectorsPerBlock; index++)
        {
            if (!_blocks.TryGetValue(index, out var block) || block.DirtyMask == 0)
            {
                continue;
            }

            for (var i = 0; i < _sectorsPerBlock; i++)
            {
                var s = (index * _sectorsPerBlock) + i;
                if ((block.DirtyMask & (1UL << i)) != 0 && s >= sector && s < sector + count)
                {
                    block.Data.AsSpan(i * _sectorSize, _sectorSize).CopyTo(destination.Slice((int)(s - sector) * _sectorSize));
                }
            }
        }

        return NTSTATUS.STATUS_SUCCESS;
    }

    private void UpdateCachedCopies(long sector, ReadOnlySpan<byte> source)
    {
        if (_blocks.Count == 0)
        {
            return;
        }

        var count = source.Length / _sectorSize;
        for (var index = sector / _sectorsPerBlock; index <= (sector + count - 1) / _sectorsPerBlock; index++)
        {
            if (!_blocks.TryGetValue(index, out var block))
            {
                continue;
            }

            for (var i = 0; i < _sectorsPerBlock; i++)
            {
                var s = (index * _sectorsPerBlock) + i;
                if (s >= sector && s < sector + count)
                {
                    source.Slice((int)(s - sector) * _sectorSize, _sectorSize).CopyTo(block.Data.AsSpan(i * _sectorSize));
                    block.ValidMask |= 1UL << i;
                }
            }
        }
    }

    /// <summary>Makes <paramref name="sector"/> valid, loading it and the absent blocks after it up to the read-ahead end.</summary>
    private NTSTATUS EnsureValid(long sector, long readAheadEndSector, out FatCacheBlock block)
    {
        var index = sector / _sectorsPerBlock;
        var bit = 1UL << (int)(sector % _sectorsPerBlock);
        if (_blocks.TryGetValue(index, out var existing) && (existing.ValidMask & bit) != 0)
        {
            block = existing;
            return NTSTATUS.STATUS_SUCCESS;
        }

        var lastSector = Math.Min(readAheadEndSector, _device.SectorCount) - 1;
        var lastIndex = Math.Min(Math.Max(index, lastSector / _sectorsPerBlock), index + _maxReadAheadBlocks - 1);
        var endIndex = index + 1;
        while (endIndex <= lastIndex && !_blocks.ContainsKey(endIndex))
        {
            endIndex++;
        }

        var firstLoadSector = index * _sectorsPerBlock;
        var sectors = (int)(Math.Min(endIndex * _sectorsPerBlock, _device.SectorCount) - firstLoadSector);
        if (sectors <= 0)
        {
            block = existing!;
            return NTSTATUS.STATUS_INVALID_PARAMETER;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(sectors * _sectorSize);
        try
        {
            var status = _device.ReadSectors(firstLoadSector, buffer.AsSpan(0, sectors * _sectorSize));
            if (!status.IsSuccess())
            {
                block = existing!;
                return status;
            }

            for (var i = index; i < endIndex; i++)
            {
                var target = GetOrAdd(i);
                var first = (int)((i - index) * _sectorsPerBlock);
                var n = Math.Min(_sectorsPerBlock, sectors - first);
                for (var s = 0; s < n; s++)
                {
                    // Sectors already valid here may be newer than the device (dirty): keep them.
                    if ((target.ValidMask & (1UL << s)) == 0)
                    {
                        buffer.AsSpan((first + s) * _sectorSize, _sectorSize).CopyTo(target.Data.AsSpan(s * _sectorSize));
                        target.ValidMask |= 1UL << s;
                    }
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        block = _blocks[index];
        Touch(block);
        TrimToCapacity();
        return NTSTATUS.STATUS_SUCCESS;
    }

    private FatCacheBlock GetOrAdd(long index)
    {
        if (_blocks.TryGetValue(index, out var block))
        {
            return block;
        }

        if (_spare.TryPop(out block))
        {
            block.Reuse(index);
        }
        else
        {
            block = new FatCacheBlock(index, _blockBytes);
        }

        _blocks.Add(index, block);
        _lru.AddFirst(block.Node);
        return block;
    }

    private void Touch(FatCacheBlock block)
    {
        if (block.Node.List is not null && _lru.First != block.Node)
        {
            _lru.Remove(block.Node);
            _lru.AddFirst(block.Node);
        }
    }

    private void MarkDirty(FatCacheBlock block, ulong mask, bool metadata)
    {
        if (block.DirtyMask == 0)
        {
            _dirtyBlocks++;
            block.DirtySequence = ++_sequence;
        }

        block.DirtyMask |= mask;
        block.MetadataMask = metadata ? block.MetadataMask | mask : block.MetadataMask & ~mask;
    }

    private void ClearDirty(FatCacheBlock block, ulong mask)
    {
        if (block.DirtyMask == 0)
        {
            return;
        }

        block.DirtyMask &= ~mask;
        block.MetadataMask &= ~mask;
        if (block.DirtyMask == 0)
        {
            _dirtyBlocks--;
        }
    }

    /// <summary>
    /// Evicts least recently used clean blocks; dirty blocks wait for the volume's ordered flush. The most
    /// recently used block is never evicted: it is the one a caller has just pinned.
    /// </summary>
    private void TrimToCapacity()
    {
        var node = _lru.Last;
        while (_blocks.Count > _capacityBlocks && node is not null && node != _lru.First)
        {
            var previous = node.Previous;
            if (node.Value.DirtyMask == 0)
            {
                Remove(node.Value);
            }

            node = previous;
        }
    }

    private void Remove(FatCacheBlock block)
    {
        _blocks.Remove(block.Index);
        if (block.Node.List is not null)
        {
            _lru.Remove(block.Node);
        }

        if (_spare.Count < MaxSpareBlocks)
        {
            _spare.Push(block);
        }
    }

    private ulong SectorMask(int first, int count) =>
        (count >= 64 ? ulong.MaxValue : ((1UL << count) - 1)) << first;
}
