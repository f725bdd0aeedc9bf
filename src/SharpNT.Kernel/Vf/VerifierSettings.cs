using System.Globalization;

namespace SharpNT.Kernel.Vf;

/// <summary>
/// Driver Verifier settings as `verifier /flags` takes them: the option bits and the drivers they apply
/// to ("/flags 0x10 /driver sample.sys", "/standard /driver a.sys b.sys", "/all" for every driver).
/// </summary>
public sealed record VerifierSettings
{
    public const uint SpecialPool = 0x1;
    public const uint ForceIrqlChecking = 0x2;
    public const uint LowResourcesSimulation = 0x4;
    public const uint PoolTracking = 0x8;
    public const uint IoVerification = 0x10;
    public const uint DeadlockDetection = 0x20;
    public const uint DmaChecking = 0x80;
    public const uint SecurityChecks = 0x100;
    public const uint ForcePendingIo = 0x200;
    public const uint IrpLogging = 0x400;
    public const uint MiscellaneousChecks = 0x800;
    public const uint DdiComplianceChecking = 0x20000;

    /// <summary>/standard: the flags `verifier /standard` selects.</summary>
    public const uint Standard = 0x209BB;

    public static VerifierSettings None { get; } = new();

    public uint Flags { get; init; }

    /// <summary>Image names (case-insensitive); empty with <see cref="AllDrivers"/> false means none.</summary>
    public IReadOnlyList<string> Drivers { get; init; } = [];

    public bool AllDrivers { get; init; }

    /// <summary>
    /// Low resources simulation (0x4): the chance, in units of 1/10000, that an allocation by a verified
    /// driver fails once the grace period is over (`verifier /faults Probability`; 600 by default).
    /// </summary>
    public int FaultProbability { get; init; } = 600;

    /// <summary>
    /// Low resources simulation: how long after boot (machine time) injected failures begin, so that the
    /// system can start and settle (`verifier /faults ... DelayMins`; 8 minutes by default). Tests set it to zero.
    /// </summary>
    public TimeSpan FaultDelay { get; init; } = TimeSpan.FromMinutes(8);

    public bool Applies(string imageName, uint flag)
    {
        if ((Flags & flag) == 0)
        {
            return false;
        }

        if (AllDrivers)
        {
            return true;
        }

        // A loop, not LINQ: this runs on every verified IoCallDriver and must not allocate.
        foreach (var driver in Drivers)
        {
            if (string.Equals(driver, imageName, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Parses a `verifier` command line; a malformed one is refused with a message saying why.</summary>
    public static VerifierSettings Parse(string text)
    {
        var words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        uint flags = 0;
        var drivers = new List<string>();
        var all = false;
        var probability = 600;
        var delay = TimeSpan.FromMinutes(8);
        for (var i = 0; i < words.Length; i++)
        {
            switch (words[i].ToUpperInvariant())
            {
                case "/STANDARD":
                    flags |= Standard;
                    break;
                case "/ALL":
                    all = true;
                    break;
                case "/FLAGS":
                    if (i + 1 >= words.Length || !TryParseFlags(words[++i], out var f))
                    {
                        throw new FormatException($"verifier: /flags needs a number such as 0x3B, in \"{text}\".");
                    }

                    flags |= f;
                    break;
                case "/FAULTS":
                    // verifier /faults [Probability PoolTags Applications DelayMins]: turns on 0x4.
                    flags |= LowResourcesSimulation;
                    if (i + 1 < words.Length && !words[i + 1].StartsWith('/'))
                    {
                        if (!int.TryParse(words[++i], NumberStyles.Integer, CultureInfo.InvariantCulture, out probability) || probability is < 1 or > 10000)
                        {
                            throw new FormatException($"verifier: /faults needs a probability from 1 to 10000 (in 1/10000), in \"{text}\".");
                        }

                        // PoolTags and Applications: only "all" ("" or *) is modelled; DelayMins follows them.
                        for (var field = 0; field < 3 && i + 1 < words.Length && !words[i + 1].StartsWith('/'); field++)
                        {
                            var word = words[++i];
                            if (field < 2 && word is not ("\"\"" or "*"))
                            {
                                throw new FormatException($"verifier: /faults PoolTags and Applications can only be \"\" or * (all), in \"{text}\".");
                            }

                            if (field == 2)
                            {
                                if (!int.TryParse(word, NumberStyles.Integer, CultureInfo.InvariantCulture, out var minutes) || minutes < 0)
                                {
                                    throw new FormatException($"verifier: /faults DelayMins must be a number of minutes, in \"{text}\".");
                                }

                                delay = TimeSpan.FromMinutes(minutes);
                            }
                        }
                    }

                    break;
                case "/DRIVER":
                    while (i + 1 < words.Length && !words[i + 1].StartsWith('/'))
                    {
                        drivers.Add(words[++i]);
                    }

                    if (drivers.Count == 0)
                    {
                        throw new FormatException($"verifier: /driver needs at least one image name, in \"{text}\".");
                    }

                    break;
                default:
                    throw new FormatException($"verifier: unknown option '{words[i]}' in \"{text}\" (known: /standard, /flags N, /faults [P TAGS APPS MINS], /driver NAME..., /all).");
            }
        }

        return new VerifierSettings { Flags = flags, Drivers = drivers, AllDrivers = all, FaultProbability = probability, FaultDelay = delay };
    }

    private static bool TryParseFlags(string word, out uint flags) =>
        word.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? uint.TryParse(word.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out flags)
            : uint.TryParse(word, NumberStyles.Integer, CultureInfo.InvariantCulture, out flags);
}
