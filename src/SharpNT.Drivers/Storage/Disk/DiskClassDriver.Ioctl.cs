using System.Text;
using SharpNT.Kernel;
using SharpNT.Kernel.Io;
using static SharpNT.Drivers.Storage.StorageIoctl;
using static SharpNT.Kernel.Ddi.Wdm;
using static SharpNT.Kernel.NTSTATUS;

namespace SharpNT.Drivers.Storage.Disk;

public sealed partial class DiskClassDriver
{
    /// <summary>The geometry disk.sys reports for a fixed disk: 255 heads, 63 sectors per track.</summary>
    private const uint TracksPerCylinder = 255;
    private const uint SectorsPerTrack = 63;

    /// <summary>
    /// The disk IOCTLs (METHOD_BUFFERED): geometry, length, partition information; a buffer too small for
    /// the structure is STATUS_BUFFER_TOO_SMALL. IOCTL_STORAGE_QUERY_PROPERTY goes down to the port.
    /// </summary>
    private static NTSTATUS DiskDeviceControl(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        var disk = IoGetDeviceExtension<DiskExtension>(DeviceObject);
        if (!disk.Started)
        {
            return CompleteWith(Irp, STATUS_DEVICE_NOT_READY);
        }

        var irpSp = IoGetCurrentIrpStackLocation(Irp);
        var code = irpSp.Parameters.DeviceIoControl.IoControlCode;
        var outLength = irpSp.Parameters.DeviceIoControl.OutputBufferLength;
        var buffer = Irp.AssociatedIrp.SystemBuffer;

        if (code == IOCTL_STORAGE_QUERY_PROPERTY)
        {
            IoSkipCurrentIrpStackLocation(Irp);
            return IoCallDriver(disk.Port, Irp);
        }

        if (code == IOCTL_DISK_GET_DRIVE_GEOMETRY)
        {
            if (outLength < DiskGeometrySize)
            {
                return CompleteWith(Irp, STATUS_BUFFER_TOO_SMALL);
            }

            WriteGeometry(disk, buffer);
            return CompleteWith(Irp, STATUS_SUCCESS, DiskGeometrySize);
        }

        if (code == IOCTL_DISK_GET_DRIVE_GEOMETRY_EX)
        {
            if (outLength < DiskGeometryExHeaderSize)
            {
                return CompleteWith(Irp, STATUS_BUFFER_TOO_SMALL);
            }

            // disk.sys copies as much of the header, partition and detection information as fits.
            var full = new byte[DiskGeometryExFullSize];
            WriteGeometry(disk, buffer);
            CopyToHost(buffer, full.AsSpan(0, (int)DiskGeometrySize));
            BitConverter.TryWriteBytes(full.AsSpan(24), disk.DiskLength);
            BitConverter.TryWriteBytes(full.AsSpan(32), DiskPartitionInfoSize);
            BitConverter.TryWriteBytes(full.AsSpan(36), disk.Table.Style);
            if (disk.Table.Style == PARTITION_STYLE_GPT)
            {
                disk.Table.DiskId.TryWriteBytes(full.AsSpan(40));
            }
            else
            {
                BitConverter.TryWriteBytes(full.AsSpan(40), disk.Table.Signature);
                BitConverter.TryWriteBytes(full.AsSpan(44), disk.Table.CheckSum);
            }

            BitConverter.TryWriteBytes(full.AsSpan(56), DiskDetectionInfoSize); // DetectionType DetectNone (0)
            var count = Math.Min(outLength, DiskGeometryExFullSize);
            CopyFromHost(buffer, full.AsSpan(0, (int)count));
            return CompleteWith(Irp, STATUS_SUCCESS, count);
        }

        if (code == IOCTL_DISK_GET_LENGTH_INFO)
        {
            if (outLength < GetLengthInformationSize)
            {
                return CompleteWith(Irp, STATUS_BUFFER_TOO_SMALL);
            }

            WriteMemory(buffer, disk.PartitionLength);
            return CompleteWith(Irp, STATUS_SUCCESS, GetLengthInformationSize);
        }

        if (code == IOCTL_DISK_GET_PARTITION_INFO)
        {
            // The old structure describes MBR partitions only: a GPT disk refuses it.
            if (disk.PartitionStyle == PARTITION_STYLE_GPT)
            {
                return CompleteWith(Irp, STATUS_INVALID_DEVICE_REQUEST);
            }

            if (outLength < PartitionInformationSize)
            {
                return CompleteWith(Irp, STATUS_BUFFER_TOO_SMALL);
            }

            RtlZeroMemory(buffer, PartitionInformationSize);
            WriteMemory(buffer, disk.PartitionOffset);
            WriteMemory(buffer + 8, disk.PartitionLength);
            WriteMemory(buffer + 16, disk.Partition?.HiddenSectors ?? 0);
            WriteMemory(buffer + 20, disk.Partition?.Number ?? 0);
            WriteMemory(buffer + 24, disk.Partition?.MbrType ?? 0);
            WriteMemory(buffer + 25, (byte)(disk.Partition?.BootIndicator == true ? 1 : 0));
            WriteMemory(buffer + 26, (byte)(disk.Partition is { } p && IsRecognizedPartition(p.MbrType) ? 1 : 0));
            return CompleteWith(Irp, STATUS_SUCCESS, PartitionInformationSize);
        }

        if (code == IOCTL_DISK_GET_PARTITION_INFO_EX)
        {
            if (outLength < PartitionInformationExSize)
            {
                return CompleteWith(Irp, STATUS_BUFFER_TOO_SMALL);
            }

            WritePartitionInformationEx(disk, buffer);
            return CompleteWith(Irp, STATUS_SUCCESS, PartitionInformationExSize);
        }

        return CompleteWith(Irp, STATUS_INVALID_DEVICE_REQUEST);
    }

