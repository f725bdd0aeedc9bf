using SharpNT.Kernel.Ke;
using SharpNT.Kernel.Mm;
using static SharpNT.Kernel.Ddi.Wdm;

namespace SharpNT.Kernel.Tests.Mm;

public sealed class PoolBugCheckTests
{
    private static BugCheckException Crash(Machine machine, Action body) =>
        Assert.Throws<BugCheckException>(() => machine.Run(() => MmMachines.AsDriver(machine, "pooly.sys", "PoolyDispatch", body)));

    [Fact]
    public void A_double_free_is_BAD_POOL_CALLER_7_with_the_header_and_the_address()
    {
        using var machine = MmMachines.Boot();
        ulong p = 0;
        ulong header = 0;
        var e = Crash(machine, () =>
        {
            p = ExAllocatePool2(POOL_FLAG_NON_PAGED, 64, PoolTag("Dbl "));
            ExFreePool(p);
            header = machine.Mm.Read<ulong>(p - 16);
            ExFreePool(p);
        });
        Assert.Equal(BugCheckCode.BAD_POOL_CALLER, e.Code);
        Assert.Equal(7UL, e.Info.Parameter1);
        Assert.Equal(0UL, e.Info.Parameter2);
        Assert.Equal(header, e.Info.Parameter3);
        Assert.Equal(p, e.Info.Parameter4);
        Assert.Equal("pooly.sys", e.Info.FaultingModule);
    }

    [Fact]
    public void Freeing_with_the_wrong_tag_is_BAD_POOL_CALLER_0xA()
    {
        using var machine = MmMachines.Boot();
        ulong p = 0;
        var e = Crash(machine, () =>
        {
            p = ExAllocatePool2(POOL_FLAG_PAGED, 64, PoolTag("Mine"));
            ExFreePoolWithTag(p, PoolTag("Your"));
        });
        Assert.Equal(BugCheckCode.BAD_POOL_CALLER, e.Code);
        Assert.Equal(0xAUL, e.Info.Parameter1);
        Assert.Equal(p, e.Info.Parameter2);
        Assert.Equal(PoolTag("Mine"), e.Info.Parameter3);
        Assert.Equal(PoolTag("Your"), e.Info.Parameter4);
    }

    [Fact]
    public void Freeing_a_big_allocation_with_the_wrong_tag_is_BAD_POOL_CALLER_0xA()
    {
        using var machine = MmMachines.Boot();
        ulong p = 0;
        var e = Crash(machine, () =>
        {
            p = ExAllocatePool2(POOL_FLAG_NON_PAGED, 3 * PAGE_SIZE, PoolTag("BigT"));
            ExFreePoolWithTag(p, PoolTag("Nope"));
        });
        Assert.Equal((0xAUL, p, (ulong)PoolTag("BigT"), (ulong)PoolTag("Nope")),
            (e.Info.Parameter1, e.Info.Parameter2, e.Info.Parameter3, e.Info.Parameter4));
    }

    [Fact]
    public void Allocating_paged_pool_at_DISPATCH_LEVEL_is_BAD_POOL_CALLER_8()
    {
        using var machine = MmMachines.Boot();
        var e = Crash(machine, () =>
        {
            KeRaiseIrql(DISPATCH_LEVEL, out _);
            ExAllocatePool2(POOL_FLAG_PAGED, 100, PoolTag("Irql"));
        });
        Assert.Equal(BugCheckCode.BAD_POOL_CALLER, e.Code);
        Assert.Equal((8UL, 2UL, (ulong)PagedPool, 100UL), (e.Info.Parameter1, e.Info.Parameter2, e.Info.Parameter3, e.Info.Parameter4));
    }

    [Fact]
    public void Allocating_nonpaged_pool_above_DISPATCH_LEVEL_is_BAD_POOL_CALLER_8()
    {
        using var machine = MmMachines.Boot();
        var e = Crash(machine, () =>
        {
            KeRaiseIrql(5, out _);
            ExAllocatePoolWithTag(NonPagedPoolNx, 32, PoolTag("Dirq"));
        });
        Assert.Equal((8UL, 5UL, (ulong)NonPagedPoolNx, 32UL), (e.Info.Parameter1, e.Info.Parameter2, e.Info.Parameter3, e.Info.Parameter4));
    }

