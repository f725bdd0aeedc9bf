using SharpNT.Kernel;
using SharpNT.Kernel.Io;
using SharpNT.Kernel.Ke;
using static SharpNT.Drivers.Storage.StorageIoctl;
using static SharpNT.Kernel.Ddi.Wdm;
using static SharpNT.Kernel.Io.DO_FLAGS;
using static SharpNT.Kernel.Io.FILE_DEVICE;
using static SharpNT.Kernel.Io.IRP_MJ;
using static SharpNT.Kernel.Io.IRP_MN;
using static SharpNT.Kernel.NTSTATUS;

namespace SharpNT.Drivers.Storage.Disk;

/// <summary>
/// disk.sys: the disk class driver, a WDM function driver for the disk PDOs a storage port reports (hardware ID
/// GenDisk). AddDevice makes disk N: the directory \Device\HarddiskN and the whole-disk FDO \Device\HarddiskN\DRN
/// attached over the PDO. IRP_MN_START_DEVICE (once the port has started the PDO) reads the capacity and the partition
/// table (MBR or GPT), links \Device\HarddiskN\Partition0 and \??\PhysicalDriveN, and for each partition creates
/// a volume device \Device\HarddiskVolumeV (numbered across disks from 1) linked from \Device\HarddiskN\PartitionK.
/// Every one is a FILE_DEVICE_DISK device with a VPB (the I/O manager mounts file systems on them) serving
/// sector-aligned direct I/O, flush, and the disk IOCTLs, which go down to the PDO.
/// </summary>
public sealed partial class DiskClassDriver : DriverImage
{
    private const int SectorSize = 512;
    private static readonly uint s_tag = PoolTag("Disk");

