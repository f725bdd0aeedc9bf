using SharpNT.Kernel.Ex;
using SharpNT.Kernel.Ke;
using SharpNT.Kernel.Mm;

namespace SharpNT.Kernel.Ddi;

/// <summary>
/// The lookaside-list DDIs: per-driver caches of fixed-size pool blocks. Misses and overflow go to the
/// list's Allocate and Free routines (by default ExAllocatePoolWithTag and ExFreePool, so the blocks are
/// the driver's own pool allocations, tracked and verified as such).
/// </summary>
public static partial class Wdm
{
    /// <summary>ExInitializeNPagedLookasideList: IRQL &lt;= DISPATCH_LEVEL; Flags and Depth are reserved (0).</summary>
    public static void ExInitializeNPagedLookasideList(NPAGED_LOOKASIDE_LIST Lookaside, PALLOCATE_FUNCTION? Allocate,
        PFREE_FUNCTION? Free, uint Flags, ulong Size, uint Tag, ushort Depth) =>
        InitializeLookaside(Lookaside, Allocate, Free, NonPagedPool | (POOL_TYPE)(Flags & POOL_RAISE_IF_ALLOCATION_FAILURE), Size, Tag);

    /// <summary>ExInitializePagedLookasideList: IRQL &lt;= APC_LEVEL; Flags and Depth are reserved (0).</summary>
    public static void ExInitializePagedLookasideList(PAGED_LOOKASIDE_LIST Lookaside, PALLOCATE_FUNCTION? Allocate,
        PFREE_FUNCTION? Free, uint Flags, ulong Size, uint Tag, ushort Depth) =>
        InitializeLookaside(Lookaside, Allocate, Free, PagedPool | (POOL_TYPE)(Flags & POOL_RAISE_IF_ALLOCATION_FAILURE), Size, Tag);

    /// <summary>
    /// ExInitializeLookasideListEx: IRQL &lt;= DISPATCH_LEVEL; a list of <paramref name="PoolType"/> blocks.
    /// Returns STATUS_SUCCESS, or STATUS_INVALID_PARAMETER_5 for a zero size.
    /// </summary>
    public static NTSTATUS ExInitializeLookasideListEx(LOOKASIDE_LIST_EX Lookaside, PALLOCATE_FUNCTION? Allocate,
        PFREE_FUNCTION? Free, POOL_TYPE PoolType, uint Flags, ulong Size, uint Tag, ushort Depth)
    {
        if (Size == 0)
        {
            return NTSTATUS.STATUS_INVALID_PARAMETER_5;
        }

        InitializeLookaside(Lookaside, Allocate, Free, PoolType, Size, Tag);
        return NTSTATUS.STATUS_SUCCESS;
    }

    /// <summary>ExAllocateFromNPagedLookasideList: IRQL &lt;= DISPATCH_LEVEL; a kept block, or a new one from Allocate.</summary>
    public static ulong ExAllocateFromNPagedLookasideList(NPAGED_LOOKASIDE_LIST Lookaside) => AllocateFromLookaside(Lookaside, Irql.DISPATCH_LEVEL);

    /// <summary>ExAllocateFromPagedLookasideList: IRQL &lt;= APC_LEVEL.</summary>
    public static ulong ExAllocateFromPagedLookasideList(PAGED_LOOKASIDE_LIST Lookaside) => AllocateFromLookaside(Lookaside, Irql.APC_LEVEL);

    /// <summary>ExAllocateFromLookasideListEx: IRQL &lt;= DISPATCH_LEVEL (APC_LEVEL for paged blocks).</summary>
    public static ulong ExAllocateFromLookasideListEx(LOOKASIDE_LIST_EX Lookaside) => AllocateFromLookaside(Lookaside, CeilingOf(Lookaside));

    /// <summary>ExFreeToNPagedLookasideList: IRQL &lt;= DISPATCH_LEVEL; kept if the list holds fewer than Depth blocks.</summary>
    public static void ExFreeToNPagedLookasideList(NPAGED_LOOKASIDE_LIST Lookaside, ulong Entry) => FreeToLookaside(Lookaside, Entry, Irql.DISPATCH_LEVEL);

    /// <summary>ExFreeToPagedLookasideList: IRQL &lt;= APC_LEVEL.</summary>
    public static void ExFreeToPagedLookasideList(PAGED_LOOKASIDE_LIST Lookaside, ulong Entry) => FreeToLookaside(Lookaside, Entry, Irql.APC_LEVEL);

