using SharpNT.Kernel.Ke;
using SharpNT.Kernel.Mm;
using static SharpNT.Kernel.Ddi.Wdm;

namespace SharpNT.Kernel.Tests.Mm;

public sealed class PoolTests
{
    [Fact]
    public void A_tag_reads_in_memory_order_like_a_reversed_C_literal()
    {
        // The C literal 'pmaS' is 0x706D6153: 'S' in the low byte, so the bytes read "Samp".
        Assert.Equal(0x706D6153u, PoolTag("Samp"));
        Assert.Equal("Samp", PoolTags.ToString(0x706D6153u));
        Assert.Equal(PoolTag("Mdl "), PoolTag("Mdl"));
        Assert.Equal("Samp", PoolTags.ToString(PoolTag("Samp") | PoolTags.PROTECTED_POOL));
        Assert.Throws<ArgumentException>(() => PoolTag("Toolong"));
    }

    [Fact]
    public void A_small_block_has_a_real_x64_POOL_HEADER_in_front()
    {
        using var machine = MmMachines.Boot();
        var mm = machine.Mm;
        machine.Run(() =>
        {
            var tag = PoolTag("Samp");
            var first = ExAllocatePool2(POOL_FLAG_NON_PAGED, 100, tag);
            var second = ExAllocatePool2(POOL_FLAG_NON_PAGED, 100, tag);
            Assert.Equal(0UL, first & 0xF);
            Assert.True(mm.NonPagedRegion.Contains(first));

            // 100 bytes + 16 of header round up to 8 units of 16 bytes; the two blocks are neighbours.
            var h1 = MmMachines.ReadHeader(mm, first);
            Assert.Equal(0, h1.PreviousSize);
            Assert.Equal(0, h1.PoolIndex);
            Assert.Equal(8, h1.BlockSize);
            Assert.Equal((byte)((uint)NonPagedPoolNx + 1 & 0xFF), h1.PoolType);
            Assert.Equal(tag, h1.PoolTag);
            Assert.Equal(0UL, h1.ProcessBilled);
            Assert.Equal(first + 128, second);
            var h2 = MmMachines.ReadHeader(mm, second);
            Assert.Equal(8, h2.PreviousSize);

            // The raw bytes: PreviousSize, PoolIndex, BlockSize, PoolType, then the tag in memory order.
            Span<byte> raw = stackalloc byte[8];
            mm.Read(second - 16, raw);
            Assert.Equal(new byte[] { 8, 0, 8, 1, (byte)'S', (byte)'a', (byte)'m', (byte)'p' }, raw.ToArray());

            var paged = ExAllocatePool2(POOL_FLAG_PAGED, 40, tag);
            Assert.True(mm.PagedRegion.Contains(paged));
            var hp = MmMachines.ReadHeader(mm, paged);
            Assert.Equal(1, hp.PoolIndex);
            Assert.Equal(2, hp.PoolType);
            Assert.Equal(4, hp.BlockSize);

            ExFreePoolWithTag(first, tag);
            var freed = MmMachines.ReadHeader(mm, first);
            Assert.Equal(0, freed.PoolType);
            Assert.Equal(8, freed.BlockSize);
            Assert.Equal(tag, freed.PoolTag);

            // The free list is LIFO: the same size gets the block just freed.
            Assert.Equal(first, ExAllocatePool2(POOL_FLAG_NON_PAGED, 100, tag));
        });
    }

