using SharpNT.Kernel.Ke;
using SharpNT.Kernel.Mm;
using static SharpNT.Kernel.Ddi.Wdm;

namespace SharpNT.Kernel.Tests.Mm;

public sealed class PagingTests
{
    [Fact]
    public void A_forced_trim_pages_paged_pool_out_and_a_touch_brings_it_back_intact()
    {
        using var machine = MmMachines.Boot();
        var mm = machine.Mm;
        machine.Run(() =>
        {
            var tag = PoolTag("Trim");
            var big = ExAllocatePool2(POOL_FLAG_PAGED, 32 * PAGE_SIZE, tag);
            var small = Enumerable.Range(0, 50).Select(i => ExAllocatePool2(POOL_FLAG_PAGED, 200, tag)).ToArray();
            var nonPaged = ExAllocatePool2(POOL_FLAG_NON_PAGED, 4 * PAGE_SIZE, tag);
            var pattern = MmMachines.Pattern(32 * PAGE_SIZE, 7);
            CopyFromHost(big, pattern);
            for (var i = 0; i < small.Length; i++)
            {
                CopyFromHost(small[i], MmMachines.Pattern(200, i));
            }

            CopyFromHost(nonPaged, MmMachines.Pattern(4 * PAGE_SIZE, 99));

            var freeBefore = mm.FreeFrames;
            var trimmed = mm.TrimWorkingSet();
            Assert.True(trimmed >= 33, $"trimmed {trimmed}");
            Assert.Equal(freeBefore + trimmed, mm.FreeFrames);
            Assert.Equal(0, mm.ResidentPageablePages);
            Assert.True(mm.PagedOutPages >= trimmed);

            // The PTE now holds the pagefile slot in its software format; nonpaged pool stayed.
            var pte = mm.QueryPte(mm.SystemSpace, big);
            Assert.False(Pte.IsPresent(pte));
            Assert.NotEqual(0u, Pte.PagefileSlot(pte));
            Assert.Equal(MmProtection.MM_READWRITE, Pte.SoftwareProtection(pte));
            Assert.True(Pte.IsPresent(mm.QueryPte(mm.SystemSpace, nonPaged)));
            Assert.False(MmIsAddressValid(big));
            Assert.True(MmIsAddressValid(nonPaged));

            var back = new byte[32 * PAGE_SIZE];
            CopyToHost(big, back);
            Assert.Equal(pattern, back);
            for (var i = 0; i < small.Length; i++)
            {
                var bytes = new byte[200];
                CopyToHost(small[i], bytes);
                Assert.Equal(MmMachines.Pattern(200, i), bytes);
            }

            Assert.True(mm.PageIns >= trimmed);
            var nonPagedBack = new byte[4 * PAGE_SIZE];
            CopyToHost(nonPaged, nonPagedBack);
            Assert.Equal(MmMachines.Pattern(4 * PAGE_SIZE, 99), nonPagedBack);
        });
    }

    [Fact]
    public void Paged_pool_larger_than_physical_memory_lives_in_the_pagefile_and_reads_back_intact()
    {
        using var machine = MmMachines.Boot(memoryMiB: 8, pagefileMiB: 64);
        var mm = machine.Mm;
        machine.Run(() =>
        {
            var tag = PoolTag("Pres");
            const int Chunk = 64 * 1024;
            var chunks = new List<ulong>();
            for (var i = 0; i < 256; i++)
            {
                var p = ExAllocatePool2(POOL_FLAG_PAGED, Chunk, tag);
                Assert.NotEqual(0UL, p);
                CopyFromHost(p, MmMachines.Pattern(Chunk, i));
                chunks.Add(p);
            }

            // 16 MiB of paged pool on an 8 MiB machine: at least half of it was written out.
            Assert.True(mm.PageOuts >= 2048, $"page outs {mm.PageOuts}");
            Assert.True(mm.ResidentPageablePages < 2048);

            var buffer = new byte[Chunk];
            for (var i = 0; i < chunks.Count; i++)
            {
                CopyToHost(chunks[i], buffer);
                Assert.True(MmMachines.Pattern(Chunk, i).AsSpan().SequenceEqual(buffer), $"chunk {i} intact");
            }

            foreach (var p in chunks)
            {
                ExFreePoolWithTag(p, tag);
            }

            Assert.Equal(0, mm.PagedOutPages);
        });
    }

    [Fact]
    public void Paged_pool_fails_with_NULL_once_memory_and_pagefile_are_committed()
    {
        using var machine = MmMachines.Boot(memoryMiB: 4, pagefileMiB: 4);
        machine.Run(() =>
        {
            var count = 0;
            while (ExAllocatePool2(POOL_FLAG_PAGED, 256 * 1024, PoolTag("Full")) != 0)
            {
                count++;
                Assert.True(count < 100, "8 MiB of commit cannot hold 100 blocks of 256 KiB");
            }

            Assert.InRange(count, 20, 32);
        });
        Assert.False(machine.IsHalted);
    }

