using SharpNT.Drivers.Storage.Nvme;
using SharpNT.Kernel;
using SharpNT.Kernel.Io;
using SharpNT.Kernel.Ke;
using static SharpNT.Drivers.Storage.StorageIoctl;
using static SharpNT.Kernel.Ddi.Wdm;
using static SharpNT.Kernel.Io.DO_FLAGS;
using static SharpNT.Kernel.Io.FILE_DEVICE;
using static SharpNT.Kernel.Io.IRP_MJ;
using static SharpNT.Kernel.NTSTATUS;

namespace SharpNT.Drivers.Storage.Disk;

/// <summary>
/// disk.sys: the disk class driver. For each storage port device (\Device\RaidPort0, 1, ...) it creates disk
/// N: the directory \Device\HarddiskN, the whole-disk device \Device\HarddiskN\DRN with the links
/// \Device\HarddiskN\Partition0 and \??\PhysicalDriveN, reads the partition table (MBR or GPT), and for each
/// partition creates a volume device \Device\HarddiskVolumeV (numbered across disks from 1) linked from
/// \Device\HarddiskN\PartitionK. Every one is a FILE_DEVICE_DISK device with a VPB (the I/O manager mounts
/// file systems on them) serving sector-aligned direct I/O, flush, and the disk IOCTLs.
/// </summary>
public sealed partial class DiskClassDriver : DriverImage
{
    private const int SectorSize = 512;
    private static readonly uint s_tag = PoolTag("Disk");

    /// <summary>The next \Device\HarddiskVolumeN number (per loaded driver, so per machine).</summary>
    private uint _nextVolume = 1;

    public override string ImageName => "disk.sys";

    public override NTSTATUS DriverEntry(DRIVER_OBJECT DriverObject, UNICODE_STRING RegistryPath)
    {
        DriverObject.MajorFunction[IRP_MJ_CREATE] = DiskCreateClose;
        DriverObject.MajorFunction[IRP_MJ_CLEANUP] = DiskCreateClose;
        DriverObject.MajorFunction[IRP_MJ_CLOSE] = DiskCreateClose;
        DriverObject.MajorFunction[IRP_MJ_READ] = DiskReadWrite;
        DriverObject.MajorFunction[IRP_MJ_WRITE] = DiskReadWrite;
        DriverObject.MajorFunction[IRP_MJ_FLUSH_BUFFERS] = DiskFlush;
        DriverObject.MajorFunction[IRP_MJ_DEVICE_CONTROL] = DiskDeviceControl;

        uint disks = 0;
        for (var port = 0; port < 16; port++)
        {
            var status = IoGetDeviceObjectPointer(new UNICODE_STRING(NvmePortDriver.PortDeviceNamePrefix + port), FILE_READ_DATA,
                out var file, out var portDevice);
            if (!status.IsSuccess())
            {
                break;
            }

            // The port device stays referenced through its file object for as long as the disk exists.
            status = CreateDisk(DriverObject, disks, portDevice);
            if (!status.IsSuccess())
            {
                ObDereferenceObject(file);
                DbgPrint($"disk: port {port} gave no disk: {status}");
                continue;
            }

            disks++;
        }

        return disks > 0 ? STATUS_SUCCESS : STATUS_NO_SUCH_DEVICE;
    }

    private NTSTATUS CreateDisk(DRIVER_OBJECT DriverObject, uint diskNumber, DEVICE_OBJECT port)
    {
        var status = ReadCapacity(port, out var blockSize, out var diskLength);
        if (!status.IsSuccess())
        {
            return status;
        }

        if (blockSize != SectorSize)
        {
            return STATUS_NOT_SUPPORTED;
        }

        var directory = $@"\Device\Harddisk{diskNumber}";
        InitializeObjectAttributes(out var attributes, new UNICODE_STRING(directory), OBJ_PERMANENT | OBJ_CASE_INSENSITIVE | OBJ_KERNEL_HANDLE,
            HANDLE.NULL, null);
        status = ZwCreateDirectoryObject(out var handle, DIRECTORY_ALL_ACCESS, attributes);
        if (!status.IsSuccess())
        {
            return status;
        }

        ZwClose(handle);
        var table = PartitionTable.Read((lba, count) => ReadSectors(port, lba, count), diskLength / SectorSize);
        var whole = new DiskExtension
        {
            Port = port,
            DiskNumber = diskNumber,
            PartitionOffset = 0,
            PartitionLength = diskLength,
            DiskLength = diskLength,
            BytesPerSector = blockSize,
            PartitionStyle = table.Style,
            Table = table,
        };
        var wholeName = $@"{directory}\DR{diskNumber}";
        status = CreateDiskDevice(DriverObject, whole, wholeName);
        if (!status.IsSuccess())
        {
            return status;
        }

        IoCreateSymbolicLink(new UNICODE_STRING($@"{directory}\Partition0"), new UNICODE_STRING(wholeName));
        IoCreateSymbolicLink(new UNICODE_STRING($@"\??\PhysicalDrive{diskNumber}"), new UNICODE_STRING(wholeName));
        foreach (var partition in table.Partitions)
        {
            var volumeName = $@"\Device\HarddiskVolume{_nextVolume}";
            var extension = new DiskExtension
            {
                Port = port,
                DiskNumber = diskNumber,
                PartitionOffset = partition.StartingOffset,
                PartitionLength = partition.Length,
                DiskLength = diskLength,
                BytesPerSector = blockSize,
                PartitionStyle = table.Style,
                Table = table,
                Partition = partition,
            };
            status = CreateDiskDevice(DriverObject, extension, volumeName);
            if (!status.IsSuccess())
            {
                return status;
            }

            _nextVolume++;
            IoCreateSymbolicLink(new UNICODE_STRING($@"{directory}\Partition{partition.Number}"), new UNICODE_STRING(volumeName));
        }

        return STATUS_SUCCESS;
    }

