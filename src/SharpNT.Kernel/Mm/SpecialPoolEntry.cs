namespace SharpNT.Kernel.Mm;

/// <summary>
/// One special pool allocation: a page of its own (<see cref="Page"/>) followed by an unmapped guard page,
/// the caller's bytes ending as close to the guard page as alignment allows.
/// </summary>
internal sealed class SpecialPoolEntry(ulong page, ulong address, ulong bytes, uint tag, POOL_TYPE type, bool paged)
{
    internal ulong Page { get; } = page;

    /// <summary>The address handed to the caller.</summary>
    internal ulong Address { get; } = address;

    /// <summary>The bytes the caller asked for.</summary>
    internal ulong Bytes { get; } = bytes;

    internal uint Tag { get; } = tag;

    internal POOL_TYPE Type { get; } = type;

    internal bool Paged { get; } = paged;

    /// <summary>Freed: the page is unmapped and stays so until its address range is recycled.</summary>
    internal bool Freed { get; set; }

    internal ulong GuardPage => Page + MemoryManager.PAGE_SIZE;
}