    [Fact]
    public void Pool_usage_counts_allocations_frees_and_bytes_per_tag_and_pool()
    {
        using var machine = MmMachines.Boot();
        machine.Run(() =>
        {
            var tag = PoolTag("Use1");
            var a = ExAllocatePool2(POOL_FLAG_NON_PAGED, 48, tag);
            _ = ExAllocatePool2(POOL_FLAG_NON_PAGED, 48, tag);
            _ = ExAllocatePool2(POOL_FLAG_NON_PAGED, 3 * PAGE_SIZE, tag);
            _ = ExAllocatePool2(POOL_FLAG_PAGED, 10, tag);
            ExFreePoolWithTag(a, tag);
        });

        var usage = machine.Mm.QueryPoolUsage();
        var nonPaged = Assert.Single(usage, u => u.Tag == "Use1" && !u.Paged);
        Assert.Equal(3, nonPaged.Allocs);
        Assert.Equal(1, nonPaged.Frees);
        Assert.Equal(2, nonPaged.Outstanding);
        Assert.Equal(64 + (3 * PAGE_SIZE), nonPaged.Bytes);
        var paged = Assert.Single(usage, u => u.Tag == "Use1" && u.Paged);
        Assert.Equal(1, paged.Allocs);
        Assert.Equal(32, paged.Bytes);
    }

    [Fact]
    public void ExAllocatePool2_zeroes_unless_asked_not_to_and_ExAllocatePoolWithTag_does_not()
    {
        using var machine = MmMachines.Boot();
        var mm = machine.Mm;
        machine.Run(() =>
        {
            var tag = PoolTag("Zero");
            var buffer = new byte[200];
            var p = ExAllocatePool2(POOL_FLAG_NON_PAGED, 200, tag);
            RtlFillMemory(p, 200, 0xAA);
            ExFreePoolWithTag(p, tag);

            var zeroed = ExAllocatePool2(POOL_FLAG_NON_PAGED, 200, tag);
            Assert.Equal(p, zeroed);
            mm.Read(zeroed, buffer);
            Assert.All(buffer, b => Assert.Equal(0, b));
            RtlFillMemory(zeroed, 200, 0xAA);
            ExFreePoolWithTag(zeroed, tag);

            var raw = ExAllocatePool2(POOL_FLAG_NON_PAGED | POOL_FLAG_UNINITIALIZED, 200, tag);
            mm.Read(raw, buffer);
            Assert.All(buffer, b => Assert.Equal(0xAA, b));
            ExFreePoolWithTag(raw, tag);

            var legacy = ExAllocatePoolWithTag(NonPagedPoolNx, 200, tag);
            mm.Read(legacy, buffer);
            Assert.All(buffer, b => Assert.Equal(0xAA, b));
            ExFreePoolWithTag(legacy, tag);

            var zero = ExAllocatePoolZero(NonPagedPoolNx, 200, tag);
            mm.Read(zero, buffer);
            Assert.All(buffer, b => Assert.Equal(0, b));
        });
    }

    [Fact]
    public void ExAllocatePool2_returns_NULL_for_a_zero_tag_or_invalid_flags_and_raises_when_asked()
    {
        using var machine = MmMachines.Boot();
        machine.Run(() =>
        {
            var tag = PoolTag("Fail");
            Assert.Equal(0UL, ExAllocatePool2(POOL_FLAG_NON_PAGED, 16, 0));
            Assert.Equal(0UL, ExAllocatePool2(POOL_FLAG_CACHE_ALIGNED, 16, tag));
            Assert.Equal(0UL, ExAllocatePool2(POOL_FLAG_NON_PAGED | POOL_FLAG_PAGED, 16, tag));
            Assert.Equal(0UL, ExAllocatePool2(POOL_FLAG_NON_PAGED | 0x10, 16, tag));
            Assert.Equal(0UL, ExAllocatePool2(POOL_FLAG_NON_PAGED | 0x800, 16, tag));
            Assert.Equal(0UL, ExAllocatePool2(POOL_FLAG_PAGED, 1UL << 40, tag));
            Assert.NotEqual(0UL, ExAllocatePool2(POOL_FLAG_NON_PAGED | POOL_FLAG_SPECIAL_POOL, 16, tag));

            var e = Assert.Throws<NtException>(() => ExAllocatePool2(POOL_FLAG_PAGED | POOL_FLAG_RAISE_ON_FAILURE, 1UL << 40, tag));
            Assert.Equal(NTSTATUS.STATUS_INSUFFICIENT_RESOURCES, e.Status);
            var legacy = Assert.Throws<NtException>(() =>
                ExAllocatePoolWithTag(PagedPool | (POOL_TYPE)POOL_RAISE_IF_ALLOCATION_FAILURE, 1UL << 40, tag));
            Assert.Equal(NTSTATUS.STATUS_INSUFFICIENT_RESOURCES, legacy.Status);
        });
        Assert.False(machine.IsHalted);
    }