    /// <summary>The next disk number and \Device\HarddiskVolumeN number (per loaded driver, so per machine).</summary>
    private uint _nextDisk;
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
        DriverObject.MajorFunction[IRP_MJ_PNP] = DiskDispatchPnp;
        DriverObject.DriverExtension.AddDevice = DiskAddDevice;
        return STATUS_SUCCESS;
    }

    /// <summary>AddDevice: disk N's directory and its whole-disk FDO over the PDO; the disk is read when it starts.</summary>
    private NTSTATUS DiskAddDevice(DRIVER_OBJECT DriverObject, DEVICE_OBJECT PhysicalDeviceObject)
    {
        var diskNumber = _nextDisk;
        var directory = $@"\Device\Harddisk{diskNumber}";
        InitializeObjectAttributes(out var attributes, new UNICODE_STRING(directory), OBJ_PERMANENT | OBJ_CASE_INSENSITIVE | OBJ_KERNEL_HANDLE,
            HANDLE.NULL, null);
        var status = ZwCreateDirectoryObject(out var handle, DIRECTORY_ALL_ACCESS, attributes);
        if (!status.IsSuccess())
        {
            return status;
        }

        ZwClose(handle);
        var whole = new DiskExtension { Port = PhysicalDeviceObject, DiskNumber = diskNumber, PartitionOffset = 0, Started = false };
        status = IoCreateDevice(DriverObject, whole, new UNICODE_STRING($@"{directory}\DR{diskNumber}"), FILE_DEVICE_DISK, 0, false, out var device);
        if (!status.IsSuccess())
        {
            return status;
        }

        _nextDisk++;
        whole.Self = device;
        whole.Port = IoAttachDeviceToDeviceStack(device, PhysicalDeviceObject);
        if (whole.Port.IsNull)
        {
            IoDeleteDevice(device);
            return STATUS_NO_SUCH_DEVICE;
        }

        device.AlignmentRequirement = whole.Port.AlignmentRequirement;
        device.Flags |= DO_DIRECT_IO;
        device.Flags &= ~DO_DEVICE_INITIALIZING;
        return STATUS_SUCCESS;
    }

    private NTSTATUS DiskDispatchPnp(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        var disk = IoGetDeviceExtension<DiskExtension>(DeviceObject);
        var stack = IoGetCurrentIrpStackLocation(Irp);
        if (disk.Partition is not null)
        {
            // A volume device is in no PnP stack of its own here: nothing to do.
            return CompleteWith(Irp, Irp.IoStatus.Status, Irp.IoStatus.Information);
        }

        switch (stack.MinorFunction)
        {
            case IRP_MN_START_DEVICE:
                var status = PnpIrp.SendIrpSynchronously(disk.Port, Irp);
                if (status.IsSuccess() && !disk.Started)
                {
                    status = StartDisk(DeviceObject.DriverObject, disk);
                    if (!status.IsSuccess())
                    {
                        DbgPrint($"disk: disk {disk.DiskNumber} did not start: {status}");
                    }
                }

                return CompleteWith(Irp, status);

            case IRP_MN_REMOVE_DEVICE:
                disk.Started = false;
                RemoveVolumes(disk);
                Irp.IoStatus.Status = STATUS_SUCCESS;
                IoSkipCurrentIrpStackLocation(Irp);
                var removed = IoCallDriver(disk.Port, Irp);
                IoDetachDevice(disk.Port);
                IoDeleteDevice(disk.Self);
                return removed;

            case IRP_MN_SURPRISE_REMOVAL:
                disk.Started = false;
                Irp.IoStatus.Status = STATUS_SUCCESS;
                IoSkipCurrentIrpStackLocation(Irp);
                return IoCallDriver(disk.Port, Irp);

            case IRP_MN_QUERY_REMOVE_DEVICE:
            case IRP_MN_CANCEL_REMOVE_DEVICE:
                Irp.IoStatus.Status = STATUS_SUCCESS;
                IoSkipCurrentIrpStackLocation(Irp);
                return IoCallDriver(disk.Port, Irp);

            default:
                IoSkipCurrentIrpStackLocation(Irp);
                return IoCallDriver(disk.Port, Irp);
        }
    }

    /// <summary>The disk's volume devices and links go with it (links first, so no new open finds a device going away).</summary>
    private static void RemoveVolumes(DiskExtension whole)
    {
        foreach (var link in whole.Links)
        {
            IoDeleteSymbolicLink(new UNICODE_STRING(link));
        }

        whole.Links.Clear();
        foreach (var volume in whole.Volumes)
        {
            IoDeleteDevice(volume);
        }

        whole.Volumes.Clear();
    }

    /// <summary>The started disk: its capacity, its partition table, the links to it and a volume device for each partition.</summary>
    private NTSTATUS StartDisk(DRIVER_OBJECT DriverObject, DiskExtension whole)
    {
        var port = whole.Port;
        var status = ReadCapacity(port, out var blockSize, out var diskLength);
        if (!status.IsSuccess())
        {
            return status;
        }

        if (blockSize != SectorSize)
        {
            return STATUS_NOT_SUPPORTED;
        }

        var diskNumber = whole.DiskNumber;
        var directory = $@"\Device\Harddisk{diskNumber}";
        var table = PartitionTable.Read((lba, count) => ReadSectors(port, lba, count), diskLength / SectorSize);
        whole.PartitionLength = diskLength;
        whole.DiskLength = diskLength;
        whole.BytesPerSector = blockSize;
        whole.PartitionStyle = table.Style;
        whole.Table = table;
        var self = whole.Self;
        self.SectorSize = (ushort)blockSize;
        var wholeName = $@"{directory}\DR{diskNumber}";
        Link(whole, $@"{directory}\Partition0", wholeName);
        Link(whole, $@"\??\PhysicalDrive{diskNumber}", wholeName);
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
            status = CreateDiskDevice(DriverObject, extension, volumeName, out var volume);
            if (!status.IsSuccess())
            {
                RemoveVolumes(whole);
                return status;
            }

            whole.Volumes.Add(volume);
            _nextVolume++;
            Link(whole, $@"{directory}\Partition{partition.Number}", volumeName);
        }

        whole.Started = true;
        return STATUS_SUCCESS;
    }

    private static void Link(DiskExtension whole, string link, string target)
    {
        if (IoCreateSymbolicLink(new UNICODE_STRING(link), new UNICODE_STRING(target)).IsSuccess())
        {
            whole.Links.Add(link);
        }
    }

    private static NTSTATUS CreateDiskDevice(DRIVER_OBJECT DriverObject, DiskExtension extension, string name, out DEVICE_OBJECT device)
    {
        var status = IoCreateDevice(DriverObject, extension, new UNICODE_STRING(name), FILE_DEVICE_DISK, 0, false, out device);
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
        if (!disk.Started)
        {
            return CompleteWith(Irp, STATUS_DEVICE_NOT_READY);
        }

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
