namespace SharpNT.Kernel.Mm;

/// <summary>
/// Per-tag counters of one pool. Lookups and inserts happen under the pool lock; the snapshot for a bug
/// check or the debugger reads without it, so that a crash inside the pool code can still list usage.
/// </summary>
internal sealed class PoolTagTable(bool paged, int slots)
{
    private PoolTagCounters[] _entries = new PoolTagCounters[64];
    private int[] _buckets = CreateBuckets(128);
    private int _count;
    private PoolTagCounters? _last;

    internal bool Paged { get; } = paged;

    /// <summary>The counters of <paramref name="tag"/>, created on first use (pool lock held).</summary>
    internal PoolTagCounters Get(uint tag)
    {
        var last = _last;
        if (last is not null && last.Tag == tag)
        {
            return last;
        }

        var mask = _buckets.Length - 1;
        var slot = (int)(Mix(tag) & (uint)mask);
        while (_buckets[slot] >= 0)
        {
            var candidate = _entries[_buckets[slot]];
            if (candidate.Tag == tag)
            {
                _last = candidate;
                return candidate;
            }

            slot = (slot + 1) & mask;
        }

        var counters = new PoolTagCounters(tag, slots);
        if (_count == _entries.Length)
        {
            var grown = new PoolTagCounters[_entries.Length * 2];
            _entries.CopyTo(grown, 0);
            Volatile.Write(ref _entries, grown);
        }

        _entries[_count] = counters;
        _buckets[slot] = _count;
        Volatile.Write(ref _count, _count + 1);
        if (_count * 2 > _buckets.Length)
        {
            Rehash();
        }

        _last = counters;
        return counters;
    }

    internal void Snapshot(List<PoolTagUsage> into)
    {
        var count = Volatile.Read(ref _count);
        var entries = Volatile.Read(ref _entries);
        for (var i = 0; i < count && i < entries.Length; i++)
        {
            var c = entries[i];
            if (c is not null)
            {
                into.Add(new PoolTagUsage(PoolTags.ToString(c.Tag), Paged, c.Allocs, c.Frees, c.Bytes));
            }
        }
    }

    private static int[] CreateBuckets(int size)
    {
        var buckets = new int[size];
        Array.Fill(buckets, -1);
        return buckets;
    }

    private static uint Mix(uint tag) => (tag * 0x9E3779B1u) >> 7;

    private void Rehash()
    {
        var buckets = CreateBuckets(_buckets.Length * 2);
        var mask = buckets.Length - 1;
        for (var i = 0; i < _count; i++)
        {
            var slot = (int)(Mix(_entries[i].Tag) & (uint)mask);
            while (buckets[slot] >= 0)
            {
                slot = (slot + 1) & mask;
            }

            buckets[slot] = i;
        }

        _buckets = buckets;
    }
}