    [Fact]
    public void Nonpaged_pool_runs_out_with_NULL_and_comes_back_when_freed()
    {
        using var machine = MmMachines.Boot(memoryMiB: 4, pagefileMiB: 4);
        machine.Run(() =>
        {
            var tag = PoolTag("Hog ");
            var blocks = new List<ulong>();
            while (true)
            {
                var p = ExAllocatePool2(POOL_FLAG_NON_PAGED, 64 * 1024, tag);
                if (p == 0)
                {
                    break;
                }

                blocks.Add(p);
                Assert.True(blocks.Count < 1000, "a 4 MiB machine cannot hold 1000 blocks of 64 KiB");
            }

            Assert.InRange(blocks.Count, 30, 64);
            foreach (var p in blocks)
            {
                ExFreePoolWithTag(p, tag);
            }

            Assert.NotEqual(0UL, ExAllocatePool2(POOL_FLAG_NON_PAGED, 64 * 1024, tag));
        });
    }

    [Theory]
    [InlineData(1)]
    [InlineData(17)]
    [InlineData(100)]
    [InlineData(1000)]
    [InlineData(4000)]
    [InlineData(5000)]
    public void Cache_aligned_allocations_start_on_a_64_byte_line(int size)
    {
        using var machine = MmMachines.Boot();
        machine.Run(() =>
        {
            var tag = PoolTag("Line");
            for (var i = 0; i < 5; i++)
            {
                var p = ExAllocatePool2(POOL_FLAG_NON_PAGED | POOL_FLAG_CACHE_ALIGNED, (ulong)size, tag);
                Assert.Equal(0UL, p % 64);
                RtlFillMemory(p, (ulong)size, 0x33);
                var legacy = ExAllocatePoolWithTag(PagedPoolCacheAligned, (ulong)size, tag);
                Assert.Equal(0UL, legacy % 64);
                ExFreePoolWithTag(legacy, tag);
            }
        });
    }

    [Fact]
    public void Big_allocations_are_page_aligned_and_their_pages_go_away_when_freed()
    {
        using var machine = MmMachines.Boot();
        var mm = machine.Mm;
        var routine = MmMachines.RoutineAddress(machine, "uaf.sys", "UseAfterFree");
        ulong p = 0;
        var e = Assert.Throws<SharpNT.Kernel.Ke.BugCheckException>(() => machine.Run(() =>
        {
            var tag = PoolTag("Big ");
            var onePage = ExAllocatePool2(POOL_FLAG_NON_PAGED, 4065, tag);
            Assert.Equal(0UL, onePage & 0xFFF);
            p = ExAllocatePool2(POOL_FLAG_NON_PAGED, (2 * PAGE_SIZE) + 1, tag);
            Assert.Equal(0UL, p & 0xFFF);
            Assert.True(Pte.IsPresent(mm.QueryPte(mm.SystemSpace, p + (2 * PAGE_SIZE))));
            Assert.False(Pte.IsPresent(mm.QueryPte(mm.SystemSpace, p + (3 * PAGE_SIZE))));
            var small = ExAllocatePool2(POOL_FLAG_NON_PAGED, 4064, tag);
            Assert.NotEqual(0UL, small & 0xFFF);
            ExFreePoolWithTag(p, tag);
            Assert.Equal(0UL, mm.QueryPte(mm.SystemSpace, p));
            MmMachines.AsDriver(machine, "uaf.sys", "UseAfterFree", () => ReadMemory<int>(p + 8));
        }));
        Assert.Equal(SharpNT.Kernel.Ke.BugCheckCode.PAGE_FAULT_IN_NONPAGED_AREA, e.Code);
        Assert.Equal(p + 8, e.Info.Parameter1);
        Assert.Equal(routine, e.Info.Parameter3);
    }

