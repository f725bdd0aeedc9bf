namespace SharpNT.Kernel.Mm;

/// <summary>An entry of the big pool table (PoolBigPageTable): a page-aligned allocation of whole pages.</summary>
internal readonly record struct BigPoolEntry(uint Tag, int Pages, POOL_TYPE PoolType, bool Quota);
