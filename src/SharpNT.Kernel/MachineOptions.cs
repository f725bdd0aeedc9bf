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
    /// Boot-start drivers, loaded in order once the machine's hardware is up (the loader's boot driver list),
    /// before the PnP manager enumerates: a legacy driver finds its hardware itself in DriverEntry; a WDM driver
    /// loaded here waits for the PnP manager to call its AddDevice (its package must be in <see cref="DriverPackages"/>).
    /// </summary>
    public IReadOnlyList<Io.DriverImage> BootDrivers { get; init; } = [];

    /// <summary>
    /// The driver store: packages (service, image, the hardware IDs they install on) the PnP manager knows from boot.
    /// With any given, boot ends with the root enumeration, which builds and starts every stack it can (the PCI bus,
    /// its controllers, their disks).
    /// </summary>
    public IReadOnlyList<Pnp.PnpDriverRegistration> DriverPackages { get; init; } = [];
}
