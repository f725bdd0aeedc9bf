using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using SharpNT.Kernel.Ke;
using static SharpNT.Kernel.Mm.PoolFlags;

namespace SharpNT.Kernel.Mm;

/// <summary>
/// Executive pool: ExAllocatePool2, ExAllocatePoolWithTag and ExFreePoolWithTag over the two pools, with
/// the checks NT makes (IRQL, tags, headers) and the bug checks it raises when they fail.
/// </summary>
internal sealed partial class MemoryManager
{
    /// <summary>POOL_BUDDY_MAX on x64: larger requests get whole pages from the big pool.</summary>
    internal const ulong SmallPoolMax = PAGE_SIZE - (2 * PoolHeader.Size);

    /// <summary>BAD_POOL_CALLER parameter 1 values (the documented violation kinds).</summary>
    private const ulong BadPoolCorruptHeader = 0x01;
    private const ulong BadPoolDoubleFree = 0x07;
    private const ulong BadPoolAllocateIrql = 0x08;
    private const ulong BadPoolFreeIrql = 0x09;
    private const ulong BadPoolWrongTag = 0x0A;
    private const ulong BadPoolUserAddress = 0x40;
    private const ulong BadPoolNeverInPool = 0x42;
    private const ulong BadPoolNonPagedNotAllocated = 0x44;
    private const ulong BadPoolPagedNotAllocated = 0x50;
    private const ulong BadPoolInvalidAddress = 0x99;
    private const ulong BadPoolMustSucceed = 0x9A;
    private const ulong BadPoolZeroTag = 0x9B;
    private const ulong BadPoolPagedMiddleOfAllocation = 0x41286;

    /// <summary>BAD_POOL_HEADER parameter 1 values.</summary>
    private const ulong BadHeaderNeighbours = 0x05;
    private const ulong BadHeaderBlockSize = 0x07;
    private const ulong BadHeaderFreedModified = 0x0D;

    /// <summary>
    /// ExAllocatePool2: one of POOL_FLAG_NON_PAGED, _NON_PAGED_EXECUTE or _PAGED; zeroed unless
    /// POOL_FLAG_UNINITIALIZED. NULL when memory is short, the tag is 0 or the flags are invalid, or
    /// STATUS_INSUFFICIENT_RESOURCES raised instead with POOL_FLAG_RAISE_ON_FAILURE. IRQL &lt;= DISPATCH_LEVEL
    /// for nonpaged, &lt;= APC_LEVEL for paged pool.
    /// </summary>
    internal ulong AllocatePool2(ulong flags, ulong numberOfBytes, uint tag) => AllocatePool2(flags, numberOfBytes, tag, Caller());

    /// <inheritdoc cref="AllocatePool2(ulong, ulong, uint)"/>
    /// <param name="caller">The calling thread (of this machine), fetched once by the caller.</param>
    /// <param name="special">Try special pool first (Driver Verifier's special pool for the calling driver).</param>
    internal ulong AllocatePool2(ulong flags, ulong numberOfBytes, uint tag, KTHREAD? caller, bool special = false)
    {
        var raise = (flags & POOL_FLAG_RAISE_ON_FAILURE) != 0;
        var required = flags & POOL_FLAG_REQUIRED_MASK;
        var poolBits = required & (POOL_FLAG_NON_PAGED | POOL_FLAG_NON_PAGED_EXECUTE | POOL_FLAG_PAGED);
        var known = POOL_FLAG_USE_QUOTA | POOL_FLAG_UNINITIALIZED | POOL_FLAG_SESSION | POOL_FLAG_CACHE_ALIGNED
            | POOL_FLAG_RAISE_ON_FAILURE | POOL_FLAG_NON_PAGED | POOL_FLAG_NON_PAGED_EXECUTE | POOL_FLAG_PAGED;
        var valid = tag != 0 && (required & ~known) == 0 && poolBits is POOL_FLAG_NON_PAGED or POOL_FLAG_NON_PAGED_EXECUTE or POOL_FLAG_PAGED;
        if (!valid)
        {
            return Failed(raise);
        }

        var paged = poolBits == POOL_FLAG_PAGED;
        var type = paged ? POOL_TYPE.PagedPool : poolBits == POOL_FLAG_NON_PAGED ? POOL_TYPE.NonPagedPoolNx : POOL_TYPE.NonPagedPool;
        var cacheAligned = (flags & POOL_FLAG_CACHE_ALIGNED) != 0;
        if (cacheAligned)
        {
            type |= (POOL_TYPE)4;
        }

        CheckAllocateIrql(caller, paged, type, numberOfBytes);
        var quota = (flags & POOL_FLAG_USE_QUOTA) != 0;
        if (special && AllocateSpecialPool(numberOfBytes, tag, type, paged, zero: (flags & POOL_FLAG_UNINITIALIZED) == 0) is var sp and not 0)
        {
            return sp;
        }

        var p = AllocateFromPool(caller, paged ? PagedPool : NonPagedPool, numberOfBytes, tag, type, cacheAligned,
            zero: (flags & POOL_FLAG_UNINITIALIZED) == 0, executable: poolBits == POOL_FLAG_NON_PAGED_EXECUTE, quota);
        return p != 0 ? p : Failed(raise);
    }

