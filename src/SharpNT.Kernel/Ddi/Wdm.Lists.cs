using SharpNT.Kernel.Ke;
using SharpNT.Kernel.Rtl;

namespace SharpNT.Kernel.Ddi;

/// <summary>
/// The list DDIs over LIST_ENTRY, SINGLE_LIST_ENTRY and SLIST_HEADER in memory: the plain wdm.h routines
/// (with the kernel's integrity checks), the ExInterlocked* routines that hold a caller's spin lock around
/// them, and the sequenced S-lists.
/// </summary>
public static partial class Wdm
{
    /// <summary>InitializeListHead: an empty list points at itself.</summary>
    public static void InitializeListHead(ulong ListHead) => ListEntries.InitializeListHead(Mm, ListHead);

    public static bool IsListEmpty(ulong ListHead) => ListEntries.IsListEmpty(Mm, ListHead);

    public static void InsertTailList(ulong ListHead, ulong Entry) => ListEntries.InsertTailList(CurrentMachine, ListHead, Entry);

    public static void InsertHeadList(ulong ListHead, ulong Entry) => ListEntries.InsertHeadList(CurrentMachine, ListHead, Entry);

    /// <summary>RemoveEntryList: TRUE if the list is empty afterwards.</summary>
    public static bool RemoveEntryList(ulong Entry) => ListEntries.RemoveEntryList(CurrentMachine, Entry);

    public static ulong RemoveHeadList(ulong ListHead) => ListEntries.RemoveHeadList(CurrentMachine, ListHead);

    public static ulong RemoveTailList(ulong ListHead) => ListEntries.RemoveTailList(CurrentMachine, ListHead);

    /// <summary>PushEntryList: SINGLE_LIST_ENTRY, not interlocked.</summary>
    public static void PushEntryList(ulong ListHead, ulong Entry)
    {
        var mm = Mm;
        mm.Write(Entry, mm.Read<ulong>(ListHead));
        mm.Write(ListHead, Entry);
    }

    /// <summary>PopEntryList: the first SINGLE_LIST_ENTRY, or 0.</summary>
    public static ulong PopEntryList(ulong ListHead)
    {
        var mm = Mm;
        var first = mm.Read<ulong>(ListHead);
        if (first != 0)
        {
            mm.Write(ListHead, mm.Read<ulong>(first));
        }

        return first;
    }

    /// <summary>ExInterlockedInsertHeadList: IRQL &lt;= DIRQL; returns the previous first entry, or 0 if the list was empty.</summary>
    public static ulong ExInterlockedInsertHeadList(ulong ListHead, ulong ListEntry, KSPIN_LOCK Lock) =>
        UnderListLock(Lock, machine =>
        {
            var first = ListEntries.IsListEmpty(machine.Mm, ListHead) ? 0 : ListEntries.Flink(machine.Mm, ListHead);
            ListEntries.InsertHeadList(machine, ListHead, ListEntry);
            return first;
        });

    /// <summary>ExInterlockedInsertTailList: IRQL &lt;= DIRQL; returns the previous last entry, or 0 if the list was empty.</summary>
    public static ulong ExInterlockedInsertTailList(ulong ListHead, ulong ListEntry, KSPIN_LOCK Lock) =>
        UnderListLock(Lock, machine =>
        {
            var last = ListEntries.IsListEmpty(machine.Mm, ListHead) ? 0 : ListEntries.Blink(machine.Mm, ListHead);
            ListEntries.InsertTailList(machine, ListHead, ListEntry);
            return last;
        });

    /// <summary>ExInterlockedRemoveHeadList: IRQL &lt;= DIRQL; the first entry, or 0 if the list is empty.</summary>
    public static ulong ExInterlockedRemoveHeadList(ulong ListHead, KSPIN_LOCK Lock) =>
        UnderListLock(Lock, machine => ListEntries.IsListEmpty(machine.Mm, ListHead) ? 0 : ListEntries.RemoveHeadList(machine, ListHead));

    /// <summary>ExInterlockedPushEntryList: SINGLE_LIST_ENTRY under the spin lock; returns the previous first entry.</summary>
    public static ulong ExInterlockedPushEntryList(ulong ListHead, ulong ListEntry, KSPIN_LOCK Lock) =>
        UnderListLock(Lock, machine =>
        {
            var first = machine.Mm.Read<ulong>(ListHead);
            PushEntryList(ListHead, ListEntry);
            return first;
        });

    /// <summary>ExInterlockedPopEntryList: SINGLE_LIST_ENTRY under the spin lock.</summary>
    public static ulong ExInterlockedPopEntryList(ulong ListHead, KSPIN_LOCK Lock) => UnderListLock(Lock, _ => PopEntryList(ListHead));

    /// <summary>InitializeSListHead: the header must be 16-byte aligned (STATUS_DATATYPE_MISALIGNMENT is raised otherwise).</summary>
    public static void InitializeSListHead(ulong SListHead) => SListEntries.Initialize(Mm, SListHead);

    /// <summary>InterlockedPushEntrySList: any IRQL; returns the previous first entry.</summary>
    public static ulong InterlockedPushEntrySList(ulong ListHead, ulong ListEntry)
    {
        var machine = CurrentMachine;
        return SListEntries.Push(machine.Mm, machine.ExSync.SListAtomic, ListHead, ListEntry);
    }

    /// <summary>InterlockedPopEntrySList: the first entry, or 0.</summary>
    public static ulong InterlockedPopEntrySList(ulong ListHead)
    {
        var machine = CurrentMachine;
        return SListEntries.Pop(machine.Mm, machine.ExSync.SListAtomic, ListHead);
    }

    /// <summary>ExInterlockedPushEntrySList: InterlockedPushEntrySList (the lock is not used on x64).</summary>
    public static ulong ExInterlockedPushEntrySList(ulong ListHead, ulong ListEntry, KSPIN_LOCK Lock) => InterlockedPushEntrySList(ListHead, ListEntry);

    /// <summary>ExInterlockedPopEntrySList: InterlockedPopEntrySList (the lock is not used on x64).</summary>
    public static ulong ExInterlockedPopEntrySList(ulong ListHead, KSPIN_LOCK Lock) => InterlockedPopEntrySList(ListHead);

    /// <summary>InterlockedFlushSList: the whole chain; the list is left empty.</summary>
    public static ulong InterlockedFlushSList(ulong ListHead)
    {
        var machine = CurrentMachine;
        return SListEntries.Flush(machine.Mm, machine.ExSync.SListAtomic, ListHead);
    }

    /// <summary>ExQueryDepthSList: entries on the list.</summary>
    public static ushort ExQueryDepthSList(ulong SListHead) => SListEntries.Depth(Mm, SListHead);

    /// <summary>
    /// Runs a list operation holding <paramref name="spinLock"/> at DISPATCH_LEVEL or the caller's higher
    /// IRQL, as the ExInterlocked* routines hold it with interrupts off.
    /// </summary>
    private static ulong UnderListLock(KSPIN_LOCK spinLock, Func<Machine, ulong> operation)
    {
        var machine = CurrentMachine;
        var ke = machine.Ke;
        var old = ke.RaiseIrql(Math.Max(ke.CurrentPrcb.Irql, DISPATCH_LEVEL));
        ke.AcquireSpinLockAtDpcLevel(spinLock);
        try
        {
            return operation(machine);
        }
        finally
        {
            ke.ReleaseSpinLockFromDpcLevel(spinLock);
            ke.LowerIrql(old);
        }
    }
}
