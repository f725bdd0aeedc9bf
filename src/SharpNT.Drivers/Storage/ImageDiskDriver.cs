using System.Buffers;
using SharpNT.Kernel;
using SharpNT.Kernel.Io;
using SharpNT.Kernel.Io.Layout;
using static SharpNT.Kernel.Ddi.Wdm;
using static SharpNT.Kernel.Io.DO_FLAGS;
using static SharpNT.Drivers.Storage.DiskIoctl;
using static SharpNT.Kernel.Io.IRP_MJ;
using static SharpNT.Kernel.NTSTATUS;

namespace SharpNT.Drivers.Storage;

/// <summary>
/// The simple volume used until the real storage stack (HAL, controller, port and disk class drivers)
/// arrives: each host image file becomes <c>\Device\HarddiskVolumeN</c>, a FILE_DEVICE_DISK device with a
/// VPB (IoCreateDevice gives it one) serving what the disk class driver's volumes serve: sector-aligned
/// IRP_MJ_READ / IRP_MJ_WRITE with DO_DIRECT_IO, IRP_MJ_FLUSH_BUFFERS, IOCTL_DISK_GET_LENGTH_INFO,
/// IOCTL_DISK_GET_DRIVE_GEOMETRY and IOCTL_DISK_IS_WRITABLE. A file system above cannot tell it from the real one.
/// </summary>
public sealed class ImageDiskDriver(IReadOnlyList<ImageDiskOptions> images, int firstVolumeNumber = 1) : DriverImage
{
    internal const int BytesPerSector = 512;

    /// <summary>The largest piece copied between the image and the request's buffer at once.</summary>
    private const int ChunkBytes = 1024 * 1024;

    /// <summary>MEDIA_TYPE FixedMedia (ntdddisk.h).</summary>
    private const int FixedMedia = 12;

    public override string ImageName => "imagedisk.sys";

    /// <summary>The device names made, in the order of the images: <c>\Device\HarddiskVolume1</c>, ...</summary>
    public IReadOnlyList<string> VolumeNames { get; } =
        [.. Enumerable.Range(firstVolumeNumber, images.Count).Select(n => $@"\Device\HarddiskVolume{n}")];

    public override NTSTATUS DriverEntry(DRIVER_OBJECT DriverObject, UNICODE_STRING RegistryPath)
    {
        DriverObject.MajorFunction[IRP_MJ_CREATE] = ImageDiskCreateClose;
        DriverObject.MajorFunction[IRP_MJ_CLOSE] = ImageDiskCreateClose;
        DriverObject.MajorFunction[IRP_MJ_CLEANUP] = ImageDiskCreateClose;
        DriverObject.MajorFunction[IRP_MJ_READ] = ImageDiskReadWrite;
        DriverObject.MajorFunction[IRP_MJ_WRITE] = ImageDiskReadWrite;
        DriverObject.MajorFunction[IRP_MJ_FLUSH_BUFFERS] = ImageDiskFlush;
        DriverObject.MajorFunction[IRP_MJ_DEVICE_CONTROL] = ImageDiskDeviceControl;
        DriverObject.DriverUnload = ImageDiskUnload;

        for (var i = 0; i < images.Count; i++)
        {
            var status = OpenImage(images[i], out var extension);
            if (status.IsSuccess())
            {
                status = IoCreateDevice(DriverObject, extension!, new UNICODE_STRING(VolumeNames[i]), FILE_DEVICE.FILE_DEVICE_DISK, 0, false,
                    out var device);
                if (status.IsSuccess())
                {
                    device.Flags |= DO_DIRECT_IO;
                    device.SectorSize = BytesPerSector;
                    device.Flags &= ~DO_DEVICE_INITIALIZING;
                    continue;
                }

                extension!.Image.Dispose();
            }

            ImageDiskUnload(DriverObject);
            return status;
        }

        return STATUS_SUCCESS;
    }

    private static NTSTATUS OpenImage(ImageDiskOptions options, out ImageDiskExtension? extension)
    {
        extension = null;
        try
        {
            var handle = File.OpenHandle(options.Path, FileMode.Open, options.ReadOnly ? FileAccess.Read : FileAccess.ReadWrite,
                FileShare.ReadWrite);
            extension = new ImageDiskExtension
            {
                Image = handle,
                Path = options.Path,
                SectorCount = RandomAccess.GetLength(handle) / BytesPerSector,
                ReadOnly = options.ReadOnly,
            };
            return STATUS_SUCCESS;
        }
        catch (FileNotFoundException)
        {
            return STATUS_OBJECT_NAME_NOT_FOUND;
        }
        catch (DirectoryNotFoundException)
        {
            return STATUS_OBJECT_PATH_NOT_FOUND;
        }
        catch (UnauthorizedAccessException)
        {
            return STATUS_ACCESS_DENIED;
        }
        catch (IOException)
        {
            return STATUS_IO_DEVICE_ERROR;
        }
    }

    private static void ImageDiskUnload(DRIVER_OBJECT DriverObject)
    {
        while (!DriverObject.DeviceObject.IsNull)
        {
            var device = DriverObject.DeviceObject;
            IoGetDeviceExtension<ImageDiskExtension>(device).Image.Dispose();
            IoDeleteDevice(device);
        }
    }

    private static NTSTATUS Complete(IRP Irp, NTSTATUS status, ulong information)
    {
        Irp.IoStatus.Status = status;
        Irp.IoStatus.Information = information;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return status;
    }