    /// <summary>
    /// ExAllocatePoolWithTag: memory is not zeroed (unless POOL_ZERO_ALLOCATION); NULL when memory is short,
    /// or STATUS_INSUFFICIENT_RESOURCES raised with POOL_RAISE_IF_ALLOCATION_FAILURE. A zero tag is
    /// BAD_POOL_CALLER 0x9B; a must-succeed pool type BAD_POOL_CALLER 0x9A.
    /// </summary>
    internal ulong AllocatePoolWithTag(POOL_TYPE poolType, ulong numberOfBytes, uint tag) =>
        AllocatePoolWithTag(poolType, numberOfBytes, tag, Caller());

    /// <inheritdoc cref="AllocatePoolWithTag(POOL_TYPE, ulong, uint)"/>
    /// <param name="caller">The calling thread (of this machine), fetched once by the caller.</param>
    /// <param name="special">Try special pool first (Driver Verifier's special pool for the calling driver).</param>
    internal ulong AllocatePoolWithTag(POOL_TYPE poolType, ulong numberOfBytes, uint tag, KTHREAD? caller, bool special = false)
    {
        var bits = (uint)poolType;
        var raise = (bits & POOL_RAISE_IF_ALLOCATION_FAILURE) != 0;
        var zero = (bits & POOL_ZERO_ALLOCATION) != 0;
        var executable = (bits & POOL_NX_ALLOCATION) == 0;
        var baseType = bits & 7;
        var paged = (baseType & 1) != 0;
        if ((baseType & 2) != 0)
        {
            _machine.BugCheck.Raise(BugCheckCode.BAD_POOL_CALLER, BadPoolMustSucceed, (ulong)poolType, numberOfBytes, tag);
        }

        if (tag == 0)
        {
            _machine.BugCheck.Raise(BugCheckCode.BAD_POOL_CALLER, BadPoolZeroTag, (ulong)poolType, numberOfBytes, CallerAddress());
        }

        CheckAllocateIrql(caller, paged, poolType, numberOfBytes);
        if (special && AllocateSpecialPool(numberOfBytes, tag, poolType, paged, zero) is var sp and not 0)
        {
            return sp;
        }

        var p = AllocateFromPool(caller, paged ? PagedPool : NonPagedPool, numberOfBytes, tag, poolType, cacheAligned: (baseType & 4) != 0,
            zero, executable && !paged, quota: false);
        return p != 0 ? p : Failed(raise);
    }

    /// <summary>
    /// ExFreePoolWithTag (and ExFreePool, tag 0: no tag check). IRQL &lt;= DISPATCH_LEVEL for nonpaged,
    /// &lt;= APC_LEVEL for paged pool. Anything but a live allocation is a bug check.
    /// </summary>
    internal void FreePool(ulong p, uint tag) => FreePool(p, tag, Caller());

