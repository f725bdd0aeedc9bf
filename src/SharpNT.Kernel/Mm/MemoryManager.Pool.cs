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
    internal ulong AllocatePool2(ulong flags, ulong numberOfBytes, uint tag)
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

        CheckAllocateIrql(paged, type, numberOfBytes);
        var quota = (flags & POOL_FLAG_USE_QUOTA) != 0;
        var p = AllocateFromPool(paged ? PagedPool : NonPagedPool, numberOfBytes, tag, type, cacheAligned,
            zero: (flags & POOL_FLAG_UNINITIALIZED) == 0, executable: poolBits == POOL_FLAG_NON_PAGED_EXECUTE, quota);
        return p != 0 ? p : Failed(raise);
    }

    /// <summary>
    /// ExAllocatePoolWithTag: memory is not zeroed (unless POOL_ZERO_ALLOCATION); NULL when memory is short,
    /// or STATUS_INSUFFICIENT_RESOURCES raised with POOL_RAISE_IF_ALLOCATION_FAILURE. A zero tag is
    /// BAD_POOL_CALLER 0x9B; a must-succeed pool type BAD_POOL_CALLER 0x9A.
    /// </summary>
    internal ulong AllocatePoolWithTag(POOL_TYPE poolType, ulong numberOfBytes, uint tag)
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

        CheckAllocateIrql(paged, poolType, numberOfBytes);
        var p = AllocateFromPool(paged ? PagedPool : NonPagedPool, numberOfBytes, tag, poolType, cacheAligned: (baseType & 4) != 0,
            zero, executable && !paged, quota: false);
        return p != 0 ? p : Failed(raise);
    }

    /// <summary>
    /// ExFreePoolWithTag (and ExFreePool, tag 0: no tag check). IRQL &lt;= DISPATCH_LEVEL for nonpaged,
    /// &lt;= APC_LEVEL for paged pool. Anything but a live allocation is a bug check.
    /// </summary>
    internal void FreePool(ulong p, uint tag)
    {
        if (p < SystemRangeStart)
        {
            _machine.BugCheck.Raise(BugCheckCode.BAD_POOL_CALLER, BadPoolUserAddress, p, SystemRangeStart, 0);
        }

        var pool = NonPagedRegion.Contains(p) ? NonPagedPool : PagedRegion.Contains(p) ? PagedPool : null;
        if (pool is null)
        {
            _machine.BugCheck.Raise(BugCheckCode.BAD_POOL_CALLER, BadPoolNeverInPool, p, 0, 0);
        }

        var irql = CurrentIrql();
        if (irql > (pool.Paged ? Irql.APC_LEVEL : Irql.DISPATCH_LEVEL))
        {
            _machine.BugCheck.Raise(BugCheckCode.BAD_POOL_CALLER, BadPoolFreeIrql, irql, (ulong)pool.BaseType, p);
        }

        lock (pool.Lock)
        {
            var index = pool.Region.PageIndex(p);
            var layout = pool.Layout[index];
            if (layout > 0)
            {
                FreeSmallBlock(pool, p, layout, tag);
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

    private ulong Failed(bool raise) =>
        raise ? throw new NtException(NTSTATUS.STATUS_INSUFFICIENT_RESOURCES) : 0UL;

    private void CheckAllocateIrql(bool paged, POOL_TYPE type, ulong numberOfBytes)
    {
        var irql = CurrentIrql();
        if (irql > (paged ? Irql.APC_LEVEL : Irql.DISPATCH_LEVEL))
        {
            _machine.BugCheck.Raise(BugCheckCode.BAD_POOL_CALLER, BadPoolAllocateIrql, irql, (ulong)type, numberOfBytes);
        }
    }

    private byte CurrentIrql()
    {
        var thread = KTHREAD.Current;
        return thread is not null && thread.Machine == _machine ? thread.Processor?.Irql ?? Irql.PASSIVE_LEVEL : Irql.PASSIVE_LEVEL;
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

    private ulong AllocateFromPool(PoolDescriptor pool, ulong bytes, uint tag, POOL_TYPE type, bool cacheAligned, bool zero, bool executable, bool quota)
    {
        int poolClass;
        var units = (int)Math.Min((bytes + PoolHeader.Size + 15) / 16, int.MaxValue);
        units = Math.Max(units, 2);
        if (cacheAligned && bytes <= SmallPoolMax)
        {
            var alignedUnits = (units + 3) & ~3;
            poolClass = (alignedUnits * 16) + (PoolDescriptor.AlignedFirstUnits * 16) <= PAGE_SIZE
                ? PoolDescriptor.AlignedClassBase + (alignedUnits / 4)
                : 0;
        }
        else
        {
            poolClass = bytes <= SmallPoolMax ? units : 0;
        }

        lock (pool.Lock)
        {
            return poolClass == 0
                ? AllocateBig(pool, bytes, tag, type, executable, zero, quota)
                : AllocateSmall(pool, poolClass, tag, type, zero, quota);
        }
    }

    private ulong AllocateSmall(PoolDescriptor pool, int poolClass, uint tag, POOL_TYPE type, bool zero, bool quota)
    {
        if (!pool.TryPop(poolClass, out var block))
        {
            if (!CarvePage(pool, poolClass))
            {
                return 0;
            }

            pool.TryPop(poolClass, out block);
        }

        var blockUnits = PoolDescriptor.BlockUnits(poolClass);
        var firstUnits = PoolDescriptor.FirstUnits(poolClass);
        var offset = (int)(block & PageOffsetMask);
        var previous = offset == firstUnits * 16 ? firstUnits : blockUnits;
        var poolTypeField = (byte)((((uint)type & 7) + 1) | (quota ? PoolHeader.QuotaMask : 0u));
        var header = new PoolHeader((byte)previous, pool.PoolIndex, (byte)blockUnits, poolTypeField, tag, quota ? ProcessToBill() : 0);

        EnterAccess();
        var page = PageFor(block, write: true, KPROCESSOR_MODE.KernelMode);
        var old = PoolHeader.Read(page[offset..]);
        if (old.PoolType != 0 || old.BlockSize != blockUnits)
        {
            // The header of a block on the free list changed after it was freed: something wrote past the
            // end of the block before it, or into freed memory.
            ExitAccess();
            _machine.BugCheck.Raise(BugCheckCode.BAD_POOL_HEADER, BadHeaderFreedModified, block, old.FirstQuadword, 0);
        }

        header.Write(page[offset..]);
        if (zero)
        {
            page.Slice(offset + PoolHeader.Size, (blockUnits * 16) - PoolHeader.Size).Clear();
        }

        ExitAccess();
        var counters = pool.Tags.Get(tag);
        counters.Allocs++;
        counters.Bytes += blockUnits * 16;
        return block + PoolHeader.Size;
    }

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
        counters.Allocs++;
        counters.Bytes += (long)pages << PAGE_SHIFT;
        return va;
    }

    private void FreeSmallBlock(PoolDescriptor pool, ulong p, int poolClass, uint tag)
    {
        var blockUnits = PoolDescriptor.BlockUnits(poolClass);
        var firstUnits = PoolDescriptor.FirstUnits(poolClass);
        var offset = (int)(p & PageOffsetMask) - PoolHeader.Size;
        var relative = offset - (firstUnits * 16);
        if (offset < 0 || relative < 0 || relative % (blockUnits * 16) != 0 || relative / (blockUnits * 16) >= PoolDescriptor.BlocksPerPage(poolClass))
        {
            _machine.BugCheck.Raise(BugCheckCode.BAD_POOL_CALLER, BadPoolInvalidAddress, p, 0, 0);
        }

        var block = p - PoolHeader.Size;
        var nextOffset = offset + (blockUnits * 16);
        EnterAccess();
        var page = PageFor(block, write: true, KPROCESSOR_MODE.KernelMode);
        var header = PoolHeader.Read(page[offset..]);
        var next = nextOffset < PAGE_SIZE ? PoolHeader.Read(page[nextOffset..]) : default;
        ExitAccess();

        if (header.PoolType == 0)
        {
            _machine.BugCheck.Raise(BugCheckCode.BAD_POOL_CALLER, BadPoolDoubleFree, 0, header.FirstQuadword, p);
        }

        if (header.BlockSize != blockUnits)
        {
            _machine.BugCheck.Raise(BugCheckCode.BAD_POOL_HEADER, BadHeaderBlockSize, 0, 0, block);
        }

        var expectedPrevious = offset == firstUnits * 16 ? firstUnits : blockUnits;
        if (header.PreviousSize != expectedPrevious)
        {
            _machine.BugCheck.Raise(BugCheckCode.BAD_POOL_HEADER, BadHeaderNeighbours, block, 0, block - ((ulong)expectedPrevious * 16));
        }

        if (nextOffset < PAGE_SIZE && next.PreviousSize != blockUnits)
        {
            _machine.BugCheck.Raise(BugCheckCode.BAD_POOL_HEADER, BadHeaderNeighbours, block, 0, block + ((ulong)blockUnits * 16));
        }

        if (header.PoolIndex != pool.PoolIndex || (((header.PoolType & 7) - 1) & 1) != (pool.Paged ? 1 : 0))
        {
            _machine.BugCheck.Raise(BugCheckCode.BAD_POOL_CALLER, BadPoolCorruptHeader, block, header.Ulong1, 0);
        }

        if (tag != 0 && (header.PoolTag & ~PoolTags.PROTECTED_POOL) != (tag & ~PoolTags.PROTECTED_POOL))
        {
            _machine.BugCheck.Raise(BugCheckCode.BAD_POOL_CALLER, BadPoolWrongTag, p, header.PoolTag, tag);
        }

        // A freed block keeps its size and tag (as !pool shows them) with PoolType 0.
        EnterAccess();
        PageFor(block, write: true, KPROCESSOR_MODE.KernelMode)[offset + 3] = 0;
        ExitAccess();
        pool.Push(poolClass, block);
        var counters = pool.Tags.Get(header.PoolTag);
        counters.Frees++;
        counters.Bytes -= blockUnits * 16;
    }

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
        counters.Frees++;
        counters.Bytes -= (long)entry.Pages << PAGE_SHIFT;
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