    private static void WriteGeometry(DiskExtension disk, ulong buffer)
    {
        var cylinders = disk.DiskLength / (TracksPerCylinder * SectorsPerTrack * disk.BytesPerSector);
        WriteMemory(buffer, cylinders);
        WriteMemory(buffer + 8, FixedMedia);
        WriteMemory(buffer + 12, TracksPerCylinder);
        WriteMemory(buffer + 16, SectorsPerTrack);
        WriteMemory(buffer + 20, disk.BytesPerSector);
    }

    private static void WritePartitionInformationEx(DiskExtension disk, ulong buffer)
    {
        RtlZeroMemory(buffer, PartitionInformationExSize);
        var style = disk.PartitionStyle == PARTITION_STYLE_RAW ? PARTITION_STYLE_RAW : disk.PartitionStyle;
        WriteMemory(buffer, style);
        WriteMemory(buffer + 8, disk.PartitionOffset);
        WriteMemory(buffer + 16, disk.PartitionLength);
        WriteMemory(buffer + 24, disk.Partition?.Number ?? 0);
        if (disk.Partition is not { } partition)
        {
            return;
        }

        if (style == PARTITION_STYLE_MBR)
        {
            WriteMemory(buffer + 32, partition.MbrType);
            WriteMemory(buffer + 33, (byte)(partition.BootIndicator ? 1 : 0));
            WriteMemory(buffer + 34, (byte)(IsRecognizedPartition(partition.MbrType) ? 1 : 0));
            WriteMemory(buffer + 36, partition.HiddenSectors);
        }
        else if (style == PARTITION_STYLE_GPT)
        {
            CopyFromHost(buffer + 32, partition.GptType.ToByteArray());
            CopyFromHost(buffer + 48, partition.GptId.ToByteArray());
            WriteMemory(buffer + 64, partition.GptAttributes);
            var name = Encoding.Unicode.GetBytes(partition.GptName);
            CopyFromHost(buffer + 72, name.AsSpan(0, Math.Min(name.Length, 72)));
        }
    }

    /// <summary>IsRecognizedPartition (ntdddisk.h): the partition types a Windows file system mounts.</summary>
    private static bool IsRecognizedPartition(byte type) => type is 0x01 or 0x04 or 0x06 or 0x07 or 0x0B or 0x0C or 0x0E;
}