    [Fact]
    public void Nonpaged_pool_can_be_allocated_and_freed_at_DISPATCH_LEVEL()
    {
        using var machine = MmMachines.Boot();
        machine.Run(() =>
        {
            KeRaiseIrql(DISPATCH_LEVEL, out var old);
            var p = ExAllocatePool2(POOL_FLAG_NON_PAGED, 100, PoolTag("Dpc "));
            WriteMemory(p, 42);
            Assert.Equal(42, ReadMemory<int>(p));
            ExFreePoolWithTag(p, PoolTag("Dpc "));
            KeLowerIrql(old);
        });
        Assert.False(machine.IsHalted);
    }

    [Fact]
    public void Freeing_paged_pool_at_DISPATCH_LEVEL_is_BAD_POOL_CALLER_9()
    {
        using var machine = MmMachines.Boot();
        ulong p = 0;
        var e = Crash(machine, () =>
        {
            p = ExAllocatePool2(POOL_FLAG_PAGED, 100, PoolTag("Irql"));
            KeRaiseIrql(DISPATCH_LEVEL, out _);
            ExFreePool(p);
        });
        Assert.Equal((9UL, 2UL, (ulong)PagedPool, p), (e.Info.Parameter1, e.Info.Parameter2, e.Info.Parameter3, e.Info.Parameter4));
    }

    [Fact]
    public void Freeing_a_user_address_is_BAD_POOL_CALLER_0x40()
    {
        using var machine = MmMachines.Boot();
        var e = Crash(machine, () => ExFreePool(0x10000));
        Assert.Equal((0x40UL, 0x10000UL, MemoryManager.SystemRangeStart, 0UL), (e.Info.Parameter1, e.Info.Parameter2, e.Info.Parameter3, e.Info.Parameter4));
    }

    [Fact]
    public void Freeing_an_address_outside_any_pool_is_BAD_POOL_CALLER_0x42()
    {
        using var machine = MmMachines.Boot();
        var e = Crash(machine, () => ExFreePool(0xFFFFF800_00500000UL));
        Assert.Equal((0x42UL, 0xFFFFF800_00500000UL, 0UL, 0UL), (e.Info.Parameter1, e.Info.Parameter2, e.Info.Parameter3, e.Info.Parameter4));
    }

    [Fact]
    public void Freeing_inside_a_block_is_BAD_POOL_CALLER_0x99()
    {
        using var machine = MmMachines.Boot();
        ulong p = 0;
        var e = Crash(machine, () =>
        {
            p = ExAllocatePool2(POOL_FLAG_NON_PAGED, 100, PoolTag("Mid "));
            ExFreePool(p + 8);
        });
        Assert.Equal((0x99UL, p + 8, 0UL, 0UL), (e.Info.Parameter1, e.Info.Parameter2, e.Info.Parameter3, e.Info.Parameter4));
    }

    [Fact]
    public void Freeing_a_nonpaged_page_never_allocated_is_BAD_POOL_CALLER_0x44()
    {
        using var machine = MmMachines.Boot();
        var address = machine.Mm.NonPagedRegion.Base + (500UL * PAGE_SIZE);
        var e = Crash(machine, () => ExFreePool(address));
        Assert.Equal((0x44UL, address, 0UL, 0UL), (e.Info.Parameter1, e.Info.Parameter2, e.Info.Parameter3, e.Info.Parameter4));
    }

    [Fact]
    public void Freeing_a_paged_page_never_allocated_is_BAD_POOL_CALLER_0x50()
    {
        using var machine = MmMachines.Boot();
        var region = machine.Mm.PagedRegion;
        var address = region.Base + (700UL * PAGE_SIZE);
        var e = Crash(machine, () => ExFreePool(address));
        Assert.Equal((0x50UL, address, 700UL, (ulong)region.PageCount * PAGE_SIZE),
            (e.Info.Parameter1, e.Info.Parameter2, e.Info.Parameter3, e.Info.Parameter4));
    }

    [Fact]
    public void Freeing_the_middle_of_a_big_paged_allocation_is_BAD_POOL_CALLER_0x41286()
    {
        using var machine = MmMachines.Boot();
        ulong p = 0;
        var e = Crash(machine, () =>
        {
            p = ExAllocatePool2(POOL_FLAG_PAGED, 4 * PAGE_SIZE, PoolTag("Mid "));
            ExFreePool(p + (2 * PAGE_SIZE));
        });
        var offset = (ulong)machine.Mm.PagedRegion.PageIndex(p) + 2;
        Assert.Equal((0x41286UL, 0UL, 0UL, offset), (e.Info.Parameter1, e.Info.Parameter2, e.Info.Parameter3, e.Info.Parameter4));
    }

