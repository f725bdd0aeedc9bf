using static SharpNT.Kernel.Io.FILE_DEVICE;
using static SharpNT.Kernel.Io.IoCtl;

namespace SharpNT.Drivers.Storage;

/// <summary>
/// The storage and disk I/O control codes (ntddstor.h, ntdddisk.h) and the x64 layouts of the structures they
/// carry, as offsets into the METHOD_BUFFERED system buffer.
/// </summary>
public static class StorageIoctl
{
    public const uint IOCTL_STORAGE_BASE = FILE_DEVICE_MASS_STORAGE;
    public const uint IOCTL_DISK_BASE = FILE_DEVICE_DISK;

    public static readonly uint IOCTL_DISK_GET_DRIVE_GEOMETRY = CTL_CODE(IOCTL_DISK_BASE, 0x0000, METHOD_BUFFERED, FILE_ANY_ACCESS);
    public static readonly uint IOCTL_DISK_GET_PARTITION_INFO = CTL_CODE(IOCTL_DISK_BASE, 0x0001, METHOD_BUFFERED, FILE_READ_ACCESS);
    public static readonly uint IOCTL_DISK_GET_PARTITION_INFO_EX = CTL_CODE(IOCTL_DISK_BASE, 0x0012, METHOD_BUFFERED, FILE_ANY_ACCESS);
    public static readonly uint IOCTL_DISK_GET_LENGTH_INFO = CTL_CODE(IOCTL_DISK_BASE, 0x0017, METHOD_BUFFERED, FILE_READ_ACCESS);
    public static readonly uint IOCTL_DISK_GET_DRIVE_GEOMETRY_EX = CTL_CODE(IOCTL_DISK_BASE, 0x0028, METHOD_BUFFERED, FILE_ANY_ACCESS);
    public static readonly uint IOCTL_STORAGE_QUERY_PROPERTY = CTL_CODE(IOCTL_STORAGE_BASE, 0x0500, METHOD_BUFFERED, FILE_ANY_ACCESS);
    public static readonly uint IOCTL_STORAGE_READ_CAPACITY = CTL_CODE(IOCTL_STORAGE_BASE, 0x0450, METHOD_BUFFERED, FILE_READ_ACCESS);

    // STORAGE_PROPERTY_ID / STORAGE_QUERY_TYPE.
    public const int StorageDeviceProperty = 0;
    public const int StorageAdapterProperty = 1;
    public const int PropertyStandardQuery = 0;
    public const int PropertyExistsQuery = 1;

    /// <summary>sizeof(STORAGE_PROPERTY_QUERY): PropertyId, QueryType, AdditionalParameters[1] (padded).</summary>
    public const uint StoragePropertyQuerySize = 12;

    /// <summary>STORAGE_DESCRIPTOR_HEADER: Version, Size.</summary>
    public const uint StorageDescriptorHeaderSize = 8;

    /// <summary>
    /// STORAGE_DEVICE_DESCRIPTOR: Version 0, Size 4, DeviceType 8, DeviceTypeModifier 9, RemovableMedia 10,
    /// CommandQueueing 11, VendorIdOffset 12, ProductIdOffset 16, ProductRevisionOffset 20, SerialNumberOffset 24,
    /// BusType 28, RawPropertiesLength 32, RawDeviceProperties 36; sizeof 40.
    /// </summary>
    public const uint StorageDeviceDescriptorSize = 40;

    /// <summary>
    /// STORAGE_ADAPTER_DESCRIPTOR: Version 0, Size 4, MaximumTransferLength 8, MaximumPhysicalPages 12,
    /// AlignmentMask 16, AdapterUsesPio 20, AdapterScansDown 21, CommandQueueing 22, AcceleratedTransfer 23,
    /// BusType 24, BusMajorVersion 26, BusMinorVersion 28, SrbType 30, AddressType 31; sizeof 32.
    /// </summary>
    public const uint StorageAdapterDescriptorSize = 32;

    /// <summary>STORAGE_BUS_TYPE BusTypeNvme.</summary>
    public const byte BusTypeNvme = 0x11;

    /// <summary>
    /// STORAGE_READ_CAPACITY: Version 0, Size 4, BlockLength 8, NumberOfBlocks 16, DiskLength 24; sizeof 32.
    /// </summary>
    public const uint StorageReadCapacitySize = 32;

    /// <summary>DISK_GEOMETRY: Cylinders 0, MediaType 8, TracksPerCylinder 12, SectorsPerTrack 16, BytesPerSector 20; sizeof 24.</summary>
    public const uint DiskGeometrySize = 24;

    /// <summary>DISK_GEOMETRY_EX up to Data: Geometry 0, DiskSize 24; FIELD_OFFSET(DISK_GEOMETRY_EX, Data) is 32.</summary>
    public const uint DiskGeometryExHeaderSize = 32;

    /// <summary>
    /// What IOCTL_DISK_GET_DRIVE_GEOMETRY_EX returns when the buffer has room: the header, then
    /// DISK_PARTITION_INFO at 32 (SizeOfPartitionInfo, PartitionStyle, then Mbr.Signature and Mbr.CheckSum or
    /// Gpt.DiskId; 24 bytes), then DISK_DETECTION_INFO at 56 (SizeOfDetectInfo, DetectionType, the INT 13
    /// union; 56 bytes): 112 bytes in all.
    /// </summary>
    public const uint DiskGeometryExFullSize = 112;
    public const uint DiskPartitionInfoSize = 24;
    public const uint DiskDetectionInfoSize = 56;

    /// <summary>MEDIA_TYPE FixedMedia.</summary>
    public const int FixedMedia = 12;

    /// <summary>GET_LENGTH_INFORMATION: Length (LARGE_INTEGER); sizeof 8.</summary>
    public const uint GetLengthInformationSize = 8;

    /// <summary>
    /// PARTITION_INFORMATION: StartingOffset 0, PartitionLength 8, HiddenSectors 16, PartitionNumber 20,
    /// PartitionType 24, BootIndicator 25, RecognizedPartition 26, RewritePartition 27; sizeof 32.
    /// </summary>
    public const uint PartitionInformationSize = 32;

    /// <summary>
    /// PARTITION_INFORMATION_EX: PartitionStyle 0, StartingOffset 8, PartitionLength 16, PartitionNumber 24,
    /// RewritePartition 28, IsServicePartition 29, then at 32 the union: Mbr (PartitionType 32, BootIndicator 33,
    /// RecognizedPartition 34, HiddenSectors 36, PartitionId 40) or Gpt (PartitionType 32, PartitionId 48,
    /// Attributes 64, Name[36] 72); sizeof 144.
    /// </summary>
    public const uint PartitionInformationExSize = 144;

    /// <summary>PARTITION_STYLE.</summary>
    public const int PARTITION_STYLE_MBR = 0;
    public const int PARTITION_STYLE_GPT = 1;
    public const int PARTITION_STYLE_RAW = 2;

    /// <summary>FILE_DEVICE_DISK's IO_DISK_INCREMENT priority boost.</summary>
    public const sbyte IO_DISK_INCREMENT = 1;
}
