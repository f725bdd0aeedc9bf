using SharpNT.Kernel.Ke;
using SharpNT.Kernel.Mm;
using static SharpNT.Kernel.Ddi.Wdm;

namespace SharpNT.Kernel.Tests.Mm;

public sealed class AddressSpaceTests
{
    private static void InProcess(AddressSpace? space, Action body)
    {
        var thread = KTHREAD.Current!;
        var previous = thread.AddressSpace;
        thread.AddressSpace = space;
        try
        {
            body();
        }
        finally
        {
            thread.AddressSpace = previous;
        }
    }

    [Fact]
    public void Two_processes_see_different_data_at_the_same_user_address()
    {
        using var machine = MmMachines.Boot();
        var mm = machine.Mm;
        machine.Run(() =>
        {
            var a = mm.CreateProcessAddressSpace()!;
            var b = mm.CreateProcessAddressSpace()!;
            Assert.Equal(NTSTATUS.STATUS_SUCCESS, mm.AllocateUserMemory(a, 3 * PAGE_SIZE, PageProtection.PAGE_READWRITE, out var va));
            Assert.Equal(NTSTATUS.STATUS_SUCCESS, mm.AllocateUserMemory(b, 3 * PAGE_SIZE, PageProtection.PAGE_READWRITE, out var vb));
            Assert.Equal(MemoryManager.LowestUserAddress, va);
            Assert.Equal(va, vb);

            InProcess(a, () => mm.Write(va + 0x1FFE, 0xAAAA_AAAAu, KernelMode));
            InProcess(b, () => mm.Write(vb + 0x1FFE, 0xBBBB_BBBBu, UserMode));
            InProcess(a, () => Assert.Equal(0xAAAA_AAAAu, mm.Read<uint>(va + 0x1FFE, UserMode)));
            InProcess(b, () => Assert.Equal(0xBBBB_BBBBu, mm.Read<uint>(vb + 0x1FFE, KernelMode)));

            // Separate page tables: the user PTEs carry U/S and name different frames.
            var pteA = mm.QueryPte(a, va + PAGE_SIZE);
            var pteB = mm.QueryPte(b, vb + PAGE_SIZE);
            Assert.True((pteA & Pte.User) != 0);
            Assert.NotEqual(Pte.Frame(pteA), Pte.Frame(pteB));
            Assert.Equal(0UL, mm.QueryPte(mm.SystemSpace, va));

            mm.DeleteProcessAddressSpace(a);
            mm.DeleteProcessAddressSpace(b);
        });
    }

    [Fact]
    public void A_user_address_without_a_process_is_an_access_violation_exception_not_a_bug_check()
    {
        using var machine = MmMachines.Boot();
        machine.Run(() =>
        {
            var e = Assert.Throws<NtException>(() => ReadMemory<int>(0x10000));
            Assert.Equal(NTSTATUS.STATUS_ACCESS_VIOLATION, e.Status);
            Assert.Equal(0x10000UL, e.FaultAddress);
            Assert.False(e.IsWrite);
        });
        Assert.False(machine.IsHalted);
    }

    [Fact]
    public void User_mode_cannot_touch_kernel_addresses()
    {
        using var machine = MmMachines.Boot();
        var mm = machine.Mm;
        machine.Run(() =>
        {
            var p = ExAllocatePool2(POOL_FLAG_NON_PAGED, 16, PoolTag("Kern"));
            var e = Assert.Throws<NtException>(() => mm.Write(p, 1, UserMode));
            Assert.Equal(NTSTATUS.STATUS_ACCESS_VIOLATION, e.Status);
            Assert.True(e.IsWrite);
            Assert.Equal(p, e.FaultAddress);
            Assert.Throws<NtException>(() => mm.Read<int>(0x8000_0000_0000_0000UL, UserMode));
        });
    }

    [Fact]
    public void Protection_is_enforced_and_can_be_changed_keeping_the_data()
    {
        using var machine = MmMachines.Boot();
        var mm = machine.Mm;
        machine.Run(() =>
        {
            var space = mm.CreateProcessAddressSpace()!;
            InProcess(space, () =>
            {
                Assert.Equal(NTSTATUS.STATUS_SUCCESS, mm.AllocateUserMemory(space, PAGE_SIZE, PageProtection.PAGE_READWRITE, out var va));
                mm.Write(va, 0x5150, UserMode);
                Assert.Equal(NTSTATUS.STATUS_SUCCESS, mm.ProtectUserMemory(space, va, PAGE_SIZE, PageProtection.PAGE_READONLY, out var old));
                Assert.Equal(PageProtection.PAGE_READWRITE, old);
                Assert.Equal(0x5150, mm.Read<int>(va, UserMode));
                Assert.Equal(NTSTATUS.STATUS_ACCESS_VIOLATION, Assert.Throws<NtException>(() => mm.Write(va, 1, UserMode)).Status);
                Assert.Throws<NtException>(() => mm.Write(va, 1, KernelMode));

                Assert.Equal(NTSTATUS.STATUS_SUCCESS, mm.ProtectUserMemory(space, va, 1, PageProtection.PAGE_NOACCESS, out old));
                Assert.Equal(PageProtection.PAGE_READONLY, old);
                Assert.True(Pte.IsTransition(mm.QueryPte(space, va)));
                Assert.Throws<NtException>(() => mm.Read<int>(va, KernelMode));

                Assert.Equal(NTSTATUS.STATUS_SUCCESS, mm.ProtectUserMemory(space, va, 1, PageProtection.PAGE_READWRITE, out old));
                Assert.Equal(PageProtection.PAGE_NOACCESS, old);
                Assert.Equal(0x5150, mm.Read<int>(va, UserMode));
                mm.Write(va, 7, UserMode);

                Assert.Equal(NTSTATUS.STATUS_INVALID_PAGE_PROTECTION, mm.ProtectUserMemory(space, va, 1, 0x3, out _));
                Assert.Equal(NTSTATUS.STATUS_MEMORY_NOT_ALLOCATED, mm.ProtectUserMemory(space, 0x7000_0000, 1, PageProtection.PAGE_READONLY, out _));
            });
            mm.DeleteProcessAddressSpace(space);
        });
    }

