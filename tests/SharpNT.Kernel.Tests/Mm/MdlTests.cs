using SharpNT.Kernel.Ke;
using SharpNT.Kernel.Mm;
using static SharpNT.Kernel.Ddi.Wdm;

namespace SharpNT.Kernel.Tests.Mm;

public sealed class MdlTests
{
    [Fact]
    public void Probe_lock_map_unlock_round_trip_in_the_real_MDL_layout()
    {
        using var machine = MmMachines.Boot();
        var mm = machine.Mm;
        machine.Run(() =>
        {
            var space = mm.CreateProcessAddressSpace()!;
            KTHREAD.Current!.AddressSpace = space;
            Assert.Equal(NTSTATUS.STATUS_SUCCESS, mm.AllocateUserMemory(space, 4 * PAGE_SIZE, PageProtection.PAGE_READWRITE, out var user));
            var buffer = user + 0x123;
            var pattern = MmMachines.Pattern(0x2000, 5);
            mm.Write(buffer, pattern, UserMode);

            var mdl = IoAllocateMdl(buffer, 0x2000, false, false, 0);
            Assert.NotEqual(0UL, mdl);
            Assert.Equal(0UL, ReadMemory<ulong>(mdl + 0x00));
            Assert.Equal((short)(48 + (3 * 8)), ReadMemory<short>(mdl + 0x08));
            Assert.Equal(MDL_ALLOCATED_FIXED_SIZE, ReadMemory<ushort>(mdl + 0x0A));
            Assert.Equal(0UL, ReadMemory<ulong>(mdl + 0x10));
            Assert.Equal(user, ReadMemory<ulong>(mdl + 0x20));
            Assert.Equal(0x2000u, ReadMemory<uint>(mdl + 0x28));
            Assert.Equal(0x123u, ReadMemory<uint>(mdl + 0x2C));
            Assert.Equal(buffer, MmGetMdlVirtualAddress(mdl));
            Assert.Equal(0x2000u, MmGetMdlByteCount(mdl));
            Assert.Equal(0x123u, MmGetMdlByteOffset(mdl));
            Assert.Equal(3UL, ADDRESS_AND_SIZE_TO_SPAN_PAGES(buffer, 0x2000));
            Assert.Equal(72UL, MmSizeOfMdl(buffer, 0x2000));

            MmProbeAndLockPages(mdl, UserMode, IoWriteAccess);
            var flags = ReadMemory<ushort>(mdl + 0x0A);
            Assert.Equal(MDL_ALLOCATED_FIXED_SIZE | MDL_PAGES_LOCKED | MDL_WRITE_OPERATION, flags);
            Assert.Equal(space.ProcessAddress, ReadMemory<ulong>(mdl + 0x10));
            Assert.Equal(3, space.LockedPages);
            for (var i = 0; i < 3; i++)
            {
                var pfn = ReadMemory<ulong>(MmGetMdlPfnArray(mdl) + ((ulong)i * 8));
                Assert.Equal(Pte.Frame(mm.QueryPte(space, user + ((ulong)i * PAGE_SIZE))), pfn);
                Assert.Equal(1, mm.QueryPfn(pfn).LockCount);
            }

            var system = MmGetSystemAddressForMdlSafe(mdl, NormalPagePriority);
            Assert.True(mm.SystemPteRegion.Contains(system));
            Assert.Equal(0x123UL, system & 0xFFF);
            Assert.Equal(system, ReadMemory<ulong>(mdl + 0x18));
            Assert.Equal(MDL_MAPPED_TO_SYSTEM_VA, ReadMemory<ushort>(mdl + 0x0A) & MDL_MAPPED_TO_SYSTEM_VA);
            Assert.Equal(system, MmGetSystemAddressForMdlSafe(mdl, NormalPagePriority));

            // The system mapping shows the user pages, from any process context, in both directions.
            KTHREAD.Current!.AddressSpace = null;
            var seen = new byte[0x2000];
            CopyToHost(system, seen);
            Assert.Equal(pattern, seen);
            WriteMemory(system + 0x1000, 0xC0FFEEu);
            KTHREAD.Current!.AddressSpace = space;
            Assert.Equal(0xC0FFEEu, mm.Read<uint>(buffer + 0x1000, UserMode));

            MmUnlockPages(mdl);
            Assert.Equal(MDL_ALLOCATED_FIXED_SIZE, ReadMemory<ushort>(mdl + 0x0A));
            Assert.False(MmIsAddressValid(system));
            Assert.Equal(0, space.LockedPages);
            IoFreeMdl(mdl);
            KTHREAD.Current!.AddressSpace = null;
            mm.DeleteProcessAddressSpace(space);
        });

        var mdlUsage = Assert.Single(machine.Mm.QueryPoolUsage(), u => u.Tag == "Mdl ");
        Assert.Equal(mdlUsage.Allocs, mdlUsage.Frees);
    }

