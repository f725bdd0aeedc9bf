using SharpNT.Kernel.Ke;

namespace SharpNT.Kernel;

/// <summary>
/// What a machine is made of: processors, physical memory, pagefile, scheduling mode and seed. Loaded from
/// a TOML file a person can read and edit (MachineDescriptionFile), or built in code.
/// </summary>
public sealed record MachineDescription
{
    /// <summary>The built-in default machine: 2 processors, 64 MiB of memory, a 64 MiB pagefile, deterministic, seed 1.</summary>
    public static MachineDescription Default { get; } = new();

    public string Name { get; init; } = "default";

    public int Processors { get; init; } = 2;

    /// <summary>Physical memory in MiB.</summary>
    public int MemoryMiB { get; init; } = 64;

    /// <summary>Pagefile size in MiB; paged pool beyond physical memory lives here.</summary>
    public int PagefileMiB { get; init; } = 64;

    public SchedulingMode Scheduling { get; init; } = SchedulingMode.Deterministic;

    public ulong Seed { get; init; } = 1;

    /// <summary>A registry file (.reg format) loaded into the machine's registry at boot; null for none.</summary>
    public string? RegistryFile { get; init; }

    /// <summary>
    /// Devices plugged into the toaster bus at boot, by hardware ID or bare name ("MsToaster"), in order (serial numbers
    /// 1, 2, ...); empty for none.
    /// </summary>
    public DeviceIdList PluggedDevices { get; init; } = DeviceIdList.Empty;

    /// <summary>
    /// Driver Verifier settings as `verifier` takes them ("/flags 0x3B /driver NAME.sys"): used when the run's
    /// options name none (--verifier on the command line wins).
    /// </summary>
    public string? Verifier { get; init; }

    /// <summary>
    /// Raw disk images on the host, one NVMe controller each (PCI slots 0, 1, ...); the storage drivers
    /// expose them as \Device\Harddisk0, \Device\Harddisk1, ... Relative paths are as given.
    /// </summary>
    public IReadOnlyList<string> Disks
    {
        get => _disks;
        init => _disks = new ValueList<string>(value);
    }

    private readonly ValueList<string> _disks = ValueList<string>.Empty;

    /// <summary>Checks the description; returns the first problem or null.</summary>
    public string? Validate()
    {
        if (Processors is < 1 or > 64)
        {
            return $"processors must be between 1 and 64, not {Processors}";
        }

        if (MemoryMiB is < 4 or > 4096)
        {
            return $"memory_mib must be between 4 and 4096, not {MemoryMiB}";
        }

        if (PagefileMiB is < 0 or > 16384)
        {
            return $"pagefile_mib must be between 0 and 16384, not {PagefileMiB}";
        }

        if (Verifier is { } verifier)
        {
            try
            {
                Vf.VerifierSettings.Parse(verifier);
            }
            catch (FormatException e)
            {
                return e.Message;
            }
        }

        if (Disks.Count > 16)
        {
            return $"disks names at most 16 images, not {Disks.Count}";
        }

        return null;
    }
}
