using SharpNT.Kernel.Io;

namespace SharpNT.Drivers.Storage.Disk;

/// <summary>The disk class driver's device extension: a whole disk (DRn, Partition0) or one partition's volume device.</summary>
internal sealed class DiskExtension
{
    internal required DEVICE_OBJECT Port { get; init; }

    internal required uint DiskNumber { get; init; }

    /// <summary>Where the device's byte 0 lies on the disk, and how many bytes it spans.</summary>
    internal required long PartitionOffset { get; init; }

    internal required long PartitionLength { get; init; }

    internal required long DiskLength { get; init; }

    internal required uint BytesPerSector { get; init; }

    /// <summary>PARTITION_STYLE_* of the disk.</summary>
    internal required int PartitionStyle { get; init; }

    /// <summary>The disk's partition table (style, MBR signature and checksum, GPT disk ID).</summary>
    internal required PartitionTable Table { get; init; }

    /// <summary>The partition this device is; null for the whole disk.</summary>
    internal DiskPartition? Partition { get; init; }
}