    [Fact]
    public void Locked_paged_pool_survives_a_trim_and_can_be_touched_at_DISPATCH_LEVEL()
    {
        using var machine = MmMachines.Boot();
        var mm = machine.Mm;
        machine.Run(() => MmMachines.AsDriver(machine, "lock.sys", "LockDispatch", () =>
        {
            var buffer = ExAllocatePool2(POOL_FLAG_PAGED, 2 * PAGE_SIZE, PoolTag("Lock"));
            var mdl = IoAllocateMdl(buffer, 2 * PAGE_SIZE, false, false, 0);
            MmProbeAndLockPages(mdl, KernelMode, IoModifyAccess);
            WriteMemory(buffer + PAGE_SIZE, 99);
            var other = ExAllocatePool2(POOL_FLAG_PAGED, PAGE_SIZE, PoolTag("Lock"));
            WriteMemory(other, 1);

            mm.TrimWorkingSet();
            Assert.True(MmIsAddressValid(buffer));
            Assert.True(MmIsAddressValid(buffer + PAGE_SIZE));
            Assert.False(MmIsAddressValid(other));
            KeRaiseIrql(DISPATCH_LEVEL, out var old);
            Assert.Equal(99, ReadMemory<int>(buffer + PAGE_SIZE));
            KeLowerIrql(old);

            MmUnlockPages(mdl);
            IoFreeMdl(mdl);
            mm.TrimWorkingSet();
            Assert.False(MmIsAddressValid(buffer));
            Assert.Equal(99, ReadMemory<int>(buffer + PAGE_SIZE));
        }));
    }

    [Fact]
    public void Locked_user_pages_outlive_a_free_of_their_memory_until_unlocked()
    {
        using var machine = MmMachines.Boot();
        var mm = machine.Mm;
        machine.Run(() =>
        {
            var space = mm.CreateProcessAddressSpace()!;
            KTHREAD.Current!.AddressSpace = space;
            mm.AllocateUserMemory(space, PAGE_SIZE, PageProtection.PAGE_READWRITE, out var va);
            mm.Write(va, 0x600DF00Du, UserMode);
            var mdl = IoAllocateMdl(va, 4, false, false, 0);
            MmProbeAndLockPages(mdl, KernelMode, IoReadAccess);
            var system = MmGetSystemAddressForMdlSafe(mdl, HighPagePriority);
            var free = mm.FreeFrames;

            Assert.Equal(NTSTATUS.STATUS_SUCCESS, mm.FreeUserMemory(space, va));
            Assert.Equal(0x600DF00Du, ReadMemory<uint>(system));
            Assert.Equal(free, mm.FreeFrames);

            MmUnlockPages(mdl);
            Assert.Equal(free + 1, mm.FreeFrames);
            IoFreeMdl(mdl);
            KTHREAD.Current!.AddressSpace = null;
            mm.DeleteProcessAddressSpace(space);
        });
    }

