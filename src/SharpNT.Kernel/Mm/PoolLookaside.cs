namespace SharpNT.Kernel.Mm;

/// <summary>
/// One processor's lookaside lists for the small blocks of one pool (the PP lookaside lists of the KPRCB):
/// a free-block stack per block size up to 32 units (512 bytes), and a small cache of tag counters. Only
/// the thread that owns the processor touches it, so it needs no lock; it is refilled from and drained to
/// the pool's own free lists under the pool lock, a batch at a time.
/// </summary>
internal sealed class PoolLookaside
{
    internal const int MaxUnits = 32;
    internal const int Depth = 64;
    internal const int Batch = 16;

    /// <summary>The stacks of all sizes in one array: size u's stack is [u * Depth, (u + 1) * Depth).</summary>
    private readonly ulong[] _stacks = new ulong[(MaxUnits + 1) * Depth];
    private readonly int[] _counts = new int[MaxUnits + 1];
    private readonly PoolTagCounters?[] _tags = new PoolTagCounters?[32];

    internal PoolLookaside(int slot)
    {
        Slot = slot;
    }

    /// <summary>The processor number: this lookaside's tag-counter cell.</summary>
    internal int Slot { get; }

    internal int Count(int units) => _counts[units];

    internal bool TryPop(int units, out ulong block)
    {
        var count = _counts[units];
        if (count == 0)
        {
            block = 0;
            return false;
        }

        _counts[units] = count - 1;
        block = _stacks[(units * Depth) + count - 1];
        return true;
    }

    internal bool TryPush(int units, ulong block)
    {
        var count = _counts[units];
        if (count == Depth)
        {
            return false;
        }

        _stacks[(units * Depth) + count] = block;
        _counts[units] = count + 1;
        return true;
    }

    internal PoolTagCounters? CachedTag(uint tag)
    {
        var cached = _tags[Index(tag)];
        return cached is not null && cached.Tag == tag ? cached : null;
    }

    internal void CacheTag(PoolTagCounters counters) => _tags[Index(counters.Tag)] = counters;

    private static int Index(uint tag) => (int)((tag * 0x9E3779B1u) >> 27);
}
