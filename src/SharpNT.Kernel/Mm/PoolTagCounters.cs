namespace SharpNT.Kernel.Mm;

/// <summary>The pool tracker of one tag in one pool (POOL_TRACKER_TABLE's entry): written under the pool lock.</summary>
internal sealed class PoolTagCounters(uint tag)
{
    internal uint Tag { get; } = tag;

    internal long Allocs;

    internal long Frees;

    /// <summary>Bytes outstanding: block sizes including headers, whole pages for big allocations.</summary>
    internal long Bytes;
}
