using SharpNT.Kernel.Io;

namespace SharpNT.Drivers.Storage.Nvme;

/// <summary>
/// The extension of a disk PDO the port driver reports in BusRelations: one NVMe namespace of an adapter. The disk
/// class driver's FDO attaches over it; reads, writes, flushes and the storage IOCTLs it receives go to the namespace.
/// </summary>
internal sealed class NvmeDiskPdo
{
    internal required NvmeAdapter Adapter { get; init; }

    /// <summary>The namespace ID (NSID), from 1.</summary>
    internal required uint NamespaceId { get; init; }

    internal DEVICE_OBJECT Self { get; set; }
}