    [Fact]
    public void Touching_paged_out_pool_at_DISPATCH_LEVEL_from_a_driver_is_DRIVER_IRQL_NOT_LESS_OR_EQUAL()
    {
        using var machine = MmMachines.Boot();
        var m = machine.Modules.Load("sample.sys");
        var routine = m.RoutineAddress("SampleDispatch");
        ulong p = 0;
        var e = Assert.Throws<BugCheckException>(() => machine.Run(() =>
        {
            var thread = KTHREAD.Current!;
            thread.PushFrame(new CallFrame(m, routine, "SampleDispatch"));
            p = ExAllocatePool2(POOL_FLAG_PAGED, 64, PoolTag("Samp"));
            WriteMemory(p, 1234);
            machine.Mm.TrimWorkingSet();
            KeRaiseIrql(DISPATCH_LEVEL, out _);
            _ = ReadMemory<int>(p);
        }));
        Assert.Equal(BugCheckCode.DRIVER_IRQL_NOT_LESS_OR_EQUAL, e.Code);
        Assert.Equal(p, e.Info.Parameter1);
        Assert.Equal(2UL, e.Info.Parameter2);
        Assert.Equal(0UL, e.Info.Parameter3);
        Assert.Equal(routine, e.Info.Parameter4);
        Assert.Equal("sample.sys", e.Info.FaultingModule);
    }

    [Fact]
    public void A_write_to_paged_out_pool_at_DISPATCH_LEVEL_has_parameter_3_set_to_1()
    {
        using var machine = MmMachines.Boot();
        ulong p = 0;
        var e = Assert.Throws<BugCheckException>(() => machine.Run(() => MmMachines.AsDriver(machine, "sample.sys", "SampleDpc", () =>
        {
            p = ExAllocatePool2(POOL_FLAG_PAGED, 3 * PAGE_SIZE, PoolTag("Samp"));
            KeRaiseIrql(DISPATCH_LEVEL, out _);
            WriteMemory(p + PAGE_SIZE + 8, 1);
        })));
        Assert.Equal(BugCheckCode.DRIVER_IRQL_NOT_LESS_OR_EQUAL, e.Code);
        Assert.Equal((p + PAGE_SIZE + 8, 2UL, 1UL), (e.Info.Parameter1, e.Info.Parameter2, e.Info.Parameter3));
    }

    [Fact]
    public void Touching_paged_out_pool_at_DISPATCH_LEVEL_from_the_kernel_is_IRQL_NOT_LESS_OR_EQUAL()
    {
        using var machine = MmMachines.Boot();
        ulong p = 0;
        var kernelRoutine = machine.Modules.Kernel.RoutineAddress("Phase1Initialization");
        var e = Assert.Throws<BugCheckException>(() => machine.Run(() =>
        {
            p = ExAllocatePool2(POOL_FLAG_PAGED, 64, PoolTag("Kern"));
            machine.Mm.TrimWorkingSet();
            KeRaiseIrql(DISPATCH_LEVEL, out _);
            _ = ReadMemory<long>(p);
        }));
        Assert.Equal(BugCheckCode.IRQL_NOT_LESS_OR_EQUAL, e.Code);
        Assert.Equal((p, 2UL, 0UL, kernelRoutine), (e.Info.Parameter1, e.Info.Parameter2, e.Info.Parameter3, e.Info.Parameter4));
    }

    [Fact]
    public void A_NULL_dereference_at_DISPATCH_LEVEL_is_DRIVER_IRQL_NOT_LESS_OR_EQUAL_with_address_0()
    {
        using var machine = MmMachines.Boot();
        var e = Assert.Throws<BugCheckException>(() => machine.Run(() => MmMachines.AsDriver(machine, "null.sys", "NullDpc", () =>
        {
            KeRaiseIrql(DISPATCH_LEVEL, out _);
            _ = ReadMemory<int>(0);
        })));
        Assert.Equal(BugCheckCode.DRIVER_IRQL_NOT_LESS_OR_EQUAL, e.Code);
        Assert.Equal(0UL, e.Info.Parameter1);
        Assert.Equal("null.sys", e.Info.FaultingModule);
    }

