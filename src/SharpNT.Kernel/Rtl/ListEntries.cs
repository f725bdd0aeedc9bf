using SharpNT.Kernel.Io.Layout;
using SharpNT.Kernel.Ke;
using SharpNT.Kernel.Mm;

namespace SharpNT.Kernel.Rtl;

/// <summary>
/// The doubly linked LIST_ENTRY routines of wdm.h over real bytes, each link read and written through the
/// checked path, with the integrity checks the kernel's list routines make since Windows 8: a neighbour
/// that does not point back is a fast fail, bug check KERNEL_SECURITY_CHECK_FAILURE (0x139) with
/// FAST_FAIL_CORRUPT_LIST_ENTRY (3).
/// </summary>
internal static class ListEntries
{
    /// <summary>FAST_FAIL_CORRUPT_LIST_ENTRY: 0x139's first parameter for a corrupt list.</summary>
    internal const ulong FastFailCorruptListEntry = 3;

    internal static void InitializeListHead(MemoryManager mm, ulong head)
    {
        mm.Write(head + ListEntryLayout.Flink, head);
        mm.Write(head + ListEntryLayout.Blink, head);
    }

    internal static bool IsListEmpty(MemoryManager mm, ulong head) => Flink(mm, head) == head;

    internal static void InsertTailList(Machine machine, ulong head, ulong entry)
    {
        var mm = machine.Mm;
        var previous = Blink(mm, head);
        if (Flink(mm, previous) != head)
        {
            Corrupt(machine);
        }

        mm.Write(entry + ListEntryLayout.Flink, head);
        mm.Write(entry + ListEntryLayout.Blink, previous);
        mm.Write(previous + ListEntryLayout.Flink, entry);
        mm.Write(head + ListEntryLayout.Blink, entry);
    }

    internal static void InsertHeadList(Machine machine, ulong head, ulong entry)
    {
        var mm = machine.Mm;
        var next = Flink(mm, head);
        if (Blink(mm, next) != head)
        {
            Corrupt(machine);
        }

        mm.Write(entry + ListEntryLayout.Flink, next);
        mm.Write(entry + ListEntryLayout.Blink, head);
        mm.Write(next + ListEntryLayout.Blink, entry);
        mm.Write(head + ListEntryLayout.Flink, entry);
    }

    /// <summary>RemoveEntryList: unlinks the entry; TRUE if the list is empty afterwards.</summary>
    internal static bool RemoveEntryList(Machine machine, ulong entry)
    {
        var mm = machine.Mm;
        var next = Flink(mm, entry);
        var previous = Blink(mm, entry);
        if (Blink(mm, next) != entry || Flink(mm, previous) != entry)
        {
            Corrupt(machine);
        }

        mm.Write(previous + ListEntryLayout.Flink, next);
        mm.Write(next + ListEntryLayout.Blink, previous);
        return next == previous;
    }

    /// <summary>RemoveHeadList: the first entry, unlinked (the head itself if the list is empty).</summary>
    internal static ulong RemoveHeadList(Machine machine, ulong head)
    {
        var mm = machine.Mm;
        var entry = Flink(mm, head);
        var next = Flink(mm, entry);
        if (Blink(mm, entry) != head || Blink(mm, next) != entry)
        {
            Corrupt(machine);
        }

        mm.Write(head + ListEntryLayout.Flink, next);
        mm.Write(next + ListEntryLayout.Blink, head);
        return entry;
    }

    /// <summary>RemoveTailList: the last entry, unlinked (the head itself if the list is empty).</summary>
    internal static ulong RemoveTailList(Machine machine, ulong head)
    {
        var mm = machine.Mm;
        var entry = Blink(mm, head);
        var previous = Blink(mm, entry);
        if (Flink(mm, entry) != head || Flink(mm, previous) != entry)
        {
            Corrupt(machine);
        }

        mm.Write(head + ListEntryLayout.Blink, previous);
        mm.Write(previous + ListEntryLayout.Flink, head);
        return entry;
    }

    internal static ulong Flink(MemoryManager mm, ulong entry) => mm.Read<ulong>(entry + ListEntryLayout.Flink);

    internal static ulong Blink(MemoryManager mm, ulong entry) => mm.Read<ulong>(entry + ListEntryLayout.Blink);

    private static void Corrupt(Machine machine) =>
        machine.BugCheck.Raise(BugCheckCode.KERNEL_SECURITY_CHECK_FAILURE, FastFailCorruptListEntry, 0, 0, 0);
}