    private static NTSTATUS CreateDiskDevice(DRIVER_OBJECT DriverObject, DiskExtension extension, string name)
    {
        var status = IoCreateDevice(DriverObject, extension, new UNICODE_STRING(name), FILE_DEVICE_DISK, 0, false, out var device);
        if (!status.IsSuccess())
        {
            return status;
        }

        // Requests are passed down to the port in the same IRP: one more stack location than the port needs.
        device.StackSize = (sbyte)(extension.Port.StackSize + 1);
        device.AlignmentRequirement = extension.Port.AlignmentRequirement;
        device.SectorSize = (ushort)extension.BytesPerSector;
        device.Flags |= DO_DIRECT_IO;
        device.Flags &= ~DO_DEVICE_INITIALIZING;
        return STATUS_SUCCESS;
    }

    private static NTSTATUS ReadCapacity(DEVICE_OBJECT port, out uint blockSize, out long diskLength)
    {
        blockSize = 0;
        diskLength = 0;
        var buffer = ExAllocatePool2(POOL_FLAG_NON_PAGED, StorageReadCapacitySize, s_tag);
        var iosb = ExAllocatePool2(POOL_FLAG_NON_PAGED, 16, s_tag);
        try
        {
            var evt = new KEVENT();
            KeInitializeEvent(evt, NotificationEvent, false);
            var irp = IoBuildDeviceIoControlRequest(IOCTL_STORAGE_READ_CAPACITY, port, 0, 0, buffer, StorageReadCapacitySize, false, evt,
                new IO_STATUS_BLOCK(iosb));
            if (irp.IsNull)
            {
                return STATUS_INSUFFICIENT_RESOURCES;
            }

            var status = IoCallDriver(port, irp);
            if (status == STATUS_PENDING)
            {
                KeWaitForSingleObject(evt, Executive, KernelMode, false, null);
            }

            status = new IO_STATUS_BLOCK(iosb).Status;
            if (status.IsSuccess())
            {
                blockSize = ReadMemory<uint>(buffer + 8);
                diskLength = ReadMemory<long>(buffer + 24);
            }

            return status;
        }
        finally
        {
            ExFreePoolWithTag(buffer, s_tag);
            ExFreePoolWithTag(iosb, s_tag);
        }
    }

    /// <summary>Reads whole sectors from the port with a synchronous IRP (as IoReadPartitionTable does); null on failure.</summary>
    private static byte[]? ReadSectors(DEVICE_OBJECT port, long lba, int count)
    {
        var length = (uint)(count * SectorSize);
        var buffer = ExAllocatePool2(POOL_FLAG_NON_PAGED, length, s_tag);
        var iosb = ExAllocatePool2(POOL_FLAG_NON_PAGED, 16, s_tag);
        try
        {
            var evt = new KEVENT();
            KeInitializeEvent(evt, NotificationEvent, false);
            var irp = IoBuildSynchronousFsdRequest(IRP_MJ_READ, port, buffer, length, new LARGE_INTEGER(lba * SectorSize), evt,
                new IO_STATUS_BLOCK(iosb));
            if (irp.IsNull)
            {
                return null;
            }

            if (IoCallDriver(port, irp) == STATUS_PENDING)
            {
                KeWaitForSingleObject(evt, Executive, KernelMode, false, null);
            }

            if (!new IO_STATUS_BLOCK(iosb).Status.IsSuccess())
            {
                return null;
            }

            var bytes = new byte[length];
            CopyToHost(buffer, bytes);
            return bytes;
        }
        finally
        {
            ExFreePoolWithTag(buffer, s_tag);
            ExFreePoolWithTag(iosb, s_tag);
        }
    }

    private static NTSTATUS DiskCreateClose(DEVICE_OBJECT DeviceObject, IRP Irp) => CompleteWith(Irp, STATUS_SUCCESS);

    private static NTSTATUS CompleteWith(IRP Irp, NTSTATUS Status, ulong Information = 0)
    {
        Irp.IoStatus.Status = Status;
        Irp.IoStatus.Information = Information;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return Status;
    }

    /// <summary>
    /// IRP_MJ_READ / IRP_MJ_WRITE: sector-aligned offsets and lengths inside the partition
    /// (STATUS_INVALID_PARAMETER otherwise); the request goes down to the port in the same IRP, its offset moved
    /// by the partition's start.
    /// </summary>
    private static NTSTATUS DiskReadWrite(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        var disk = IoGetDeviceExtension<DiskExtension>(DeviceObject);
        var irpSp = IoGetCurrentIrpStackLocation(Irp);
        var offset = irpSp.Parameters.Read.ByteOffset;
        var length = irpSp.Parameters.Read.Length;
        if (offset < 0 || offset % disk.BytesPerSector != 0 || length % disk.BytesPerSector != 0 || offset + length > disk.PartitionLength)
        {
            return CompleteWith(Irp, STATUS_INVALID_PARAMETER);
        }

        IoCopyCurrentIrpStackLocationToNext(Irp);
        IoGetNextIrpStackLocation(Irp).Parameters.Read.ByteOffset = offset + disk.PartitionOffset;
        return IoCallDriver(disk.Port, Irp);
    }

    private static NTSTATUS DiskFlush(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        var disk = IoGetDeviceExtension<DiskExtension>(DeviceObject);
        IoSkipCurrentIrpStackLocation(Irp);
        return IoCallDriver(disk.Port, Irp);
    }
}
