using SharpNT.Kernel.Ke;
using SharpNT.Kernel.Mm;
using static SharpNT.Kernel.Ddi.Wdm;

namespace SharpNT.Kernel.Tests.Mm;

public sealed class PageTableTests
{
    [Fact]
    public void A_pool_page_is_mapped_by_four_levels_of_tables_held_in_physical_frames()
    {
        using var machine = MmMachines.Boot();
        var mm = machine.Mm;
        machine.Run(() =>
        {
            var p = ExAllocatePool2(POOL_FLAG_NON_PAGED, 64, PoolTag("Walk"));
            mm.Write(p, 0x1122334455667788UL);

            // Walk CR3 -> PML4E -> PDPTE -> PDE -> PTE by hand, reading the raw entries from physical memory.
            var table = mm.SystemSpace.DirectoryTableBase;
            ulong entry = 0;
            for (var level = 3; level >= 0; level--)
            {
                var index = (p >> (12 + (9 * level))) & 0x1FF;
                entry = mm.Physical.ReadUInt64(table + (index * 8));
                Assert.True((entry & Pte.Present) != 0, $"level {level} entry present");
                Assert.True((entry & Pte.Writable) != 0, $"level {level} entry writable");
                Assert.True((entry & Pte.User) == 0, $"level {level} entry is supervisor-only");
                table = entry & Pte.FrameMask;
            }

            Assert.Equal(entry, mm.QueryPte(mm.SystemSpace, p));
            Assert.True((entry & Pte.NoExecute) != 0, "nonpaged pool NX is not executable");
            Assert.True((entry & Pte.Global) != 0, "kernel pages are global");

            var frame = entry >> 12 & 0xFFFFFFFFFF;
            var raw = mm.Physical.Frame(frame);
            Assert.Equal(0x1122334455667788UL, BitConverter.ToUInt64(raw[(int)(p & 0xFFF)..]));
            Assert.True(mm.TryTranslate(mm.SystemSpace, p + 3, out var physical));
            Assert.Equal((frame << 12) + (p & 0xFFF) + 3, physical);
        });
    }

    [Fact]
    public void The_accessed_and_dirty_bits_are_set_by_the_first_read_and_the_first_write()
    {
        using var machine = MmMachines.Boot();
        var mm = machine.Mm;
        machine.Run(() =>
        {
            // Big paged pool is committed demand-zero: a software PTE until first touched.
            var p = ExAllocatePool2(POOL_FLAG_PAGED, 2 * PAGE_SIZE, PoolTag("Bits"));
            var before = mm.QueryPte(mm.SystemSpace, p);
            Assert.False(Pte.IsPresent(before));
            Assert.Equal(MmProtection.MM_READWRITE, Pte.SoftwareProtection(before));
            Assert.Equal(0u, Pte.PagefileSlot(before));

            Assert.Equal(0, mm.Read<int>(p));
            var afterRead = mm.QueryPte(mm.SystemSpace, p);
            Assert.True(Pte.IsPresent(afterRead));
            Assert.True((afterRead & Pte.Accessed) != 0);
            Assert.True((afterRead & Pte.Dirty) == 0);

            mm.Write(p, 5);
            var afterWrite = mm.QueryPte(mm.SystemSpace, p);
            Assert.True((afterWrite & Pte.Dirty) != 0);
            Assert.Equal(5, mm.Read<int>(p));
            Assert.False(Pte.IsPresent(mm.QueryPte(mm.SystemSpace, p + PAGE_SIZE)));
        });
    }

    [Theory]
    [InlineData(0x0000_7FFF_FFFF_FFFFUL, true)]
    [InlineData(0xFFFF_8000_0000_0000UL, true)]
    [InlineData(0x0000_8000_0000_0000UL, false)]
    [InlineData(0xFFFF_7FFF_FFFF_FFFFUL, false)]
    [InlineData(0x1234_0000_0000_0000UL, false)]
    public void Canonical_addresses_have_bits_63_to_47_equal(ulong address, bool canonical) =>
        Assert.Equal(canonical, MemoryManager.IsCanonical(address));

