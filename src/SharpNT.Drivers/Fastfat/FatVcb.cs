using SharpNT.Kernel.Io;
using SharpNT.Kernel.Ke;

namespace SharpNT.Drivers.Fastfat;

/// <summary>
/// The volume control block: the device extension of a FAT volume device object. It holds the mounted
/// engine volume, the storage device below, the VPB, and the FCB and CCB blocks of the opens.
/// </summary>
internal sealed class FatVcb
{
    public required FatVolume Volume { get; init; }

    public required FatIrpBlockDevice Device { get; init; }

    public required VPB Vpb { get; init; }

    /// <summary>The volume device object this VCB extends.</summary>
    public DEVICE_OBJECT VolumeDevice { get; set; }

    /// <summary>
    /// Serialises requests on the volume (fastfat's VCB resource): the engine is single-threaded, and
    /// a request may wait for the storage device while holding it, so it is a dispatcher mutex.
    /// </summary>
    public KMUTEX Resource { get; } = new();

    public Dictionary<FatFcb, FatFcbBlock> Fcbs { get; } = [];

    public Dictionary<ulong, FatCcb> Ccbs { get; } = [];

    /// <summary>The block standing for the volume itself in volume opens' FsContext.</summary>
    public ulong VolumeFcbAddress { get; set; }

    public bool Dismounted { get; set; }
}