    /// <inheritdoc cref="FreePool(ulong, uint)"/>
    /// <param name="caller">The calling thread (of this machine), fetched once by the caller.</param>
    internal void FreePool(ulong p, uint tag, KTHREAD? caller)
    {
        if (_driverAllocationCount != 0)
        {
            ForgetOwner(p);
        }

        if (p < SystemRangeStart)
        {
            RaiseBadPoolCaller(BadPoolUserAddress, p, SystemRangeStart, 0);
        }

        var pool = NonPagedRegion.Contains(p) ? NonPagedPool : PagedRegion.Contains(p) ? PagedPool : null;
        if (pool is null)
        {
            if (_specialRegion is { } special && special.Contains(p))
            {
                FreeSpecialPool(p, tag, caller);
                return;
            }

            RaiseBadPoolCaller(BadPoolNeverInPool, p, 0, 0);
        }

        var irql = caller?.Processor?.Irql ?? Irql.PASSIVE_LEVEL;
        if (irql > (pool.Paged ? Irql.APC_LEVEL : Irql.DISPATCH_LEVEL))
        {
            RaiseBadPoolCaller(BadPoolFreeIrql, irql, (ulong)pool.BaseType, p);
        }

        var index = pool.Region.PageIndex(p);
        var layout = pool.Layout[index];
        if (layout is > 0 and <= PoolLookaside.MaxUnits && OwnedLookaside(caller, pool) is { } lookaside)
        {
            var freedTag = ReleaseSmallBlock(pool, p, layout, tag);
            if (!lookaside.TryPush(layout, p - PoolHeader.Size))
            {
                DrainLookaside(pool, lookaside, layout);
                lookaside.TryPush(layout, p - PoolHeader.Size);
            }

            var counters = lookaside.CachedTag(freedTag) ?? CacheTag(pool, lookaside, freedTag);
            counters.Freed(lookaside.Slot, layout * 16);
            TracePoolBytes(pool, counters);
            return;
        }

        lock (pool.Lock)
        {
            layout = pool.Layout[index];
            if (layout > 0)
            {
                var freedTag = ReleaseSmallBlock(pool, p, layout, tag);
                pool.Push(layout, p - PoolHeader.Size);
                var freed = pool.Tags.Get(freedTag);
                freed.Freed(pool.SharedSlot, PoolDescriptor.BlockUnits(layout) * 16);
                TracePoolBytes(pool, freed);
            }
            else if (layout == PoolDescriptor.LayoutBigStart && (p & PageOffsetMask) == 0)
            {
                FreeBigAllocation(pool, p, tag);
            }
            else
            {
                RaiseNotAllocated(pool, p, layout);
            }
        }
    }

    /// <summary>A tag's bytes changed: the Chrome trace's pool counter, when a trace is being written.</summary>
    private void TracePoolBytes(PoolDescriptor pool, PoolTagCounters counters) =>
        _machine.Events.Trace?.OnPoolBytes(counters.Tag, pool.Paged, counters.Bytes);

    private ulong Failed(bool raise) =>
        raise ? throw new NtException(NTSTATUS.STATUS_INSUFFICIENT_RESOURCES) : 0UL;

    private void CheckAllocateIrql(KTHREAD? caller, bool paged, POOL_TYPE type, ulong numberOfBytes)
    {
        var irql = caller?.Processor?.Irql ?? Irql.PASSIVE_LEVEL;
        if (irql > (paged ? Irql.APC_LEVEL : Irql.DISPATCH_LEVEL))
        {
            _machine.BugCheck.Raise(BugCheckCode.BAD_POOL_CALLER, BadPoolAllocateIrql, irql, (ulong)type, numberOfBytes);
        }
    }

    private byte CurrentIrql() => Caller()?.Processor?.Irql ?? Irql.PASSIVE_LEVEL;

    /// <summary>The calling simulated thread if it belongs to this machine (host code has none).</summary>
    internal KTHREAD? Caller()
    {
        var thread = KTHREAD.Current;
        return thread is not null && thread.Machine == _machine ? thread : null;
    }

    /// <summary>The address of the calling code, as the caller's-address parameters of bug checks give it.</summary>
    private ulong CallerAddress()
    {
        var thread = KTHREAD.Current;
        return thread is null || thread.Machine != _machine
            ? 0
            : thread.InnermostDriverFrame()?.Address ?? thread.InnermostFrame()?.Address ?? 0;
    }

    private ulong ProcessToBill() => CurrentProcessSpace()?.ProcessAddress ?? 0;

