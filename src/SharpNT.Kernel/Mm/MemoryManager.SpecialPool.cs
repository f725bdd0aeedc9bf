using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using SharpNT.Kernel.Ke;

namespace SharpNT.Kernel.Mm;

/// <summary>
/// Special pool (Driver Verifier option 0x1, "verify end" alignment, the default): every allocation gets a
/// page of its own followed by a guard page that is never mapped. The caller's bytes end at the highest
/// aligned address of the page, so reading or writing past them touches the guard page at once; the bytes
/// before the allocation and the alignment slack after it hold a pattern checked when the block is freed; a
/// freed page is unmapped, so a use after free faults at the access.
/// </summary>
internal sealed partial class MemoryManager
{
    /// <summary>Where special pool lives: above paged pool, under the kernel PML4 entries made at boot.</summary>
    internal const ulong SpecialPoolStart = 0xFFFFF8A8_00000000UL;

    /// <summary>Pages of special pool address space (each allocation takes two: data and guard).</summary>
    internal const int SpecialPoolPages = 16384;

    /// <summary>MEMORY_ALLOCATION_ALIGNMENT on x64: pool addresses are multiples of 16.</summary>
    private const ulong SpecialPoolAlignment = 16;

    /// <summary>SPECIAL_POOL_DETECTED_MEMORY_CORRUPTION parameter 4 values (the documented violation kinds).</summary>
    internal const ulong SpecialPoolFreeNotAllocated = 0x20;
    internal const ulong SpecialPoolFreeBadAddress = 0x21;
    internal const ulong SpecialPoolCorruptedBefore = 0x23;
    internal const ulong SpecialPoolCorruptedAfter = 0x24;
    internal const ulong SpecialPoolFreeIrql = 0x31;

    private readonly Lock _specialLock = new();

    /// <summary>Live and freed special pool allocations by data page (read lock-free by the fault handler).</summary>
    private readonly ConcurrentDictionary<ulong, SpecialPoolEntry> _specialPages = new();

    /// <summary>Freed data pages, oldest first: reused only when fresh address space runs out.</summary>
    private readonly Queue<ulong> _specialFreed = new();

    private SystemVaRegion? _specialRegion;
    private int _specialNextPage;

    /// <summary>The special pool's address range, or null while no verified driver has used it.</summary>
    internal SystemVaRegion? SpecialRegion => _specialRegion;

    /// <summary>The special pool allocation whose data page holds <paramref name="va"/>, live or freed.</summary>
    internal SpecialPoolEntry? SpecialPoolEntryAt(ulong va) =>
        _specialPages.TryGetValue(va & ~PageOffsetMask, out var entry) ? entry : null;

    /// <summary>
    /// Allocates <paramref name="bytes"/> from special pool (caller has checked IRQL and arguments); 0 when
    /// the request does not fit on one page or special pool is exhausted, so the caller uses normal pool
    /// (as NT falls back when special pool runs out).
    /// </summary>
    internal ulong AllocateSpecialPool(ulong bytes, uint tag, POOL_TYPE type, bool paged, bool zero)
    {
        var rounded = (Math.Max(bytes, 1) + SpecialPoolAlignment - 1) & ~(SpecialPoolAlignment - 1);
        if (rounded > PAGE_SIZE)
        {
            return 0;
        }

        lock (_specialLock)
        {
            _specialRegion ??= new SystemVaRegion("SpecialPool", SpecialPoolStart, SpecialPoolPages);
            ulong page;
            if (_specialNextPage + 2 <= SpecialPoolPages)
            {
                page = _specialRegion.PageAddress(_specialNextPage);
                _specialNextPage += 2;
            }
            else if (_specialFreed.TryDequeue(out page))
            {
                _specialPages.TryRemove(page, out _);
            }
            else
            {
                return 0;
            }

            if (!ChargeCommit(1))
            {
                _specialFreed.Enqueue(page);
                return 0;
            }

            lock (_pfnLock)
            {
                var frame = AllocateFrameLocked(zero: false, pageable: paged);
                if (frame is null)
                {
                    ReturnCommit(1);
                    _specialFreed.Enqueue(page);
                    return 0;
                }

                MapFrameLocked(SystemSpace, page, frame.Value, MmProtection.MM_READWRITE);
                var bytesOfPage = _physical.Frame((ulong)frame.Value);
                bytesOfPage.Fill(SpecialPoolPattern(page));
                if (zero)
                {
                    bytesOfPage.Slice(PAGE_SIZE - (int)rounded, (int)bytes).Clear();
                }
            }

            var address = page + PAGE_SIZE - rounded;
            _specialPages[page] = new SpecialPoolEntry(page, address, bytes, tag, type, paged);
            var pool = paged ? PagedPool : NonPagedPool;
            lock (pool.Lock)
            {
                var counters = pool.Tags.Get(tag);
                counters.Allocated(pool.SharedSlot, PAGE_SIZE);
                TracePoolBytes(pool, counters);
            }

            return address;
        }
    }