    /// <summary>ExFreeToLookasideListEx: IRQL &lt;= DISPATCH_LEVEL (APC_LEVEL for paged blocks).</summary>
    public static void ExFreeToLookasideListEx(LOOKASIDE_LIST_EX Lookaside, ulong Entry) => FreeToLookaside(Lookaside, Entry, CeilingOf(Lookaside));

    /// <summary>ExDeleteNPagedLookasideList: the kept blocks go back through the Free routine.</summary>
    public static void ExDeleteNPagedLookasideList(NPAGED_LOOKASIDE_LIST Lookaside) => FlushLookaside(Lookaside);

    /// <summary>ExDeletePagedLookasideList.</summary>
    public static void ExDeletePagedLookasideList(PAGED_LOOKASIDE_LIST Lookaside) => FlushLookaside(Lookaside);

    /// <summary>ExDeleteLookasideListEx.</summary>
    public static void ExDeleteLookasideListEx(LOOKASIDE_LIST_EX Lookaside) => FlushLookaside(Lookaside);

    /// <summary>ExFlushLookasideListEx: the kept blocks go back through the Free routine; the list stays usable.</summary>
    public static void ExFlushLookasideListEx(LOOKASIDE_LIST_EX Lookaside) => FlushLookaside(Lookaside);

    private static byte CeilingOf(GENERAL_LOOKASIDE list) =>
        (list.Type & POOL_TYPE.PagedPool) != 0 ? Irql.APC_LEVEL : Irql.DISPATCH_LEVEL;

    private static void InitializeLookaside(GENERAL_LOOKASIDE list, PALLOCATE_FUNCTION? allocate, PFREE_FUNCTION? free,
        POOL_TYPE type, ulong size, uint tag)
    {
        lock (list.Sync)
        {
            list.Free.Clear();
            list.AllocateRoutine = allocate;
            list.FreeRoutine = free;
            list.Type = type;
            list.Size = (uint)size;
            list.Tag = tag;
            list.Depth = GENERAL_LOOKASIDE.MinimumDepth;
            list.MaximumDepth = GENERAL_LOOKASIDE.DefaultMaximumDepth;
            list.TotalAllocates = list.AllocateMisses = list.TotalFrees = list.FreeMisses = 0;
        }
    }

    private static ulong AllocateFromLookaside(GENERAL_LOOKASIDE list, byte ceiling)
    {
        CheckLookasideIrql(list, ceiling);
        lock (list.Sync)
        {
            list.TotalAllocates++;
            if (list.Free.TryPop(out var block))
            {
                return block;
            }

            list.AllocateMisses++;
            AdjustDepth(list);
        }

        return list.AllocateRoutine is { } allocate
            ? allocate(list.Type, list.Size, list.Tag)
            : ExAllocatePoolWithTag(list.Type, list.Size, list.Tag);
    }

    private static void FreeToLookaside(GENERAL_LOOKASIDE list, ulong entry, byte ceiling)
    {
        CheckLookasideIrql(list, ceiling);
        lock (list.Sync)
        {
            list.TotalFrees++;
            if (list.Free.Count < list.Depth)
            {
                list.Free.Push(entry);
                return;
            }

            list.FreeMisses++;
        }

        ReleaseBlock(list, entry);
    }

    private static void FlushLookaside(GENERAL_LOOKASIDE list)
    {
        ulong[] kept;
        lock (list.Sync)
        {
            kept = [.. list.Free];
            list.Free.Clear();
        }

        foreach (var block in kept)
        {
            ReleaseBlock(list, block);
        }
    }

    private static void ReleaseBlock(GENERAL_LOOKASIDE list, ulong block)
    {
        if (list.FreeRoutine is { } free)
        {
            free(block);
        }
        else
        {
            ExFreePool(block);
        }
    }

    /// <summary>
    /// NT retunes a list's depth once a second from its miss rate (ExAdjustLookasideDepth); here a list that
    /// misses grows by one block at each miss once it has kept its current depth busy, up to MaximumDepth.
    /// </summary>
    private static void AdjustDepth(GENERAL_LOOKASIDE list)
    {
        if (list.Depth < list.MaximumDepth && list.TotalAllocates - list.TotalFrees >= list.Depth)
        {
            list.Depth++;
        }
    }

    private static void CheckLookasideIrql(GENERAL_LOOKASIDE list, byte ceiling)
    {
        var thread = Caller;
        var irql = thread.Processor!.Irql;
        if (irql > ceiling)
        {
            thread.Machine.BugCheck.Raise(BugCheckCode.IRQL_NOT_LESS_OR_EQUAL, KernelCore.ObjectAddress(list), irql, 1,
                thread.InnermostFrame()?.Address ?? 0);
        }
    }
}
