namespace SharpNT.Kernel.Mm;

/// <summary>One line of !poolused: allocations of one tag in one pool.</summary>
public sealed record PoolTagUsage(string Tag, bool Paged, long Allocs, long Frees, long Bytes)
{
    /// <summary>Allocations not yet freed.</summary>
    public long Outstanding => Allocs - Frees;
}
