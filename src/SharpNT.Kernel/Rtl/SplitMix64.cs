namespace SharpNT.Kernel;

/// <summary>
/// The seeded generator behind every machine decision. A fixed algorithm (SplitMix64) rather than
/// System.Random so that a seed replays the same run on any .NET version.
/// </summary>
internal sealed class SplitMix64
{
    private ulong _state;

    public SplitMix64(ulong seed) => _state = seed;

    public ulong Next()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A value in [0, bound).</summary>
    public int NextInt(int bound) => bound <= 1 ? 0 : (int)(Next() % (ulong)bound);
}