    [Fact]
    public void Resident_paged_pool_can_be_touched_at_DISPATCH_LEVEL_without_a_fault()
    {
        using var machine = MmMachines.Boot();
        machine.Run(() =>
        {
            var p = ExAllocatePool2(POOL_FLAG_PAGED, 64, PoolTag("Lucky"[..4]));
            WriteMemory(p, 77);
            KeRaiseIrql(DISPATCH_LEVEL, out var old);
            Assert.Equal(77, ReadMemory<int>(p));
            KeLowerIrql(old);
        });
        Assert.False(machine.IsHalted);
    }

    [Fact]
    public void Writing_through_a_read_only_system_mapping_is_ATTEMPTED_WRITE_TO_READONLY_MEMORY()
    {
        using var machine = MmMachines.Boot();
        ulong systemVa = 0;
        ulong pte = 0;
        var e = Assert.Throws<BugCheckException>(() => machine.Run(() => MmMachines.AsDriver(machine, "ro.sys", "RoWrite", () =>
        {
            var buffer = ExAllocatePool2(POOL_FLAG_PAGED, PAGE_SIZE, PoolTag("RoBf"));
            var mdl = IoAllocateMdl(buffer, PAGE_SIZE, false, false, 0);
            MmProbeAndLockPages(mdl, KernelMode, IoReadAccess);
            systemVa = MmGetSystemAddressForMdlSafe(mdl, (uint)NormalPagePriority | MdlMappingNoWrite);
            pte = machine.Mm.QueryPte(machine.Mm.SystemSpace, systemVa);
            Assert.Equal(0, ReadMemory<int>(systemVa));
            WriteMemory(systemVa, 1);
        })));
        Assert.Equal(BugCheckCode.ATTEMPTED_WRITE_TO_READONLY_MEMORY, e.Code);
        Assert.Equal(systemVa, e.Info.Parameter1);
        Assert.Equal(0UL, pte & Pte.Writable);
        Assert.Equal(pte, e.Info.Parameter2);
        Assert.Equal("ro.sys", e.Info.FaultingModule);
    }

    [Fact]
    public void Pressure_trims_the_oldest_pages_first()
    {
        using var machine = MmMachines.Boot(memoryMiB: 4, pagefileMiB: 16);
        var mm = machine.Mm;
        machine.Run(() =>
        {
            var tag = PoolTag("Fifo");
            var first = ExAllocatePool2(POOL_FLAG_PAGED, PAGE_SIZE, tag);
            WriteMemory(first, 1);
            var rest = new List<ulong>();
            for (var i = 0; i < 1100; i++)
            {
                var p = ExAllocatePool2(POOL_FLAG_PAGED, PAGE_SIZE, tag);
                WriteMemory(p, i);
                rest.Add(p);
            }

            Assert.False(MmIsAddressValid(first));
            Assert.True(MmIsAddressValid(rest[^1]));
            Assert.Equal(1, ReadMemory<int>(first));
        });
    }

    [Fact]
    public void In_parallel_mode_trims_on_one_processor_never_lose_writes_on_the_other()
    {
        using var machine = MmMachines.Boot(processors: 2, mode: SchedulingMode.Parallel);
        var mm = machine.Mm;
        machine.Run(() =>
        {
            var tag = PoolTag("Race");
            var pages = Enumerable.Range(0, 8).Select(_ => ExAllocatePool2(POOL_FLAG_PAGED, PAGE_SIZE, tag)).ToArray();
            var stop = 0;
            var trims = 0;
            var started = 0;
            var trimmer = machine.Ke.CreateSystemThread(_ =>
            {
                Volatile.Write(ref started, 1);
                while (Volatile.Read(ref stop) == 0)
                {
                    trims += mm.TrimWorkingSet();
                }
            }, null, machine.Modules.Kernel, "Trimmer");

            // The trimmer runs on the other processor at the same time as this loop.
            Assert.True(SpinWait.SpinUntil(() => Volatile.Read(ref started) == 1, TimeSpan.FromSeconds(10)));

            var buffer = new byte[PAGE_SIZE];
            for (var round = 0; round < 3000; round++)
            {
                var p = pages[round % pages.Length];
                var value = (byte)(round & 0xFF);
                RtlFillMemory(p, PAGE_SIZE, value);
                CopyToHost(p, buffer);
                Assert.True(buffer.AsSpan().IndexOfAnyExcept(value) < 0, $"round {round}: a write was lost");
            }

            // However the host scheduled the two, the trimmer has paged something out before it stops.
            while (Volatile.Read(ref trims) == 0)
            {
                RtlFillMemory(pages[0], PAGE_SIZE, 1);
                KeDelayExecutionThread(KernelMode, false, new LARGE_INTEGER(-10_000));
            }

            Volatile.Write(ref stop, 1);
            KeWaitForSingleObject(trimmer, Executive, KernelMode, false, null);
            Assert.True(trims > 0);
        });
    }
}