    [Fact]
    public void A_user_mode_probe_of_a_bad_buffer_raises_an_access_violation_and_locks_nothing()
    {
        using var machine = MmMachines.Boot();
        var mm = machine.Mm;
        machine.Run(() =>
        {
            var space = mm.CreateProcessAddressSpace()!;
            KTHREAD.Current!.AddressSpace = space;
            mm.AllocateUserMemory(space, 2 * PAGE_SIZE, PageProtection.PAGE_READONLY, out var va);

            // Read-only pages cannot be probed for write; the range past the allocation is not committed.
            var readOnly = IoAllocateMdl(va, PAGE_SIZE, false, false, 0);
            Assert.Equal(NTSTATUS.STATUS_ACCESS_VIOLATION, Assert.Throws<NtException>(() => MmProbeAndLockPages(readOnly, UserMode, IoWriteAccess)).Status);
            MmProbeAndLockPages(readOnly, UserMode, IoReadAccess);
            MmUnlockPages(readOnly);

            var tooLong = IoAllocateMdl(va, 3 * PAGE_SIZE, false, false, 0);
            var e = Assert.Throws<NtException>(() => MmProbeAndLockPages(tooLong, UserMode, IoReadAccess));
            Assert.Equal(va + (2 * PAGE_SIZE), e.FaultAddress);
            Assert.Equal(0, space.LockedPages);
            Assert.All(Enumerable.Range(0, 2), i =>
                Assert.Equal(0, mm.QueryPfn(Pte.Frame(mm.QueryPte(space, va + ((ulong)i * PAGE_SIZE)))).LockCount));

            var kernel = ExAllocatePool2(POOL_FLAG_NON_PAGED, 64, PoolTag("Kern"));
            var kernelMdl = IoAllocateMdl(kernel, 64, false, false, 0);
            Assert.Throws<NtException>(() => MmProbeAndLockPages(kernelMdl, UserMode, IoReadAccess));
            IoFreeMdl(readOnly);
            IoFreeMdl(tooLong);
            IoFreeMdl(kernelMdl);
        });
        Assert.False(machine.IsHalted);
    }

    [Fact]
    public void Unlocking_a_kernel_MDL_twice_is_PFN_LIST_CORRUPT_7()
    {
        using var machine = MmMachines.Boot();
        ulong pfn = 0;
        var e = Assert.Throws<BugCheckException>(() => machine.Run(() => MmMachines.AsDriver(machine, "twice.sys", "Twice", () =>
        {
            var buffer = ExAllocatePool2(POOL_FLAG_PAGED, 100, PoolTag("Twic"));
            var mdl = IoAllocateMdl(buffer, 100, false, false, 0);
            MmProbeAndLockPages(mdl, KernelMode, IoReadAccess);
            pfn = ReadMemory<ulong>(MmGetMdlPfnArray(mdl));
            MmUnlockPages(mdl);
            MmUnlockPages(mdl);
        })));
        Assert.Equal(BugCheckCode.PFN_LIST_CORRUPT, e.Code);
        Assert.Equal((7UL, pfn, 0UL, 0UL), (e.Info.Parameter1, e.Info.Parameter2, e.Info.Parameter3, e.Info.Parameter4));
        Assert.Equal("twice.sys", e.Info.FaultingModule);
    }

    [Fact]
    public void Unlocking_a_process_MDL_twice_is_PROCESS_HAS_LOCKED_PAGES_1()
    {
        using var machine = MmMachines.Boot();
        ulong mdl = 0;
        var e = Assert.Throws<BugCheckException>(() => machine.Run(() =>
        {
            var space = machine.Mm.CreateProcessAddressSpace()!;
            KTHREAD.Current!.AddressSpace = space;
            machine.Mm.AllocateUserMemory(space, PAGE_SIZE, PageProtection.PAGE_READWRITE, out var va);
            mdl = IoAllocateMdl(va, 8, false, false, 0);
            MmProbeAndLockPages(mdl, UserMode, IoReadAccess);
            MmUnlockPages(mdl);
            MmUnlockPages(mdl);
        }));
        Assert.Equal(BugCheckCode.PROCESS_HAS_LOCKED_PAGES, e.Code);
        Assert.Equal((1UL, mdl, 0UL, 0UL), (e.Info.Parameter1, e.Info.Parameter2, e.Info.Parameter3, e.Info.Parameter4));
    }

