using SharpNT.Kernel.Ke;
using static SharpNT.Kernel.Ddi.Wdm;

namespace SharpNT.Kernel.Tests.Ex;

/// <summary>LIST_ENTRY, SINGLE_LIST_ENTRY and SLIST_HEADER routines over pool bytes.</summary>
public sealed class ListTests
{
    private static ulong Block(ulong bytes = 16) => ExAllocatePool2(POOL_FLAG_NON_PAGED, bytes, PoolTag("List"));

    private static List<ulong> Walk(ulong head)
    {
        var entries = new List<ulong>();
        for (var e = ReadUInt64(head); e != head; e = ReadUInt64(e))
        {
            entries.Add(e);
        }

        return entries;
    }

    private static ulong ReadUInt64(ulong address) => KeGetCurrentThread().Machine.Mm.Read<ulong>(address);

    [Fact]
    public void Entries_link_in_the_bytes_in_insertion_order_and_come_off_either_end()
    {
        using var machine = TestMachines.Boot();
        var result = machine.Run(() =>
        {
            var head = Block();
            InitializeListHead(head);
            var emptyAtFirst = IsListEmpty(head);
            var (a, b, c) = (Block(), Block(), Block());
            InsertTailList(head, b);
            InsertTailList(head, c);
            InsertHeadList(head, a);
            var order = Walk(head);
            var backLink = ReadUInt64(b + 8);
            var tail = RemoveTailList(head);
            var first = RemoveHeadList(head);
            var lastGone = RemoveEntryList(b);
            return (emptyAtFirst, order.SequenceEqual([a, b, c]), backLink == a, tail == c, first == a, lastGone, IsListEmpty(head));
        });

        Assert.Equal((true, true, true, true, true, true, true), result);
    }

    [Fact]
    public void Unlinking_an_entry_whose_neighbour_does_not_point_back_is_bug_check_0x139_with_FAST_FAIL_CORRUPT_LIST_ENTRY()
    {
        using var machine = TestMachines.Boot();
        var e = Assert.Throws<BugCheckException>(() => machine.Run(() =>
        {
            var head = Block();
            InitializeListHead(head);
            var (a, b) = (Block(), Block());
            InsertTailList(head, a);
            InsertTailList(head, b);
            machine.Mm.Write(b + 8, head);
            RemoveEntryList(a);
        }));
        Assert.Equal(BugCheckCode.KERNEL_SECURITY_CHECK_FAILURE, e.Code);
        Assert.Equal(3UL, e.Info.Parameters[0]);
    }

    [Fact]
    public void The_interlocked_routines_return_the_previous_neighbour_and_leave_the_IRQL_as_they_found_it()
    {
        using var machine = TestMachines.Boot();
        var result = machine.Run(() =>
        {
            var spin = new KSPIN_LOCK();
            KeInitializeSpinLock(spin);
            var head = Block();
            InitializeListHead(head);
            var (a, b) = (Block(), Block());
            var intoEmpty = ExInterlockedInsertTailList(head, a, spin);
            var afterA = ExInterlockedInsertTailList(head, b, spin);
            KeRaiseIrql(DISPATCH_LEVEL, out var old);
            var removed = ExInterlockedRemoveHeadList(head, spin);
            var irqlAfter = KeGetCurrentIrql();
            KeLowerIrql(old);
            ExInterlockedRemoveHeadList(head, spin);
            var fromEmpty = ExInterlockedRemoveHeadList(head, spin);
            return (intoEmpty, afterA == a, removed == a, irqlAfter, fromEmpty, KeGetCurrentIrql());
        });

        Assert.Equal((0UL, true, true, DISPATCH_LEVEL, 0UL, PASSIVE_LEVEL), result);
    }

    [Fact]
    public void Threads_on_two_processors_inserting_under_one_spin_lock_lose_no_entry()
    {
        using var machine = TestMachines.Boot(processors: 2, mode: SchedulingMode.Parallel);
        var count = machine.Run(() =>
        {
            var spin = new KSPIN_LOCK();
            KeInitializeSpinLock(spin);
            var head = Block();
            InitializeListHead(head);
            var threads = Enumerable.Range(0, 2).Select(_ => machine.Ke.CreateSystemThread(_ =>
            {
                for (var i = 0; i < 200; i++)
                {
                    ExInterlockedInsertTailList(head, Block(), spin);
                }
            }, null, machine.Modules.Kernel, "Inserter")).ToList();
            foreach (var t in threads)
            {
                KeWaitForSingleObject(t, Executive, KernelMode, false, null);
            }

            return Walk(head).Count;
        });

        Assert.Equal(400, count);
    }

    [Fact]
    public void An_S_list_is_last_in_first_out_with_its_depth_and_sequence_in_the_header()
    {
        using var machine = TestMachines.Boot();
        var result = machine.Run(() =>
        {
            var head = Block();
            InitializeSListHead(head);
            var (a, b, c) = (Block(), Block(), Block());
            var intoEmpty = InterlockedPushEntrySList(head, a);
            InterlockedPushEntrySList(head, b);
            var previous = InterlockedPushEntrySList(head, c);
            var depth = ExQueryDepthSList(head);
            var header = ReadUInt64(head);
            var popped = InterlockedPopEntrySList(head);
            var chain = InterlockedFlushSList(head);
            var chainNext = ReadUInt64(chain);
            return (intoEmpty, previous == b, depth, header >> 16, popped == c, chain == b, chainNext == a, ExQueryDepthSList(head), InterlockedPopEntrySList(head));
        });

        Assert.Equal((0UL, true, (ushort)3, 3UL, true, true, true, (ushort)0, 0UL), result);
    }

    [Fact]
    public void A_misaligned_S_list_header_is_STATUS_DATATYPE_MISALIGNMENT_and_single_lists_push_and_pop()
    {
        using var machine = TestMachines.Boot();
        var result = machine.Run(() =>
        {
            var block = Block(64);
            var status = NTSTATUS.STATUS_SUCCESS;
            try
            {
                InitializeSListHead(block + 8);
            }
            catch (NtException e)
            {
                status = e.Status;
            }

            machine.Mm.Write(block, 0UL);
            var (a, b) = (Block(), Block());
            PushEntryList(block, a);
            PushEntryList(block, b);
            return (status, PopEntryList(block) == b, PopEntryList(block) == a, PopEntryList(block));
        });

        Assert.Equal((NTSTATUS.STATUS_DATATYPE_MISALIGNMENT, true, true, 0UL), result);
    }
}
