using System.Diagnostics;
using SharpNT.Kernel.Cm;
using SharpNT.Kernel.Ex;
using SharpNT.Kernel.Io;
using SharpNT.Kernel.Ke;
using SharpNT.Kernel.Mm;
using SharpNT.Kernel.Ob;

namespace SharpNT.Kernel;

/// <summary>Host-side settings of one machine run (not part of the machine description).</summary>
public sealed record MachineOptions
{
    /// <summary>Where DbgPrint output and the blue screen go; null discards them.</summary>
    public TextWriter? Console { get; init; }

    /// <summary>Where to write the crash dump on a bug check; null writes none.</summary>
    public string? DumpPath { get; init; }

    /// <summary>Record the machine's event trace (see <see cref="Machine.EventTrace"/>).</summary>
    public bool RecordEvents { get; init; }

    /// <summary>Driver Verifier settings (`verifier /flags ... /driver ...`); none by default.</summary>
    public Vf.VerifierSettings Verifier { get; init; } = Vf.VerifierSettings.None;

    /// <summary>
    /// Boot-start drivers, loaded in order once the machine's hardware is up (the loader's boot driver
    /// list: until the PnP manager exists, a storage port driver finds and starts its controllers itself).
    /// </summary>
    public IReadOnlyList<Io.DriverImage> BootDrivers { get; init; } = [];
}