    private static NTSTATUS ImageDiskCreateClose(DEVICE_OBJECT DeviceObject, IRP Irp) => Complete(Irp, STATUS_SUCCESS, 0);

    /// <summary>
    /// IRP_MJ_READ / IRP_MJ_WRITE: whole sectors inside the volume, through the request's MDL (DO_DIRECT_IO),
    /// in pieces of up to a mebibyte, so a large transfer costs a few host calls, not one per sector.
    /// </summary>
    private static NTSTATUS ImageDiskReadWrite(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        var disk = IoGetDeviceExtension<ImageDiskExtension>(DeviceObject);
        var irpSp = IoGetCurrentIrpStackLocation(Irp);
        var write = irpSp.MajorFunction == IRP_MJ_WRITE;
        var length = irpSp.Parameters.Read.Length;
        var offset = irpSp.Parameters.Read.ByteOffset;
        if (offset < 0 || offset % BytesPerSector != 0 || length % BytesPerSector != 0 || offset + length > disk.Length)
        {
            return Complete(Irp, STATUS_INVALID_PARAMETER, 0);
        }

        if (write && disk.ReadOnly)
        {
            return Complete(Irp, STATUS_MEDIA_WRITE_PROTECTED, 0);
        }

        if (length == 0)
        {
            return Complete(Irp, STATUS_SUCCESS, 0);
        }

        var buffer = Irp.MdlAddress == 0 ? Irp.UserBuffer : MmGetSystemAddressForMdlSafe(Irp.MdlAddress, NormalPagePriority);
        if (buffer == 0)
        {
            return Complete(Irp, STATUS_INSUFFICIENT_RESOURCES, 0);
        }

        var chunk = ArrayPool<byte>.Shared.Rent((int)Math.Min(length, ChunkBytes));
        try
        {
            for (uint done = 0; done < length;)
            {
                var piece = (int)Math.Min(length - done, (uint)chunk.Length);
                var span = chunk.AsSpan(0, piece);
                if (write)
                {
                    CopyToHost(buffer + done, span);
                    RandomAccess.Write(disk.Image, span, offset + done);
                }
                else
                {
                    var read = RandomAccess.Read(disk.Image, span, offset + done);
                    span[read..].Clear();
                    CopyFromHost(buffer + done, span);
                }

                done += (uint)piece;
            }
        }
        catch (IOException)
        {
            return Complete(Irp, STATUS_IO_DEVICE_ERROR, 0);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        return Complete(Irp, STATUS_SUCCESS, length);
    }

    /// <summary>IRP_MJ_FLUSH_BUFFERS: written sectors reach the host file's storage.</summary>
    private static NTSTATUS ImageDiskFlush(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        var disk = IoGetDeviceExtension<ImageDiskExtension>(DeviceObject);
        if (!disk.ReadOnly)
        {
            try
            {
                RandomAccess.FlushToDisk(disk.Image);
            }
            catch (IOException)
            {
                return Complete(Irp, STATUS_IO_DEVICE_ERROR, 0);
            }
        }

        return Complete(Irp, STATUS_SUCCESS, 0);
    }

    private static NTSTATUS ImageDiskDeviceControl(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        var disk = IoGetDeviceExtension<ImageDiskExtension>(DeviceObject);
        var irpSp = IoGetCurrentIrpStackLocation(Irp);
        var code = irpSp.Parameters.DeviceIoControl.IoControlCode;
        var outLength = irpSp.Parameters.DeviceIoControl.OutputBufferLength;
        var output = Irp.AssociatedIrp.SystemBuffer;
        if (code == IOCTL_DISK_GET_LENGTH_INFO)
        {
            if (outLength < GetLengthInformationLayout.Size)
            {
                return Complete(Irp, STATUS_BUFFER_TOO_SMALL, 0);
            }

            WriteMemory(output + GetLengthInformationLayout.Length, disk.Length);
            return Complete(Irp, STATUS_SUCCESS, GetLengthInformationLayout.Size);
        }

        if (code == IOCTL_DISK_GET_DRIVE_GEOMETRY)
        {
            if (outLength < DiskGeometryLayout.Size)
            {
                return Complete(Irp, STATUS_BUFFER_TOO_SMALL, 0);
            }

            // The conventional translation of a fixed disk: 255 heads, 63 sectors a track.
            const int tracksPerCylinder = 255;
            const int sectorsPerTrack = 63;
            WriteMemory(output + DiskGeometryLayout.Cylinders, disk.SectorCount / (tracksPerCylinder * sectorsPerTrack));
            WriteMemory(output + DiskGeometryLayout.MediaType, FixedMedia);
            WriteMemory(output + DiskGeometryLayout.TracksPerCylinder, tracksPerCylinder);
            WriteMemory(output + DiskGeometryLayout.SectorsPerTrack, sectorsPerTrack);
            WriteMemory(output + DiskGeometryLayout.BytesPerSector, BytesPerSector);
            return Complete(Irp, STATUS_SUCCESS, DiskGeometryLayout.Size);
        }

        if (code == IOCTL_DISK_IS_WRITABLE)
        {
            return Complete(Irp, disk.ReadOnly ? STATUS_MEDIA_WRITE_PROTECTED : STATUS_SUCCESS, 0);
        }

        return Complete(Irp, STATUS_INVALID_DEVICE_REQUEST, 0);
    }
}
