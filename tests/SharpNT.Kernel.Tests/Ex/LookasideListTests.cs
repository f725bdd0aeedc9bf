using SharpNT.Kernel.Ex;
using SharpNT.Kernel.Ke;
using SharpNT.Kernel.Mm;
using static SharpNT.Kernel.Ddi.Wdm;

namespace SharpNT.Kernel.Tests.Ex;

/// <summary>Lookaside lists: blocks are reused from the list, misses and overflow go to pool, counted as NT counts them.</summary>
public sealed class LookasideListTests
{
    [Fact]
    public void A_freed_block_is_handed_out_again_and_only_misses_reach_the_pool()
    {
        using var machine = TestMachines.Boot();
        var (first, again, list) = machine.Run(() =>
        {
            var lookaside = new NPAGED_LOOKASIDE_LIST();
            ExInitializeNPagedLookasideList(lookaside, null, null, 0, 200, PoolTag("LkAs"), 0);
            var a = ExAllocateFromNPagedLookasideList(lookaside);
            ExFreeToNPagedLookasideList(lookaside, a);
            var b = ExAllocateFromNPagedLookasideList(lookaside);
            ExFreeToNPagedLookasideList(lookaside, b);
            return (a, b, lookaside);
        });

        Assert.NotEqual(0UL, first);
        Assert.Equal(first, again);
        Assert.Equal((2u, 1u, 2u, 0u), (list.TotalAllocates, list.AllocateMisses, list.TotalFrees, list.FreeMisses));
        var usage = Assert.Single(machine.Mm.QueryPoolUsage(), u => u.Tag == "LkAs");
        Assert.Equal(1, usage.Allocs);
        Assert.Equal(1, usage.Outstanding);
        Assert.False(usage.Paged);
    }

    [Fact]
    public void Frees_beyond_the_depth_go_back_to_pool_and_delete_releases_the_kept_blocks()
    {
        using var machine = TestMachines.Boot();
        var list = machine.Run(() =>
        {
            var lookaside = new PAGED_LOOKASIDE_LIST();
            ExInitializePagedLookasideList(lookaside, null, null, 0, 64, PoolTag("LkPg"), 0);
            var blocks = Enumerable.Range(0, 300).Select(_ => ExAllocateFromPagedLookasideList(lookaside)).ToList();
            foreach (var b in blocks)
            {
                ExFreeToPagedLookasideList(lookaside, b);
            }

            return lookaside;
        });

        // A list kept busy grows to its maximum depth (256); the 44 frees beyond it go back to pool.
        Assert.Equal(300u, list.AllocateMisses);
        Assert.Equal(GENERAL_LOOKASIDE.DefaultMaximumDepth, list.Depth);
        Assert.Equal(256, list.FreeBlocks);
        Assert.Equal(44u, list.FreeMisses);
        var usage = Assert.Single(machine.Mm.QueryPoolUsage(), u => u.Tag == "LkPg");
        Assert.True(usage.Paged);
        Assert.Equal(256, usage.Outstanding);

        machine.Run(() => ExDeletePagedLookasideList(list));
        Assert.Equal(0, Assert.Single(machine.Mm.QueryPoolUsage(), u => u.Tag == "LkPg").Outstanding);
        Assert.Equal(0, list.FreeBlocks);
    }

    [Fact]
    public void The_lists_own_Allocate_and_Free_routines_serve_misses_and_overflow()
    {
        using var machine = TestMachines.Boot();
        var calls = machine.Run(() =>
        {
            var log = new List<string>();
            var lookaside = new LOOKASIDE_LIST_EX();
            var status = ExInitializeLookasideListEx(lookaside,
                (type, size, tag) =>
                {
                    log.Add($"allocate {type} {size} {PoolTags.ToString(tag)}");
                    return ExAllocatePoolWithTag(type, size, tag);
                },
                buffer =>
                {
                    log.Add("free");
                    ExFreePool(buffer);
                },
                NonPagedPoolNx, 0, 32, PoolTag("LkEx"), 0);
            log.Add(status.ToString());
            var a = ExAllocateFromLookasideListEx(lookaside);
            ExFreeToLookasideListEx(lookaside, a);
            ExAllocateFromLookasideListEx(lookaside);
            ExFlushLookasideListEx(lookaside);
            ExFreeToLookasideListEx(lookaside, a);
            ExDeleteLookasideListEx(lookaside);
            log.Add(ExInitializeLookasideListEx(new LOOKASIDE_LIST_EX(), null, null, NonPagedPoolNx, 0, 0, PoolTag("LkEx"), 0).ToString());
            return log;
        });

        Assert.Equal(["STATUS_SUCCESS", "allocate NonPagedPoolNx 32 LkEx", "free", "STATUS_INVALID_PARAMETER_5"], calls);
    }

    [Fact]
    public void A_paged_lookaside_list_at_DISPATCH_LEVEL_is_IRQL_NOT_LESS_OR_EQUAL()
    {
        using var machine = TestMachines.Boot();
        var e = Assert.Throws<BugCheckException>(() => machine.Run(() =>
        {
            var lookaside = new PAGED_LOOKASIDE_LIST();
            ExInitializePagedLookasideList(lookaside, null, null, 0, 64, PoolTag("LkPg"), 0);
            KeRaiseIrql(DISPATCH_LEVEL, out _);
            ExAllocateFromPagedLookasideList(lookaside);
        }));
        Assert.Equal(BugCheckCode.IRQL_NOT_LESS_OR_EQUAL, e.Code);
        Assert.Equal(2UL, e.Info.Parameters[1]);
    }
}