    [Fact]
    public void A_non_canonical_kernel_access_is_PAGE_FAULT_IN_NONPAGED_AREA_with_type_4()
    {
        using var machine = MmMachines.Boot();
        var routine = MmMachines.RoutineAddress(machine, "bad.sys", "BadRead");
        var e = Assert.Throws<BugCheckException>(() => machine.Run(() =>
            MmMachines.AsDriver(machine, "bad.sys", "BadRead", () => ReadMemory<byte>(0x8000_0000_0000_0000UL))));
        Assert.Equal(BugCheckCode.PAGE_FAULT_IN_NONPAGED_AREA, e.Code);
        Assert.Equal(0x8000_0000_0000_0000UL, e.Info.Parameter1);
        Assert.Equal(0UL, e.Info.Parameter2);
        Assert.Equal(routine, e.Info.Parameter3);
        Assert.Equal(4UL, e.Info.Parameter4);
    }

    [Fact]
    public void An_unmapped_kernel_address_is_PAGE_FAULT_IN_NONPAGED_AREA_naming_the_driver()
    {
        using var machine = MmMachines.Boot();
        var routine = MmMachines.RoutineAddress(machine, "bad.sys", "BadWrite");
        const ulong Address = 0xFFFFFA80_7000_0010UL;
        var e = Assert.Throws<BugCheckException>(() => machine.Run(() =>
            MmMachines.AsDriver(machine, "bad.sys", "BadWrite", () => WriteMemory(Address, 1))));
        Assert.Equal(BugCheckCode.PAGE_FAULT_IN_NONPAGED_AREA, e.Code);
        Assert.Equal(Address, e.Info.Parameter1);
        Assert.Equal(2UL, e.Info.Parameter2);
        Assert.Equal(routine, e.Info.Parameter3);
        Assert.Equal(2UL, e.Info.Parameter4);
        Assert.Equal("bad.sys", e.Info.FaultingModule);
    }

    [Fact]
    public void Process_address_spaces_share_the_kernel_half_including_tables_created_later()
    {
        using var machine = MmMachines.Boot();
        var mm = machine.Mm;
        machine.Run(() =>
        {
            var process = mm.CreateProcessAddressSpace()!;
            Assert.NotEqual(mm.SystemSpace.DirectoryTableBase, process.DirectoryTableBase);
            for (var i = 256; i < 512; i++)
            {
                Assert.Equal(mm.Physical.ReadUInt64(mm.SystemSpace.DirectoryTableBase + ((ulong)i * 8)),
                    mm.Physical.ReadUInt64(process.DirectoryTableBase + ((ulong)i * 8)));
            }

            // A pool page mapped after the process was created is visible through its CR3 too.
            var p = ExAllocatePool2(POOL_FLAG_NON_PAGED, 3 * PAGE_SIZE, PoolTag("Shar"));
            Assert.True(mm.TryTranslate(process, p + 0x2010, out var viaProcess));
            Assert.True(mm.TryTranslate(mm.SystemSpace, p + 0x2010, out var viaSystem));
            Assert.Equal(viaSystem, viaProcess);
            mm.DeleteProcessAddressSpace(process);
        });
    }

    [Fact]
    public void The_same_operations_give_the_same_addresses_and_frames_on_every_run()
    {
        static (ulong[] Addresses, ulong[] Ptes) Scenario()
        {
            using var machine = MmMachines.Boot(memoryMiB: 8, pagefileMiB: 16);
            return machine.Run(() =>
            {
                var addresses = new List<ulong>();
                for (var i = 0; i < 40; i++)
                {
                    var p = ExAllocatePool2(i % 2 == 0 ? POOL_FLAG_PAGED : POOL_FLAG_NON_PAGED, (ulong)(i * 97 % 9000) + 1, PoolTag("Det "));
                    addresses.Add(p);
                    machine.Mm.Fill(p, 1, 0x5A);
                    if (i % 3 == 0)
                    {
                        ExFreePool(addresses[i / 2]);
                    }
                }

                machine.Mm.TrimWorkingSet();
                var ptes = addresses.Select(a => machine.Mm.QueryPte(machine.Mm.SystemSpace, a)).ToArray();
                return (addresses.ToArray(), ptes);
            });
        }

        var first = Scenario();
        var second = Scenario();
        Assert.Equal(first.Addresses, second.Addresses);
        Assert.Equal(first.Ptes, second.Ptes);
    }
}
