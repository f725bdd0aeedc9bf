namespace SharpNT.Kernel.Mm;

/// <summary>
/// The pool tracker of one tag in one pool (POOL_TRACKER_TABLE's entry). Counts are kept in one cell per
/// processor, written only by the thread that owns that processor (the per-processor lookaside path), plus
/// a shared cell written under the pool lock; a reader sums them. Cells are a cache line apart.
/// </summary>
internal sealed class PoolTagCounters
{
    private const int Stride = 8;
    private readonly long[] _cells;

    internal PoolTagCounters(uint tag, int slots)
    {
        Tag = tag;
        _cells = new long[slots * Stride];
    }

    internal uint Tag { get; }

    internal long Allocs => Sum(0);

    internal long Frees => Sum(1);

    /// <summary>Bytes outstanding: block sizes including headers, whole pages for big allocations.</summary>
    internal long Bytes => Sum(2);

    internal void Allocated(int slot, long bytes)
    {
        var i = slot * Stride;
        _cells[i]++;
        _cells[i + 2] += bytes;
    }

    internal void Freed(int slot, long bytes)
    {
        var i = slot * Stride;
        _cells[i + 1]++;
        _cells[i + 2] -= bytes;
    }

    private long Sum(int field)
    {
        long total = 0;
        for (var i = field; i < _cells.Length; i += Stride)
        {
            total += Volatile.Read(ref _cells[i]);
        }

        return total;
    }
}
