namespace SharpNT.Kernel.Kd;

/// <summary>
/// A page of pool as !pool shows it: a small-block page's blocks with their headers, or the big allocation
/// the page belongs to (a page of whole-page allocations has no POOL_HEADER). Resident false: a paged-pool
/// page that is in the pagefile, so its headers cannot be read.
/// </summary>
internal sealed record KdPoolPage(
    ulong Address,
    bool Paged,
    bool Resident,
    IReadOnlyList<KdPoolBlock> Blocks,
    ulong BigStart = 0,
    int BigPages = 0,
    uint BigTag = 0);
