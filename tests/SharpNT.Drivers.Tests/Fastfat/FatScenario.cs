namespace SharpNT.Drivers.Tests.Fastfat;

/// <summary>
/// A FAT type, a sequence of operations to run on a fresh image of it, and whether the volume runs with a
/// tiny cache (evictions, read-ahead cut short, flushes in the middle of the sequence).
/// </summary>
public sealed record FatScenario(int FatBits, bool TinyCache, FatOp[] Ops)
{
    public override string ToString() => $"FAT{FatBits}{(TinyCache ? " tiny cache" : string.Empty)}: " + string.Join("; ", Ops.Select(o => o.ToString()));
}
