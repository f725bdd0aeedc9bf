using SharpNT.Kernel.Ke;
using SharpNT.Kernel.Mm;
using SharpNT.Kernel.Vf;
using static SharpNT.Kernel.Ddi.Wdm;

namespace SharpNT.Kernel.Tests.Vf;

/// <summary>Driver Verifier's special pool (flag 0x1): allocations against a guard page, patterns checked at free.</summary>
public sealed class SpecialPoolTests
{
    private const string Driver = "spool.sys";

    private static Machine Boot(string verifier = "/flags 0x1 /driver spool.sys") =>
        Machine.Boot(MachineDescription.Default with { Processors = 1, MemoryMiB = 16, PagefileMiB = 16 },
            new MachineOptions { Verifier = VerifierSettings.Parse(verifier) });

    private static ulong Allocate(ulong bytes) => ExAllocatePool2(POOL_FLAG_NON_PAGED, bytes, PoolTag("SpTs"));

    /// <summary>Runs <paramref name="body"/> as code of the verified driver and returns the bug check it raised.</summary>
    private static BugCheckException Crash(Machine machine, Action body) =>
        Assert.Throws<BugCheckException>(() => machine.Run(() => TestMachines.AsDriver(machine, Driver, "SpoolWork", body)));

    [Fact]
    public void A_verified_drivers_allocation_ends_at_the_end_of_its_own_special_pool_page()
    {
        using var machine = Boot();
        machine.Run(() => TestMachines.AsDriver(machine, Driver, "SpoolWork", () =>
        {
            var p = Allocate(24);
            Assert.True(machine.Mm.SpecialRegion!.Contains(p));
            Assert.Equal(0x1000UL - 32, p & 0xFFF);
            WriteMemory(p, 0x1122334455667788UL);
            WriteMemory(p + 16, 0xAABBCCDDUL);
            Assert.Equal(0x1122334455667788UL, ReadMemory<ulong>(p));

            // ExAllocatePool2 zeroes: the caller's 24 bytes, not the slack after them.
            var q = Allocate(24);
            Assert.Equal(0UL, ReadMemory<ulong>(q + 8));
            Assert.NotEqual(p & ~0xFFFUL, q & ~0xFFFUL);
            ExFreePoolWithTag(p, PoolTag("SpTs"));
            ExFreePoolWithTag(q, PoolTag("SpTs"));
        }));

        Assert.False(machine.IsHalted);
    }

    [Fact]
    public void An_unverified_driver_gets_normal_pool()
    {
        using var machine = Boot("/flags 0x1 /driver other.sys");
        machine.Run(() => TestMachines.AsDriver(machine, Driver, "SpoolWork", () =>
        {
            var p = Allocate(24);
            Assert.True(machine.Mm.NonPagedRegion.Contains(p));
            ExFreePoolWithTag(p, PoolTag("SpTs"));
        }));
    }

    [Fact]
    public void Reading_past_the_end_touches_the_guard_page_and_is_0xD6_at_the_access()
    {
        using var machine = Boot();
        ulong p = 0;
        var e = Crash(machine, () =>
        {
            p = Allocate(32);
            ReadMemory<byte>(p + 32);
        });

        Assert.Equal(BugCheckCode.DRIVER_PAGE_FAULT_BEYOND_END_OF_ALLOCATION, e.Code);
        Assert.Equal(p + 32, e.Info.Parameters[0]);
        Assert.Equal(0UL, e.Info.Parameters[1]);
        Assert.True(machine.Modules.Find(Driver)!.Contains(e.Info.Parameters[2]));
        Assert.Equal(0UL, e.Info.Parameters[3]);
        Assert.Equal(Driver, e.Info.FaultingModule);
    }

    [Fact]
    public void Writing_into_the_alignment_slack_is_0xC1_subcode_0x24_at_free()
    {
        using var machine = Boot();
        ulong p = 0;
        var e = Crash(machine, () =>
        {
            p = Allocate(20);
            WriteMemory<byte>(p + 20, 0);
            ExFreePoolWithTag(p, PoolTag("SpTs"));
        });

        Assert.Equal(BugCheckCode.SPECIAL_POOL_DETECTED_MEMORY_CORRUPTION, e.Code);
        Assert.Equal(new[] { p, p + 20, 0UL, 0x24UL }, e.Info.Parameters);
    }

    [Fact]
    public void An_underrun_is_0xC1_subcode_0x23_at_free()
    {
        using var machine = Boot();
        ulong p = 0;
        var e = Crash(machine, () =>
        {
            p = Allocate(64);
            WriteMemory<ushort>(p - 2, 0);
            ExFreePoolWithTag(p, PoolTag("SpTs"));
        });

        Assert.Equal(BugCheckCode.SPECIAL_POOL_DETECTED_MEMORY_CORRUPTION, e.Code);
        Assert.Equal(new[] { p, p - 2, 0UL, 0x23UL }, e.Info.Parameters);
    }

    [Fact]
    public void A_use_after_free_is_0xD5_at_the_access()
    {
        using var machine = Boot();
        ulong p = 0;
        var e = Crash(machine, () =>
        {
            p = Allocate(48);
            ExFreePoolWithTag(p, PoolTag("SpTs"));
            WriteMemory(p + 8, 1u);
        });

        Assert.Equal(BugCheckCode.DRIVER_PAGE_FAULT_IN_FREED_SPECIAL_POOL, e.Code);
        Assert.Equal(p + 8, e.Info.Parameters[0]);
        Assert.Equal(1UL, e.Info.Parameters[1]);
        Assert.Equal(Driver, e.Info.FaultingModule);
    }

    [Fact]
    public void Freeing_an_address_inside_the_allocation_is_0xC1_subcode_0x21()
    {
        using var machine = Boot();
        ulong p = 0;
        var e = Crash(machine, () =>
        {
            p = Allocate(40);
            ExFreePoolWithTag(p + 16, PoolTag("SpTs"));
        });

        Assert.Equal(BugCheckCode.SPECIAL_POOL_DETECTED_MEMORY_CORRUPTION, e.Code);
        Assert.Equal(new[] { p + 16, 40UL, 48UL, 0x21UL }, e.Info.Parameters);
    }

    [Fact]
    public void Freeing_twice_is_0xC1_subcode_0x20()
    {
        using var machine = Boot();
        ulong p = 0;
        var e = Crash(machine, () =>
        {
            p = Allocate(16);
            ExFreePoolWithTag(p, PoolTag("SpTs"));
            ExFreePoolWithTag(p, PoolTag("SpTs"));
        });

        Assert.Equal(BugCheckCode.SPECIAL_POOL_DETECTED_MEMORY_CORRUPTION, e.Code);
        Assert.Equal(new[] { p, 0UL, 0UL, 0x20UL }, e.Info.Parameters);
    }

    [Fact]
    public void Requests_larger_than_a_page_fall_back_to_normal_pool()
    {
        using var machine = Boot();
        machine.Run(() => TestMachines.AsDriver(machine, Driver, "SpoolWork", () =>
        {
            var p = Allocate(8192);
            Assert.True(machine.Mm.NonPagedRegion.Contains(p));
            ExFreePoolWithTag(p, PoolTag("SpTs"));
        }));
    }
}