    [Fact]
    public void Freed_user_memory_faults_and_frees_report_NT_statuses()
    {
        using var machine = MmMachines.Boot();
        var mm = machine.Mm;
        machine.Run(() =>
        {
            var space = mm.CreateProcessAddressSpace()!;
            var freeFrames = mm.FreeFrames;
            InProcess(space, () =>
            {
                Assert.Equal(NTSTATUS.STATUS_SUCCESS, mm.AllocateUserMemory(space, 5 * PAGE_SIZE, PageProtection.PAGE_READWRITE, out var va));
                mm.Fill(va, 5 * PAGE_SIZE, 0x11, UserMode);
                Assert.Equal(NTSTATUS.STATUS_SUCCESS, mm.AllocateUserMemory(space, PAGE_SIZE, PageProtection.PAGE_READONLY, out var second));
                Assert.Equal(va + MemoryManager.AllocationGranularity, second);
                Assert.Equal(0, mm.Read<int>(second, UserMode));

                Assert.Equal(NTSTATUS.STATUS_FREE_VM_NOT_AT_BASE, mm.FreeUserMemory(space, va + PAGE_SIZE));
                Assert.Equal(NTSTATUS.STATUS_MEMORY_NOT_ALLOCATED, mm.FreeUserMemory(space, 0x5000_0000));
                Assert.Equal(NTSTATUS.STATUS_SUCCESS, mm.FreeUserMemory(space, va));
                Assert.Equal(NTSTATUS.STATUS_SUCCESS, mm.FreeUserMemory(space, second));
                Assert.Throws<NtException>(() => mm.Read<byte>(va + 10, UserMode));

                Assert.Equal(NTSTATUS.STATUS_CONFLICTING_ADDRESSES, mm.AllocateUserMemory(space, PAGE_SIZE, PageProtection.PAGE_READWRITE, out _, preferredBase: 0x1000));
                Assert.Equal(NTSTATUS.STATUS_SUCCESS, mm.AllocateUserMemory(space, PAGE_SIZE, PageProtection.PAGE_READWRITE, out var fixedVa, preferredBase: 0x40_0000));
                Assert.Equal(0x40_0000UL, fixedVa);
                Assert.Equal(NTSTATUS.STATUS_CONFLICTING_ADDRESSES, mm.AllocateUserMemory(space, PAGE_SIZE, PageProtection.PAGE_READWRITE, out _, preferredBase: 0x40_0000));
                Assert.Equal(NTSTATUS.STATUS_INVALID_PAGE_PROTECTION, mm.AllocateUserMemory(space, PAGE_SIZE, 0x3, out _));
            });

            mm.DeleteProcessAddressSpace(space);
            Assert.True(space.Destroyed);

            // Every frame the process had (data, page tables, PML4) is free again.
            Assert.Equal(freeFrames + 1, mm.FreeFrames);
        });
    }

    [Fact]
    public void User_memory_larger_than_physical_memory_pages_through_the_pagefile()
    {
        using var machine = MmMachines.Boot(memoryMiB: 4, pagefileMiB: 16);
        var mm = machine.Mm;
        machine.Run(() =>
        {
            var space = mm.CreateProcessAddressSpace()!;
            InProcess(space, () =>
            {
                const int Size = 8 * 1024 * 1024;
                Assert.Equal(NTSTATUS.STATUS_SUCCESS, mm.AllocateUserMemory(space, Size, PageProtection.PAGE_READWRITE, out var va));
                for (var page = 0; page < Size / PAGE_SIZE; page++)
                {
                    mm.Write(va + ((ulong)page * PAGE_SIZE), page * 31, UserMode);
                }

                for (var page = 0; page < Size / PAGE_SIZE; page++)
                {
                    Assert.Equal(page * 31, mm.Read<int>(va + ((ulong)page * PAGE_SIZE), UserMode));
                }

                Assert.True(mm.PageOuts > 1000);

                // A forced trim takes system pages only; process pages go only under pressure.
                var resident = mm.ResidentPageablePages;
                mm.TrimWorkingSet();
                Assert.Equal(resident, mm.ResidentPageablePages);
            });
            mm.DeleteProcessAddressSpace(space);
            Assert.Equal(0, mm.PagedOutPages);
        });
    }

    [Fact]
    public void A_non_resident_user_page_touched_at_DISPATCH_LEVEL_is_a_bug_check_not_an_exception()
    {
        using var machine = MmMachines.Boot();
        var mm = machine.Mm;
        ulong va = 0;
        var e = Assert.Throws<BugCheckException>(() => machine.Run(() =>
        {
            var space = mm.CreateProcessAddressSpace()!;
            KTHREAD.Current!.AddressSpace = space;
            mm.AllocateUserMemory(space, PAGE_SIZE, PageProtection.PAGE_READWRITE, out va);
            MmMachines.AsDriver(machine, "user.sys", "UserDpc", () =>
            {
                KeRaiseIrql(DISPATCH_LEVEL, out _);
                _ = ReadMemory<int>(va);
            });
        }));
        Assert.Equal(BugCheckCode.DRIVER_IRQL_NOT_LESS_OR_EQUAL, e.Code);
        Assert.Equal(va, e.Info.Parameter1);
    }
}
