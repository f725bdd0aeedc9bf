using SharpNT.Kernel.Io;

namespace SharpNT.Drivers.Storage.Disk;

/// <summary>The disk class driver's device extension: a whole disk (DRn, Partition0) or one partition's volume device.</summary>
internal sealed class DiskExtension
{
    /// <summary>Where requests go on: the disk PDO the whole disk's FDO is attached over (for a volume too).</summary>
    internal required DEVICE_OBJECT Port { get; set; }

    internal required uint DiskNumber { get; init; }

    /// <summary>Where the device's byte 0 lies on the disk, and how many bytes it spans.</summary>
    internal required long PartitionOffset { get; init; }

    internal long PartitionLength { get; set; }

    internal long DiskLength { get; set; }

    internal uint BytesPerSector { get; set; } = 512;

    /// <summary>PARTITION_STYLE_* of the disk.</summary>
    internal int PartitionStyle { get; set; } = StorageIoctl.PARTITION_STYLE_RAW;

    /// <summary>The disk's partition table (style, MBR signature and checksum, GPT disk ID); none read until the disk starts.</summary>
    internal PartitionTable Table { get; set; } = PartitionTable.Raw;

    /// <summary>False for a whole disk between AddDevice and a successful IRP_MN_START_DEVICE: requests are not taken.</summary>
    internal bool Started { get; set; } = true;

    /// <summary>The whole disk: its FDO, and the volume devices and links it made at start (gone with the disk).</summary>
    internal DEVICE_OBJECT Self { get; set; }

    internal List<DEVICE_OBJECT> Volumes { get; } = [];

    internal List<string> Links { get; } = [];

    /// <summary>The partition this device is; null for the whole disk.</summary>
    internal DiskPartition? Partition { get; init; }
}