    [Fact]
    public void Quota_allocations_bill_the_current_process_in_the_header()
    {
        using var machine = MmMachines.Boot();
        var mm = machine.Mm;
        machine.Run(() =>
        {
            var process = mm.CreateProcessAddressSpace()!;
            SharpNT.Kernel.Ke.KTHREAD.Current!.AddressSpace = process;
            var p = ExAllocatePool2(POOL_FLAG_PAGED | POOL_FLAG_USE_QUOTA, 32, PoolTag("Quot"));
            SharpNT.Kernel.Ke.KTHREAD.Current!.AddressSpace = null;
            var header = MmMachines.ReadHeader(mm, p);
            Assert.Equal(process.ProcessAddress, header.ProcessBilled);
            Assert.Equal(2 | PoolHeader.QuotaMask, header.PoolType);
            ExFreePool(p);
            mm.DeleteProcessAddressSpace(process);
        });
    }

    [Fact]
    public void Lookaside_lists_refill_and_drain_without_losing_or_duplicating_blocks()
    {
        using var machine = MmMachines.Boot();
        var mm = machine.Mm;
        machine.Run(() =>
        {
            var tag = PoolTag("Look");
            var first = Enumerable.Range(0, 300).Select(_ => ExAllocatePool2(POOL_FLAG_NON_PAGED, 64, tag)).ToList();
            Assert.Equal(first.Count, first.Distinct().Count());
            foreach (var p in first)
            {
                ExFreePoolWithTag(p, tag);
            }

            // Frees beyond the lookaside depth went back to the pool: the same pages serve the second round,
            // no block is handed out twice, and no new page is needed.
            var pagesBefore = mm.NonPagedPool.SmallPages;
            var firstPages = first.Select(a => a & ~0xFFFUL).ToHashSet();
            var second = Enumerable.Range(0, 300).Select(_ => ExAllocatePool2(POOL_FLAG_NON_PAGED, 64, tag)).ToList();
            Assert.Equal(second.Count, second.Distinct().Count());
            Assert.All(second, a => Assert.Contains(a & ~0xFFFUL, firstPages));
            Assert.Equal(pagesBefore, mm.NonPagedPool.SmallPages);
            Assert.All(second, a => Assert.Equal(PoolTag("Look"), MmMachines.ReadHeader(mm, a).PoolTag));
            Assert.InRange(mm.NonPagedPool.Lookasides[KTHREAD.Current!.Processor!.Number].Count(5), 0, PoolLookaside.Depth);
        });

        var usage = Assert.Single(machine.Mm.QueryPoolUsage(), u => u.Tag == "Look");
        Assert.Equal(600, usage.Allocs);
        Assert.Equal(300, usage.Frees);
        Assert.Equal(300 * 80, usage.Bytes);
    }

    [Fact]
    public void A_block_allocated_by_one_thread_can_be_freed_by_another()
    {
        using var machine = MmMachines.Boot(processors: 2);
        machine.Run(() =>
        {
            var tag = PoolTag("Xthr");
            var blocks = Enumerable.Range(0, 100).Select(i => ExAllocatePool2(i % 2 == 0 ? POOL_FLAG_PAGED : POOL_FLAG_NON_PAGED, 48, tag)).ToArray();
            var freer = machine.Ke.CreateSystemThread(_ =>
            {
                foreach (var p in blocks)
                {
                    ExFreePoolWithTag(p, tag);
                }
            }, null, machine.Modules.Kernel, "Freer");
            KeWaitForSingleObject(freer, Executive, KernelMode, false, null);
            Assert.All(blocks, p => Assert.Equal(0, MmMachines.ReadHeader(machine.Mm, p).PoolType));
        });

        var usage = machine.Mm.QueryPoolUsage().Where(u => u.Tag == "Xthr").ToList();
        Assert.Equal(2, usage.Count);
        Assert.All(usage, u => Assert.Equal((50L, 50L, 0L), (u.Allocs, u.Frees, u.Bytes)));
    }
}
