using SharpNT.Kernel.Mm;

namespace SharpNT.Kernel.Ex;

/// <summary>PALLOCATE_FUNCTION: a lookaside list's allocator for a miss (ExAllocatePoolWithTag by default).</summary>
public delegate ulong PALLOCATE_FUNCTION(POOL_TYPE PoolType, ulong NumberOfBytes, uint Tag);

/// <summary>PFREE_FUNCTION: a lookaside list's release for a block the list does not keep (ExFreePool by default).</summary>
public delegate void PFREE_FUNCTION(ulong Buffer);

/// <summary>
/// The part every lookaside list shares (GENERAL_LOOKASIDE): a cache of up to Depth free blocks of one size,
/// tag and pool type, refilled by the list's Allocate routine on a miss and drained by its Free routine,
/// with the counters NT keeps for them.
/// </summary>
public abstract class GENERAL_LOOKASIDE
{
    /// <summary>The depth NT gives a list when it is initialized (ExMinimumLookasideDepth).</summary>
    internal const ushort MinimumDepth = 4;

    /// <summary>MaximumDepth of a list: 256.</summary>
    internal const ushort DefaultMaximumDepth = 256;

    internal Stack<ulong> Free { get; } = new();

    internal Lock Sync { get; } = new();

    internal PALLOCATE_FUNCTION? AllocateRoutine { get; set; }

    internal PFREE_FUNCTION? FreeRoutine { get; set; }

    /// <summary>How many free blocks the list keeps.</summary>
    public ushort Depth { get; internal set; }

    public ushort MaximumDepth { get; internal set; }

    public uint TotalAllocates { get; internal set; }

    /// <summary>Allocations the list could not serve from its free blocks.</summary>
    public uint AllocateMisses { get; internal set; }

    public uint TotalFrees { get; internal set; }

    /// <summary>Frees the list passed on to its Free routine because it already kept Depth blocks.</summary>
    public uint FreeMisses { get; internal set; }

    public POOL_TYPE Type { get; internal set; }

    public uint Tag { get; internal set; }

    /// <summary>Bytes per entry.</summary>
    public uint Size { get; internal set; }

    /// <summary>ExQueryDepthSList of the list head: the free blocks held now.</summary>
    public int FreeBlocks
    {
        get
        {
            lock (Sync)
            {
                return Free.Count;
            }
        }
    }
}

/// <summary>A lookaside list of nonpaged blocks (ExInitializeNPagedLookasideList): usable at IRQL &lt;= DISPATCH_LEVEL.</summary>
public sealed class NPAGED_LOOKASIDE_LIST : GENERAL_LOOKASIDE;

/// <summary>A lookaside list of paged blocks (ExInitializePagedLookasideList): usable at IRQL &lt;= APC_LEVEL.</summary>
public sealed class PAGED_LOOKASIDE_LIST : GENERAL_LOOKASIDE;

/// <summary>A lookaside list of either pool type (ExInitializeLookasideListEx).</summary>
public sealed class LOOKASIDE_LIST_EX : GENERAL_LOOKASIDE;
