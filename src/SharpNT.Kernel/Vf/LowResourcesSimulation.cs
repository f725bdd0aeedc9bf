using SharpNT.Kernel.Ke;

namespace SharpNT.Kernel.Vf;

/// <summary>
/// Driver Verifier's low resources simulation (0x4, "randomized low resources simulation"): once the grace
/// period after boot is over, pool and IRP allocations made by verified drivers fail at random with the
/// configured probability. The dice are seeded from the machine's seed, so a run fails the same
/// allocations every time it is replayed.
/// </summary>
internal sealed class LowResourcesSimulation
{
    private readonly Lock _lock = new();
    private readonly Random _random;
    private readonly int _probability;
    private readonly long _delay;

    internal LowResourcesSimulation(ulong seed, VerifierSettings settings)
    {
        // A seed of its own (the machine seed mixed with a constant), so injected failures do not shift the
        // scheduler's choices.
        _random = new Random(unchecked((int)(seed * 0x9E3779B97F4A7C15UL >> 32)));
        _probability = settings.FaultProbability;
        _delay = settings.FaultDelay.Ticks;
    }

    /// <summary>Allocations failed on purpose so far.</summary>
    internal int InjectedFailures { get; private set; }

    /// <summary>Whether the allocation being made now (at <paramref name="interruptTime"/>, 100 ns since boot) fails.</summary>
    internal bool ShouldFail(long interruptTime)
    {
        if (interruptTime < _delay || _probability == 0)
        {
            return false;
        }

        lock (_lock)
        {
            if (_random.Next(10000) >= _probability)
            {
                return false;
            }

            InjectedFailures++;
            return true;
        }
    }
}