    private ulong AllocateFromPool(KTHREAD? caller, PoolDescriptor pool, ulong bytes, uint tag, POOL_TYPE type, bool cacheAligned, bool zero, bool executable, bool quota)
    {
        int poolClass;
        var units = bytes <= SmallPoolMax ? Math.Max((int)((bytes + PoolHeader.Size + 15) >> 4), 2) : 0;
        if (cacheAligned && bytes <= SmallPoolMax)
        {
            var alignedUnits = (units + 3) & ~3;
            poolClass = (alignedUnits * 16) + (PoolDescriptor.AlignedFirstUnits * 16) <= PAGE_SIZE
                ? PoolDescriptor.AlignedClassBase + (alignedUnits / 4)
                : 0;
        }
        else
        {
            poolClass = units;
        }

        // Small blocks come from the caller's processor's lookaside list without a lock, as on NT.
        if (poolClass is > 0 and <= PoolLookaside.MaxUnits && OwnedLookaside(caller, pool) is { } lookaside)
        {
            if (!lookaside.TryPop(poolClass, out var block) && !RefillLookaside(pool, lookaside, poolClass, out block))
            {
                return 0;
            }

            InitializeSmallBlock(pool, poolClass, block, tag, type, zero, quota);
            var counters = lookaside.CachedTag(tag) ?? CacheTag(pool, lookaside, tag);
            counters.Allocated(lookaside.Slot, poolClass * 16);
            TracePoolBytes(pool, counters);
            return block + PoolHeader.Size;
        }

        lock (pool.Lock)
        {
            if (poolClass == 0)
            {
                return AllocateBig(pool, bytes, tag, type, executable, zero, quota);
            }

            if (!pool.TryPop(poolClass, out var block))
            {
                if (!CarvePage(pool, poolClass))
                {
                    return 0;
                }

                pool.TryPop(poolClass, out block);
            }

            InitializeSmallBlock(pool, poolClass, block, tag, type, zero, quota);
            var allocated = pool.Tags.Get(tag);
            allocated.Allocated(pool.SharedSlot, PoolDescriptor.BlockUnits(poolClass) * 16);
            TracePoolBytes(pool, allocated);
            return block + PoolHeader.Size;
        }
    }

    /// <summary>The lookaside lists of the caller's processor, if the caller owns that processor.</summary>
    private static PoolLookaside? OwnedLookaside(KTHREAD? caller, PoolDescriptor pool)
    {
        var prcb = caller?.Processor;
        return prcb is not null && prcb.CurrentThread == caller ? pool.Lookasides[prcb.Number] : null;
    }

    private static PoolTagCounters CacheTag(PoolDescriptor pool, PoolLookaside lookaside, uint tag)
    {
        PoolTagCounters counters;
        lock (pool.Lock)
        {
            counters = pool.Tags.Get(tag);
        }

        lookaside.CacheTag(counters);
        return counters;
    }

    /// <summary>Moves a batch of free blocks from the pool to a lookaside list and returns the lowest.</summary>
    private bool RefillLookaside(PoolDescriptor pool, PoolLookaside lookaside, int poolClass, out ulong block)
    {
        Span<ulong> batch = stackalloc ulong[PoolLookaside.Batch];
        var count = 0;
        lock (pool.Lock)
        {
            while (count < batch.Length)
            {
                if (!pool.TryPop(poolClass, out batch[count]))
                {
                    if (count > 0 || !CarvePage(pool, poolClass))
                    {
                        break;
                    }

                    continue;
                }

                count++;
            }
        }

        if (count == 0)
        {
            block = 0;
            return false;
        }

        for (var i = count - 1; i >= 1; i--)
        {
            lookaside.TryPush(poolClass, batch[i]);
        }

        block = batch[0];
        return true;
    }

    /// <summary>Returns a batch of a lookaside list's blocks to the pool (the list is full).</summary>
    private static void DrainLookaside(PoolDescriptor pool, PoolLookaside lookaside, int poolClass)
    {
        lock (pool.Lock)
        {
            for (var i = 0; i < PoolLookaside.Batch && lookaside.TryPop(poolClass, out var block); i++)
            {
                pool.Push(poolClass, block);
            }
        }
    }