    /// <summary>
    /// ExFreePool of a special pool address: checks the address, the IRQL, the tag and the pattern around
    /// the allocation, then unmaps the page so any later touch faults.
    /// </summary>
    private void FreeSpecialPool(ulong p, uint tag, KTHREAD? caller)
    {
        var entry = SpecialPoolEntryAt(p);
        if (entry is null || entry.Freed)
        {
            RaiseSpecialPoolCorruption(p, 0, 0, SpecialPoolFreeNotAllocated);
        }

        var rounded = entry.Page + PAGE_SIZE - entry.Address;
        if (p != entry.Address)
        {
            RaiseSpecialPoolCorruption(p, entry.Bytes, rounded, SpecialPoolFreeBadAddress);
        }

        var irql = caller?.Processor?.Irql ?? Irql.PASSIVE_LEVEL;
        if (irql > (entry.Paged ? Irql.APC_LEVEL : Irql.DISPATCH_LEVEL))
        {
            RaiseSpecialPoolCorruption(irql, (ulong)entry.Type, p, SpecialPoolFreeIrql);
        }

        if (tag != 0 && ((entry.Tag ^ tag) & ~PoolTags.PROTECTED_POOL) != 0)
        {
            RaiseBadPoolCaller(BadPoolWrongTag, p, entry.Tag, tag);
        }

        // The pattern before the allocation (an underrun) and in the slack after it (an overrun that
        // stayed inside the page): the first changed byte is reported.
        Span<byte> page = stackalloc byte[PAGE_SIZE];
        Read(entry.Page, page);
        var pattern = SpecialPoolPattern(entry.Page);
        var offset = (int)(entry.Address - entry.Page);
        var before = page[..offset].IndexOfAnyExcept(pattern);
        if (before >= 0)
        {
            RaiseSpecialPoolCorruption(p, entry.Page + (ulong)before, 0, SpecialPoolCorruptedBefore);
        }

        var slackStart = offset + (int)entry.Bytes;
        var after = page[slackStart..].IndexOfAnyExcept(pattern);
        if (after >= 0)
        {
            RaiseSpecialPoolCorruption(p, entry.Page + (ulong)(slackStart + after), 0, SpecialPoolCorruptedAfter);
        }

        lock (_specialLock)
        {
            lock (_pfnLock)
            {
                UnmapPageLocked(SystemSpace, entry.Page);
            }

            ReturnCommit(1);
            entry.Freed = true;
            _specialFreed.Enqueue(entry.Page);
            var pool = entry.Paged ? PagedPool : NonPagedPool;
            lock (pool.Lock)
            {
                var counters = pool.Tags.Get(entry.Tag);
                counters.Freed(pool.SharedSlot, PAGE_SIZE);
                TracePoolBytes(pool, counters);
            }
        }
    }

    /// <summary>
    /// A fault on a special pool address with no mapping: the guard page after a live allocation is an
    /// access beyond its end (0xD6 from driver code, 0xCD otherwise); a freed allocation's page is a use
    /// after free (0xD5 / 0xCC). Parameters: address, 0 read / 1 write, faulting code address, reserved.
    /// Returns if the address was never special pool (the caller raises what it would anyway).
    /// </summary>
    private void RaiseSpecialPoolFault(KTHREAD? thread, ulong va, bool write)
    {
        var page = va & ~PageOffsetMask;
        var driver = thread?.InnermostDriverFrame();
        var pc = driver?.Address ?? thread?.InnermostFrame()?.Address ?? 0;
        var access = write ? 1UL : 0UL;
        if (_specialPages.TryGetValue(page - PAGE_SIZE, out var below) && !below.Freed)
        {
            _machine.BugCheck.Raise(driver is not null ? BugCheckCode.DRIVER_PAGE_FAULT_BEYOND_END_OF_ALLOCATION : BugCheckCode.PAGE_FAULT_BEYOND_END_OF_ALLOCATION,
                va, access, pc, 0);
        }

        if (_specialPages.TryGetValue(page, out var entry) && entry.Freed)
        {
            _machine.BugCheck.Raise(driver is not null ? BugCheckCode.DRIVER_PAGE_FAULT_IN_FREED_SPECIAL_POOL : BugCheckCode.PAGE_FAULT_IN_FREED_SPECIAL_POOL,
                va, access, pc, 0);
        }
    }

    /// <summary>
    /// The fill byte of a special pool page: it differs from page to page, so bytes copied from one
    /// allocation's surroundings to another's do not pass for intact.
    /// </summary>
    private static byte SpecialPoolPattern(ulong page) => (byte)(0x80 | ((page >> PAGE_SHIFT) & 0x7F));

    [DoesNotReturn]
    private void RaiseSpecialPoolCorruption(ulong p1, ulong p2, ulong p3, ulong kind) =>
        _machine.BugCheck.Raise(BugCheckCode.SPECIAL_POOL_DETECTED_MEMORY_CORRUPTION, p1, p2, p3, kind);
}
