using System.Diagnostics.CodeAnalysis;
using SharpNT.Kernel.Ke;
using SharpNT.Kernel.Mm;

namespace SharpNT.Kernel.Ddi;

/// <summary>The executive pool DDIs of the WDM facade.</summary>
public static partial class Wdm
{
    public const ulong POOL_FLAG_USE_QUOTA = PoolFlags.POOL_FLAG_USE_QUOTA;
    public const ulong POOL_FLAG_UNINITIALIZED = PoolFlags.POOL_FLAG_UNINITIALIZED;
    public const ulong POOL_FLAG_SESSION = PoolFlags.POOL_FLAG_SESSION;
    public const ulong POOL_FLAG_CACHE_ALIGNED = PoolFlags.POOL_FLAG_CACHE_ALIGNED;
    public const ulong POOL_FLAG_RAISE_ON_FAILURE = PoolFlags.POOL_FLAG_RAISE_ON_FAILURE;
    public const ulong POOL_FLAG_NON_PAGED = PoolFlags.POOL_FLAG_NON_PAGED;
    public const ulong POOL_FLAG_NON_PAGED_EXECUTE = PoolFlags.POOL_FLAG_NON_PAGED_EXECUTE;
    public const ulong POOL_FLAG_PAGED = PoolFlags.POOL_FLAG_PAGED;
    public const ulong POOL_FLAG_SPECIAL_POOL = PoolFlags.POOL_FLAG_SPECIAL_POOL;

    public const POOL_TYPE NonPagedPool = POOL_TYPE.NonPagedPool;
    public const POOL_TYPE NonPagedPoolExecute = POOL_TYPE.NonPagedPoolExecute;
    public const POOL_TYPE PagedPool = POOL_TYPE.PagedPool;
    public const POOL_TYPE NonPagedPoolMustSucceed = POOL_TYPE.NonPagedPoolMustSucceed;
    public const POOL_TYPE NonPagedPoolCacheAligned = POOL_TYPE.NonPagedPoolCacheAligned;
    public const POOL_TYPE PagedPoolCacheAligned = POOL_TYPE.PagedPoolCacheAligned;
    public const POOL_TYPE NonPagedPoolNx = POOL_TYPE.NonPagedPoolNx;
    public const POOL_TYPE NonPagedPoolNxCacheAligned = POOL_TYPE.NonPagedPoolNxCacheAligned;

    public const uint POOL_RAISE_IF_ALLOCATION_FAILURE = PoolFlags.POOL_RAISE_IF_ALLOCATION_FAILURE;
    public const uint POOL_ZERO_ALLOCATION = PoolFlags.POOL_ZERO_ALLOCATION;
    public const uint POOL_NX_ALLOCATION = PoolFlags.POOL_NX_ALLOCATION;

    internal static MemoryManager Mm => CurrentMachine.Mm;

    /// <summary>The calling simulated thread: read once per call on the pool fast paths.</summary>
    private static KTHREAD Caller => KTHREAD.Current ?? NotOnASimulatedThread();

    [DoesNotReturn]
    private static KTHREAD NotOnASimulatedThread() =>
        throw new InvalidOperationException("DDI routines run on a simulated thread: call them inside Machine.Run.");

    /// <summary>
    /// A pool tag from its four characters as they show in !poolused ("Samp" for the C literal 'pmaS');
    /// shorter strings are padded with spaces.
    /// </summary>
    public static uint PoolTag(string Tag) => PoolTags.FromString(Tag);

    /// <summary>
    /// ExAllocatePool2: IRQL &lt;= DISPATCH_LEVEL (APC_LEVEL for POOL_FLAG_PAGED). Zeroed unless
    /// POOL_FLAG_UNINITIALIZED; NULL on failure, a zero tag or invalid flags, or STATUS_INSUFFICIENT_RESOURCES
    /// raised with POOL_FLAG_RAISE_ON_FAILURE.
    /// </summary>
    public static ulong ExAllocatePool2(ulong Flags, ulong NumberOfBytes, uint Tag)
    {
        var caller = Caller;
        var machine = caller.Machine;
        var mm = machine.Mm;

        // Under Driver Verifier the call goes through the verifier's thunk (special pool, low resources).
        var p = machine.Options.Verifier.Flags != 0
            ? machine.Verifier.Pool.AllocatePool2(caller, Flags, NumberOfBytes, Tag)
            : mm.AllocatePool2(Flags, NumberOfBytes, Tag, caller);
        return mm.NoteDriverAllocation(p, NumberOfBytes, Tag, caller);
    }

    /// <summary>
    /// ExAllocatePoolWithTag: IRQL &lt;= DISPATCH_LEVEL (APC_LEVEL for paged pool); not zeroed; NULL on
    /// failure. A zero tag is BAD_POOL_CALLER 0x9B.
    /// </summary>
    public static ulong ExAllocatePoolWithTag(POOL_TYPE PoolType, ulong NumberOfBytes, uint Tag)
    {
        var caller = Caller;
        var machine = caller.Machine;
        var mm = machine.Mm;
        var p = machine.Options.Verifier.Flags != 0
            ? machine.Verifier.Pool.AllocatePoolWithTag(caller, PoolType, NumberOfBytes, Tag)
            : mm.AllocatePoolWithTag(PoolType, NumberOfBytes, Tag, caller);
        return mm.NoteDriverAllocation(p, NumberOfBytes, Tag, caller);
    }

    /// <summary>ExAllocatePool: ExAllocatePoolWithTag with the tag "None".</summary>
    public static ulong ExAllocatePool(POOL_TYPE PoolType, ulong NumberOfBytes) =>
        ExAllocatePoolWithTag(PoolType, NumberOfBytes, PoolTags.None);

    /// <summary>ExAllocatePoolZero: ExAllocatePoolWithTag with the memory zeroed.</summary>
    public static ulong ExAllocatePoolZero(POOL_TYPE PoolType, ulong NumberOfBytes, uint Tag) =>
        ExAllocatePoolWithTag(PoolType | (POOL_TYPE)POOL_ZERO_ALLOCATION, NumberOfBytes, Tag);

    /// <summary>
    /// ExFreePoolWithTag: IRQL &lt;= DISPATCH_LEVEL (APC_LEVEL for paged pool). The tag must match the
    /// allocation's (BAD_POOL_CALLER 0x0A otherwise); freeing anything but a live allocation is a bug check.
    /// </summary>
    public static void ExFreePoolWithTag(ulong P, uint Tag)
    {
        var caller = Caller;
        caller.Machine.Mm.FreePool(P, Tag, caller);
    }

    /// <summary>ExFreePool: ExFreePoolWithTag without a tag check.</summary>
    public static void ExFreePool(ulong P) => Mm.FreePool(P, 0);
}
