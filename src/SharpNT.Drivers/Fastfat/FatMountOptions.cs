namespace SharpNT.Drivers.Fastfat;

/// <summary>How a FAT volume is mounted.</summary>
internal sealed record FatMountOptions
{
    /// <summary>The current NT system time (KeQuerySystemTime in the driver; a fixed clock in tests).</summary>
    public required Func<long> SystemTime { get; init; }

    /// <summary>NT's time-zone bias in 100 ns units (UTC = local + bias); FAT stores local time.</summary>
    public long TimeZoneBias { get; init; }

    /// <summary>Mount without ever writing (also implied by a read-only device).</summary>
    public bool ReadOnly { get; init; }

    /// <summary>Memory for cached blocks.</summary>
    public long CacheBytes { get; init; } = 16 * 1024 * 1024;

    /// <summary>How far a cache miss reads ahead along a contiguous run.</summary>
    public int ReadAheadBytes { get; init; } = 256 * 1024;

    /// <summary>Dirty cached bytes above which an operation ends with an ordered flush.</summary>
    public long DirtyFlushThreshold { get; init; } = 4 * 1024 * 1024;
}
