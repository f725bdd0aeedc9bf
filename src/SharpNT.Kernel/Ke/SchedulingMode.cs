namespace SharpNT.Kernel.Ke;

/// <summary>How a machine interleaves its threads.</summary>
public enum SchedulingMode
{
    /// <summary>One simulated thread executes at a time; a seeded generator picks which at every
    /// scheduling point, and the clock is virtual: the same seed replays the same run.</summary>
    Deterministic,

    /// <summary>Simulated processors run their threads truly at once on host threads; the clock is real.</summary>
    Parallel,
}