    [Fact]
    public void A_process_ending_with_locked_pages_is_PROCESS_HAS_LOCKED_PAGES_0()
    {
        using var machine = MmMachines.Boot();
        ulong process = 0;
        var e = Assert.Throws<BugCheckException>(() => machine.Run(() =>
        {
            var space = machine.Mm.CreateProcessAddressSpace()!;
            process = space.ProcessAddress;
            KTHREAD.Current!.AddressSpace = space;
            machine.Mm.AllocateUserMemory(space, 2 * PAGE_SIZE, PageProtection.PAGE_READWRITE, out var va);
            var mdl = IoAllocateMdl(va, 2 * PAGE_SIZE, false, false, 0);
            MmProbeAndLockPages(mdl, UserMode, IoReadAccess);
            IoFreeMdl(mdl);
            KTHREAD.Current!.AddressSpace = null;
            machine.Mm.DeleteProcessAddressSpace(space);
        }));
        Assert.Equal(BugCheckCode.PROCESS_HAS_LOCKED_PAGES, e.Code);
        Assert.Equal((0UL, process, 2UL, 0UL), (e.Info.Parameter1, e.Info.Parameter2, e.Info.Parameter3, e.Info.Parameter4));
    }

    [Fact]
    public void An_MDL_for_nonpaged_pool_needs_no_lock_and_maps_to_the_buffer_itself()
    {
        using var machine = MmMachines.Boot();
        var mm = machine.Mm;
        machine.Run(() =>
        {
            var buffer = ExAllocatePool2(POOL_FLAG_NON_PAGED, 3 * PAGE_SIZE, PoolTag("NpMd"));
            var mdl = IoAllocateMdl(buffer + 16, (2 * PAGE_SIZE) + 100, false, false, 0);
            MmBuildMdlForNonPagedPool(mdl);
            Assert.Equal(MDL_SOURCE_IS_NONPAGED_POOL, ReadMemory<ushort>(mdl + 0x0A) & MDL_SOURCE_IS_NONPAGED_POOL);
            Assert.Equal(buffer + 16, ReadMemory<ulong>(mdl + 0x18));
            Assert.Equal(buffer + 16, MmGetSystemAddressForMdlSafe(mdl, NormalPagePriority));
            for (var i = 0; i < 3; i++)
            {
                Assert.Equal(Pte.Frame(mm.QueryPte(mm.SystemSpace, buffer + ((ulong)i * PAGE_SIZE))),
                    ReadMemory<ulong>(MmGetMdlPfnArray(mdl) + ((ulong)i * 8)));
            }

            IoFreeMdl(mdl);
        });
    }

    [Fact]
    public void IoAllocateMdl_attaches_to_the_IRP_and_chains_secondary_buffers()
    {
        using var machine = MmMachines.Boot();
        machine.Run(() =>
        {
            var irp = ExAllocatePool2(POOL_FLAG_NON_PAGED, 0xD0, PoolTag("Irp "));
            var data = ExAllocatePool2(POOL_FLAG_NON_PAGED, 3 * PAGE_SIZE, PoolTag("Data"));
            var first = IoAllocateMdl(data, PAGE_SIZE, false, false, irp);
            Assert.Equal(first, ReadMemory<ulong>(irp + 0x08));
            var second = IoAllocateMdl(data + PAGE_SIZE, PAGE_SIZE, true, false, irp);
            var third = IoAllocateMdl(data + (2 * PAGE_SIZE), PAGE_SIZE, true, false, irp);
            Assert.Equal(first, ReadMemory<ulong>(irp + 0x08));
            Assert.Equal(second, ReadMemory<ulong>(first));
            Assert.Equal(third, ReadMemory<ulong>(second));
            Assert.Equal(0UL, ReadMemory<ulong>(third));
            Assert.Equal(0UL, IoAllocateMdl(data, uint.MaxValue, false, false, 0));
        });
    }
}
