using System.Diagnostics;
using System.Numerics;

namespace SharpNT.Kernel.Mm;

/// <summary>
/// A range of system address space handed out in whole pages (nonpaged pool, paged pool, system PTEs).
/// First fit from the lowest address, so the same operations give the same addresses on every run.
/// </summary>
[DebuggerDisplay("{Name} {Base:X16} {PageCount} pages, {UsedPages} used")]
internal sealed class SystemVaRegion
{
    private readonly ulong[] _bitmap;
    private int _lowestFree;

    internal SystemVaRegion(string name, ulong @base, int pageCount)
    {
        Name = name;
        Base = @base;
        PageCount = pageCount;
        End = @base + ((ulong)pageCount << MemoryManager.PAGE_SHIFT);
        _bitmap = new ulong[(pageCount + 63) / 64];
    }

    internal string Name { get; }

    internal ulong Base { get; }

    internal int PageCount { get; }

    internal int UsedPages { get; private set; }

    internal ulong End { get; }

    internal bool Contains(ulong va) => va >= Base && va < End;

    internal int PageIndex(ulong va) => (int)((va - Base) >> MemoryManager.PAGE_SHIFT);

    internal ulong PageAddress(int index) => Base + ((ulong)index << MemoryManager.PAGE_SHIFT);

    /// <summary>Reserves <paramref name="pages"/> contiguous pages; returns the first index or -1.</summary>
    internal int Allocate(int pages)
    {
        var start = FindRun(_lowestFree, pages);
        if (start < 0)
        {
            return -1;
        }

        for (var i = start; i < start + pages; i++)
        {
            _bitmap[i >> 6] |= 1UL << (i & 63);
        }

        UsedPages += pages;
        if (start == _lowestFree)
        {
            _lowestFree = start + pages;
        }

        return start;
    }

    internal void Free(int start, int pages)
    {
        for (var i = start; i < start + pages; i++)
        {
            Debug.Assert(IsAllocated(i), "freeing a page of system address space that is not allocated");
            _bitmap[i >> 6] &= ~(1UL << (i & 63));
        }

        UsedPages -= pages;
        _lowestFree = Math.Min(_lowestFree, start);
    }

    internal bool IsAllocated(int index) => (_bitmap[index >> 6] & (1UL << (index & 63))) != 0;

    private int FindRun(int from, int pages)
    {
        var i = NextFree(from);
        while (i >= 0 && i + pages <= PageCount)
        {
            var run = 1;
            while (run < pages && !IsAllocated(i + run))
            {
                run++;
            }

            if (run == pages)
            {
                return i;
            }

            i = NextFree(i + run);
        }

        return -1;
    }

    private int NextFree(int from)
    {
        for (var word = from >> 6; word < _bitmap.Length; word++)
        {
            var free = ~_bitmap[word];
            if (word == from >> 6)
            {
                free &= ~0UL << (from & 63);
            }

            if (free != 0)
            {
                var index = (word << 6) + BitOperations.TrailingZeroCount(free);
                return index < PageCount ? index : -1;
            }
        }

        return -1;
    }
}
