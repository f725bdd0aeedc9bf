using System.Diagnostics;

namespace SharpNT.Kernel.Mm;

/// <summary>
/// The state of one pool (POOL_DESCRIPTOR): its range of system address space, the layout of each of its
/// pages, the free blocks of each block size, the big-allocation table and the tag counters.
/// <para>
/// A small-block page is carved for one block size (a "class"): blocks of BlockSize 16-byte units tile it
/// from FirstUnits on, each with a real POOL_HEADER. Ordinary classes start at offset 0; cache-aligned
/// classes start with a 48-byte free filler so that every block's data is 64-byte aligned. A leftover
/// tail is a free filler block. Freed blocks go back on their class's free stack (LIFO), which gives the
/// next allocation of that size without searching and without managed allocation.
/// </para>
/// </summary>
[DebuggerDisplay("{Region.Name}: {Region.UsedPages} pages")]
internal sealed class PoolDescriptor
{
    /// <summary>Classes 1-255: ordinary blocks of that many units.</summary>
    internal const int AlignedClassBase = 256;

    /// <summary>Units in front of the first block of a cache-aligned page (48 bytes).</summary>
    internal const int AlignedFirstUnits = 3;

    /// <summary>Units per page.</summary>
    internal const int PageUnits = MemoryManager.PAGE_SIZE / PoolHeader.Size;

    /// <summary>Page layout: a free page of the region's address space.</summary>
    internal const short LayoutNone = 0;

    /// <summary>Page layout: first page of a big allocation.</summary>
    internal const short LayoutBigStart = -1;

    /// <summary>Page layout: a later page of a big allocation.</summary>
    internal const short LayoutBigRest = -2;

    private readonly ulong[]?[] _free = new ulong[]?[AlignedClassBase + 64];
    private readonly int[] _freeCount = new int[AlignedClassBase + 64];

    internal PoolDescriptor(bool paged, SystemVaRegion region, int processors)
    {
        Paged = paged;
        Region = region;
        Layout = new short[region.PageCount];
        Tags = new PoolTagTable(paged, processors + 1);
        SharedSlot = processors;
        Lookasides = new PoolLookaside[processors];
        for (var i = 0; i < processors; i++)
        {
            Lookasides[i] = new PoolLookaside(i);
        }
    }

    /// <summary>The tag-counter cell of code holding the pool lock.</summary>
    internal int SharedSlot { get; }

    /// <summary>Each processor's lookaside lists for this pool's small blocks.</summary>
    internal PoolLookaside[] Lookasides { get; }

    internal bool Paged { get; }

    /// <summary>POOL_HEADER.PoolIndex of this pool's blocks.</summary>
    internal byte PoolIndex => Paged ? (byte)1 : (byte)0;

    /// <summary>The POOL_TYPE bug check parameters report for this pool.</summary>
    internal POOL_TYPE BaseType => Paged ? POOL_TYPE.PagedPool : POOL_TYPE.NonPagedPool;

    internal SystemVaRegion Region { get; }

    /// <summary>Per page of the region: 0 unused, a class number for a small-block page, or a big-allocation mark.</summary>
    internal short[] Layout { get; }

    internal Lock Lock { get; } = new();

    internal PoolTagTable Tags { get; }

    internal Dictionary<ulong, BigPoolEntry> BigPages { get; } = [];

    /// <summary>Pages carved into small blocks.</summary>
    internal int SmallPages { get; set; }

    /// <summary>Per class: 2^32 / block bytes rounded up, to divide offsets within a page by multiplication.</summary>
    private static readonly ulong[] s_reciprocal = CreateReciprocals();

    /// <summary>
    /// The index of the block that starts <paramref name="relative"/> bytes after the class's first block,
    /// or -1 if no block starts there. Exact for offsets within a page: the rounding error of the reciprocal
    /// times 4096 stays far below one block.
    /// </summary>
    internal static int BlockIndex(int poolClass, int relative)
    {
        var blockBytes = BlockUnits(poolClass) * PoolHeader.Size;
        var index = (int)(((ulong)(uint)relative * s_reciprocal[poolClass]) >> 32);
        return relative >= 0 && index * blockBytes == relative && index < BlocksPerPage(poolClass) ? index : -1;
    }

    private static readonly int[] s_blocksPerPage = CreateBlocksPerPage();

    private static int[] CreateBlocksPerPage()
    {
        var table = new int[AlignedClassBase + 64];
        for (var c = 1; c < table.Length; c++)
        {
            if (BlockUnits(c) > 0)
            {
                table[c] = (PageUnits - FirstUnits(c)) / BlockUnits(c);
            }
        }

        return table;
    }

    private static ulong[] CreateReciprocals()
    {
        var table = new ulong[AlignedClassBase + 64];
        for (var c = 1; c < table.Length; c++)
        {
            var bytes = (ulong)(BlockUnits(c) * PoolHeader.Size);
            if (bytes > 0)
            {
                table[c] = ((1UL << 32) + bytes - 1) / bytes;
            }
        }

        return table;
    }

    internal static int FirstUnits(int poolClass) => poolClass >= AlignedClassBase ? AlignedFirstUnits : 0;

    internal static int BlockUnits(int poolClass) => poolClass >= AlignedClassBase ? (poolClass - AlignedClassBase) * 4 : poolClass;

    internal static int BlocksPerPage(int poolClass) => s_blocksPerPage[poolClass];

    internal bool TryPop(int poolClass, out ulong block)
    {
        var count = _freeCount[poolClass];
        if (count == 0)
        {
            block = 0;
            return false;
        }

        _freeCount[poolClass] = count - 1;
        block = _free[poolClass]![count - 1];
        return true;
    }

    internal void Push(int poolClass, ulong block)
    {
        var stack = _free[poolClass];
        var count = _freeCount[poolClass];
        if (stack is null || count == stack.Length)
        {
            Array.Resize(ref stack, Math.Max(64, count * 2));
            _free[poolClass] = stack;
        }

        stack[count] = block;
        _freeCount[poolClass] = count + 1;
    }
}
