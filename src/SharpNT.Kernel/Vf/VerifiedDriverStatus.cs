namespace SharpNT.Kernel.Vf;

/// <summary>
/// One driver on the verification list as !verifier shows it: whether it is loaded, and with pool tracking
/// the allocations it holds now (paged and nonpaged, count and bytes).
/// </summary>
internal sealed record VerifiedDriverStatus(
    string ImageName,
    bool Loaded,
    bool Unloaded,
    long CurrentPagedAllocations,
    long CurrentPagedBytes,
    long CurrentNonPagedAllocations,
    long CurrentNonPagedBytes);