    /// <summary>Writes the header of a block taken off a free list, checking the free header first.</summary>
    private void InitializeSmallBlock(PoolDescriptor pool, int poolClass, ulong block, uint tag, POOL_TYPE type, bool zero, bool quota)
    {
        var blockUnits = PoolDescriptor.BlockUnits(poolClass);
        var firstUnits = PoolDescriptor.FirstUnits(poolClass);
        var offset = (int)(block & PageOffsetMask);
        var previous = offset == firstUnits * 16 ? firstUnits : blockUnits;
        var poolTypeField = (((uint)type & 7) + 1) | (quota ? PoolHeader.QuotaMask : 0u);
        var ulong1 = (uint)previous | ((uint)pool.PoolIndex << 8) | ((uint)blockUnits << 16) | (poolTypeField << 24);
        var billed = quota ? ProcessToBill() : 0;

        EnterAccess();
        ref var header = ref Unsafe.Add(ref MemoryMarshal.GetReference(PageFor(block, write: true, KPROCESSOR_MODE.KernelMode)), offset);
        var old = Unsafe.ReadUnaligned<ulong>(ref header);

        // A free block has PoolType 0 and its class's BlockSize; anything else was written after the free.
        if ((old & 0xFFFF_0000UL) != (ulong)blockUnits << 16)
        {
            ExitAccess();
            RaiseFreedHeaderModified(block, old);
        }

        Unsafe.WriteUnaligned(ref header, ulong1 | ((ulong)tag << 32));
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref header, 8), billed);
        if (zero)
        {
            // Small blocks are a few 16-byte units: storing them inline beats a call to memset.
            for (var unit = 1; unit < blockUnits; unit++)
            {
                Unsafe.WriteUnaligned(ref Unsafe.Add(ref header, unit * 16), Vector128<byte>.Zero);
            }
        }

        ExitAccess();
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void RaiseFreedHeaderModified(ulong block, ulong header) =>
        _machine.BugCheck.Raise(BugCheckCode.BAD_POOL_HEADER, BadHeaderFreedModified, block, header, 0);

    /// <summary>Maps a new page for a small-block class and puts its blocks on the class's free stack.</summary>
    private bool CarvePage(PoolDescriptor pool, int poolClass)
    {
        var index = pool.Region.Allocate(1);
        if (index < 0)
        {
            return false;
        }

        if (!ChargeCommit(1))
        {
            pool.Region.Free(index, 1);
            return false;
        }

        var va = pool.Region.PageAddress(index);
        var blockUnits = PoolDescriptor.BlockUnits(poolClass);
        var firstUnits = PoolDescriptor.FirstUnits(poolClass);
        var blocks = PoolDescriptor.BlocksPerPage(poolClass);
        lock (_pfnLock)
        {
            var frame = AllocateFrameLocked(zero: false, pageable: pool.Paged);
            if (frame is null)
            {
                ReturnCommit(1);
                pool.Region.Free(index, 1);
                return false;
            }

            MapFrameLocked(SystemSpace, va, frame.Value, MmProtection.MM_READWRITE);

            // Every block starts out as a free block with a real header; so do the fillers.
            var page = _physical.Frame((ulong)frame.Value);
            var offset = 0;
            var previous = 0;
            if (firstUnits > 0)
            {
                new PoolHeader(0, pool.PoolIndex, (byte)firstUnits, 0, 0, 0).Write(page);
                offset = firstUnits * 16;
                previous = firstUnits;
            }

            for (var i = 0; i < blocks; i++)
            {
                new PoolHeader((byte)previous, pool.PoolIndex, (byte)blockUnits, 0, 0, 0).Write(page[offset..]);
                previous = blockUnits;
                offset += blockUnits * 16;
            }

            if (offset < PAGE_SIZE)
            {
                new PoolHeader((byte)previous, pool.PoolIndex, (byte)((PAGE_SIZE - offset) / 16), 0, 0, 0).Write(page[offset..]);
            }
        }

        pool.Layout[index] = (short)poolClass;
        pool.SmallPages++;
        for (var i = blocks - 1; i >= 0; i--)
        {
            pool.Push(poolClass, va + (ulong)((firstUnits + (i * blockUnits)) * 16));
        }

        return true;
    }

    private ulong AllocateBig(PoolDescriptor pool, ulong bytes, uint tag, POOL_TYPE type, bool executable, bool zero, bool quota)
    {
        var maxBytes = (ulong)pool.Region.PageCount << PAGE_SHIFT;
        if (bytes > maxBytes)
        {
            return 0;
        }

        var pages = (int)((bytes + PageOffsetMask) >> PAGE_SHIFT);
        pages = Math.Max(pages, 1);
        if (!ChargeCommit(pages))
        {
            return 0;
        }

        var index = pool.Region.Allocate(pages);
        if (index < 0)
        {
            ReturnCommit(pages);
            return 0;
        }

        var va = pool.Region.PageAddress(index);
        lock (_pfnLock)
        {
            for (var i = 0; i < pages; i++)
            {
                var pageVa = va + ((ulong)i << PAGE_SHIFT);
                if (pool.Paged)
                {
                    // Paged pool is committed as demand-zero pages: a frame arrives on first touch.
                    WritePte(PteAddress(SystemSpace, pageVa, create: true), Pte.MakeSoftware(MmProtection.MM_READWRITE, 0));
                    continue;
                }

                var frame = AllocateFrameLocked(zero, pageable: false);
                if (frame is null)
                {
                    for (var j = 0; j < i; j++)
                    {
                        UnmapPageLocked(SystemSpace, va + ((ulong)j << PAGE_SHIFT));
                    }

                    pool.Region.Free(index, pages);
                    ReturnCommit(pages);
                    return 0;
                }

                MapFrameLocked(SystemSpace, pageVa, frame.Value, executable ? MmProtection.MM_EXECUTE_READWRITE : MmProtection.MM_READWRITE);
            }
        }

        pool.Layout[index] = PoolDescriptor.LayoutBigStart;
        for (var i = 1; i < pages; i++)
        {
            pool.Layout[index + i] = PoolDescriptor.LayoutBigRest;
        }

        pool.BigPages.Add(va, new BigPoolEntry(tag, pages, type, quota));
        var counters = pool.Tags.Get(tag);
        counters.Allocated(pool.SharedSlot, (long)pages << PAGE_SHIFT);
        TracePoolBytes(pool, counters);
        return va;
    }

    /// <summary>
    /// Checks that <paramref name="p"/> is a live small block with a sound header and the caller's tag, and
    /// marks it free (PoolType 0; size and tag stay, as !pool shows a freed block). Returns its tag.
    /// </summary>
    private uint ReleaseSmallBlock(PoolDescriptor pool, ulong p, int poolClass, uint tag)
    {
        var blockUnits = PoolDescriptor.BlockUnits(poolClass);
        var firstBytes = PoolDescriptor.FirstUnits(poolClass) * 16;
        var offset = (int)(p & PageOffsetMask) - PoolHeader.Size;
        if (PoolDescriptor.BlockIndex(poolClass, offset - firstBytes) < 0)
        {
            RaiseBadPoolCaller(BadPoolInvalidAddress, p, 0, 0);
        }

        var nextOffset = offset + (blockUnits * 16);
        var expectedPrevious = offset == firstBytes ? firstBytes >> 4 : blockUnits;

        // Ulong1 as it must read: PreviousSize, PoolIndex, BlockSize, and a PoolType of this pool.
        var expected = (uint)expectedPrevious | ((uint)pool.PoolIndex << 8) | ((uint)blockUnits << 16);
        EnterAccess();
        ref var page = ref MemoryMarshal.GetReference(PageFor(p - PoolHeader.Size, write: true, KPROCESSOR_MODE.KernelMode));
        var first = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref page, offset));
        var nextPrevious = nextOffset < PAGE_SIZE ? Unsafe.Add(ref page, nextOffset) : blockUnits;
        var poolType = (uint)(first >> 24) & 0xFF;
        var headerTag = (uint)(first >> 32);
        var sound = ((uint)first & 0x00FF_FFFF) == expected
            && nextPrevious == blockUnits
            && poolType != 0
            && (((poolType & 7) - 1) & 1) == (pool.Paged ? 1u : 0u)
            && (tag == 0 || ((headerTag ^ tag) & ~PoolTags.PROTECTED_POOL) == 0);
        if (sound)
        {
            Unsafe.Add(ref page, offset + 3) = 0;
            ExitAccess();
            return headerTag;
        }

        ExitAccess();
        RaiseFreeFault(pool, p, first, nextPrevious, blockUnits, expectedPrevious, tag);
        return 0;
    }

    /// <summary>The bug check for a free whose block or header fails a check, in the order NT checks.</summary>
    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void RaiseFreeFault(PoolDescriptor pool, ulong p, ulong first, int nextPrevious, int blockUnits, int expectedPrevious, uint tag)
    {
        var block = p - PoolHeader.Size;
        var header = new PoolHeader((byte)first, (byte)(first >> 8), (byte)(first >> 16), (byte)(first >> 24), (uint)(first >> 32), 0);
        if (header.PoolType == 0)
        {
            RaiseBadPoolCaller(BadPoolDoubleFree, 0, first, p);
        }

        if (header.BlockSize != blockUnits)
        {
            _machine.BugCheck.Raise(BugCheckCode.BAD_POOL_HEADER, BadHeaderBlockSize, 0, 0, block);
        }

        if (header.PreviousSize != expectedPrevious)
        {
            _machine.BugCheck.Raise(BugCheckCode.BAD_POOL_HEADER, BadHeaderNeighbours, block, 0, block - ((ulong)expectedPrevious * 16));
        }

        if (nextPrevious != blockUnits)
        {
            _machine.BugCheck.Raise(BugCheckCode.BAD_POOL_HEADER, BadHeaderNeighbours, block, 0, block + ((ulong)blockUnits * 16));
        }

        if (header.PoolIndex != pool.PoolIndex || (((header.PoolType & 7) - 1) & 1) != (pool.Paged ? 1 : 0))
        {
            RaiseBadPoolCaller(BadPoolCorruptHeader, block, header.Ulong1, 0);
        }

        RaiseBadPoolCaller(BadPoolWrongTag, p, header.PoolTag, tag);
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void RaiseBadPoolCaller(ulong kind, ulong p2, ulong p3, ulong p4) =>
        _machine.BugCheck.Raise(BugCheckCode.BAD_POOL_CALLER, kind, p2, p3, p4);

    private void FreeBigAllocation(PoolDescriptor pool, ulong p, uint tag)
    {
        var entry = pool.BigPages[p];
        if (tag != 0 && (entry.Tag & ~PoolTags.PROTECTED_POOL) != (tag & ~PoolTags.PROTECTED_POOL))
        {
            _machine.BugCheck.Raise(BugCheckCode.BAD_POOL_CALLER, BadPoolWrongTag, p, entry.Tag, tag);
        }

        lock (_pfnLock)
        {
            for (var i = 0; i < entry.Pages; i++)
            {
                UnmapPageLocked(SystemSpace, p + ((ulong)i << PAGE_SHIFT));
            }
        }

        var index = pool.Region.PageIndex(p);
        Array.Clear(pool.Layout, index, entry.Pages);
        pool.Region.Free(index, entry.Pages);
        pool.BigPages.Remove(p);
        ReturnCommit(entry.Pages);
        var counters = pool.Tags.Get(entry.Tag);
        counters.Freed(pool.SharedSlot, (long)entry.Pages << PAGE_SHIFT);
        TracePoolBytes(pool, counters);
    }

    private void RaiseNotAllocated(PoolDescriptor pool, ulong p, short layout)
    {
        var pageOffset = (ulong)pool.Region.PageIndex(p);
        if (!pool.Paged)
        {
            _machine.BugCheck.Raise(BugCheckCode.BAD_POOL_CALLER, BadPoolNonPagedNotAllocated, p, 0, 0);
        }

        if (layout == PoolDescriptor.LayoutNone)
        {
            _machine.BugCheck.Raise(BugCheckCode.BAD_POOL_CALLER, BadPoolPagedNotAllocated, p, pageOffset,
                (ulong)pool.Region.PageCount << PAGE_SHIFT);
        }

        _machine.BugCheck.Raise(BugCheckCode.BAD_POOL_CALLER, BadPoolPagedMiddleOfAllocation, 0, 0, pageOffset);
    }
}