    [Fact]
    public void A_zero_tag_for_ExAllocatePoolWithTag_is_BAD_POOL_CALLER_0x9B_naming_the_caller()
    {
        using var machine = MmMachines.Boot();
        var routine = MmMachines.RoutineAddress(machine, "pooly.sys", "PoolyDispatch");
        var e = Crash(machine, () => ExAllocatePoolWithTag(PagedPool, 10, 0));
        Assert.Equal((0x9BUL, (ulong)PagedPool, 10UL, routine), (e.Info.Parameter1, e.Info.Parameter2, e.Info.Parameter3, e.Info.Parameter4));
    }

    [Fact]
    public void Must_succeed_pool_is_BAD_POOL_CALLER_0x9A()
    {
        using var machine = MmMachines.Boot();
        var e = Crash(machine, () => ExAllocatePoolWithTag(NonPagedPoolMustSucceed, 10, PoolTag("Must")));
        Assert.Equal((0x9AUL, (ulong)NonPagedPoolMustSucceed, 10UL, (ulong)PoolTag("Must")),
            (e.Info.Parameter1, e.Info.Parameter2, e.Info.Parameter3, e.Info.Parameter4));
    }

    [Fact]
    public void Overrunning_into_the_next_header_is_BAD_POOL_HEADER_5_when_the_overrunner_frees()
    {
        using var machine = MmMachines.Boot();
        ulong a = 0, b = 0;
        var e = Crash(machine, () =>
        {
            var tag = PoolTag("Ovr ");
            a = ExAllocatePool2(POOL_FLAG_NON_PAGED, 100, tag);
            b = ExAllocatePool2(POOL_FLAG_NON_PAGED, 100, tag);
            Assert.Equal(a + 128, b);

            // 8 bytes too many: the allocation is 112 usable bytes, the driver writes 120.
            RtlFillMemory(a, 120, 0xFF);
            ExFreePoolWithTag(a, tag);
        });
        Assert.Equal(BugCheckCode.BAD_POOL_HEADER, e.Code);
        Assert.Equal((5UL, a - 16, 0UL, b - 16), (e.Info.Parameter1, e.Info.Parameter2, e.Info.Parameter3, e.Info.Parameter4));
    }

    [Fact]
    public void A_corrupted_block_size_is_BAD_POOL_HEADER_7()
    {
        using var machine = MmMachines.Boot();
        ulong b = 0;
        var e = Crash(machine, () =>
        {
            var tag = PoolTag("Ovr ");
            var a = ExAllocatePool2(POOL_FLAG_NON_PAGED, 100, tag);
            b = ExAllocatePool2(POOL_FLAG_NON_PAGED, 100, tag);
            WriteMemory<byte>(b - 14, 0x30);
            _ = a;
            ExFreePoolWithTag(b, tag);
        });
        Assert.Equal((7UL, 0UL, 0UL, b - 16), (e.Info.Parameter1, e.Info.Parameter2, e.Info.Parameter3, e.Info.Parameter4));
    }

    [Fact]
    public void A_freed_header_modified_after_the_free_is_BAD_POOL_HEADER_0xD_on_reuse()
    {
        using var machine = MmMachines.Boot();
        ulong b = 0;
        var e = Crash(machine, () =>
        {
            var tag = PoolTag("Uaf ");
            var a = ExAllocatePool2(POOL_FLAG_NON_PAGED, 100, tag);
            b = ExAllocatePool2(POOL_FLAG_NON_PAGED, 100, tag);
            ExFreePoolWithTag(b, tag);
            RtlFillMemory(a, 128, 0x41);
            ExAllocatePool2(POOL_FLAG_NON_PAGED, 100, tag);
        });
        Assert.Equal(BugCheckCode.BAD_POOL_HEADER, e.Code);
        Assert.Equal(0xDUL, e.Info.Parameter1);
        Assert.Equal(b - 16, e.Info.Parameter2);
        Assert.Equal(0x4141414141414141UL, e.Info.Parameter3);
    }

    [Fact]
    public void A_bug_check_lists_pool_usage_by_tag()
    {
        using var machine = MmMachines.Boot();
        var e = Crash(machine, () =>
        {
            var p = ExAllocatePool2(POOL_FLAG_NON_PAGED, 64, PoolTag("Leak"));
            ExFreePool(p);
            ExFreePool(p);
        });
        var usage = Assert.Single(e.Info.PoolUsage, u => u.Tag == "Leak");
        Assert.Equal(1, usage.Allocs);
        Assert.Equal(1, usage.Frees);
    }
}
