using SharpNT.Kernel;
using SharpNT.Kernel.Io;
using SharpNT.Kernel.Io.Layout;
using SharpNT.Kernel.Ke;
using static SharpNT.Kernel.Ddi.Wdm;
using static SharpNT.Kernel.Io.IRP_MJ;
using static SharpNT.Kernel.NTSTATUS;

namespace SharpNT.Drivers.Fastfat;

/// <summary>
/// The volume below the FAT file system as fastfat reaches it: IRP_MJ_READ / IRP_MJ_WRITE /
/// IRP_MJ_FLUSH_BUFFERS built with IoBuildSynchronousFsdRequest and sent to the top of the storage stack
/// (the mount request's Parameters.MountVolume.DeviceObject); the size and sector size come from
/// IOCTL_DISK_GET_LENGTH_INFO and IOCTL_DISK_GET_DRIVE_GEOMETRY.
/// </summary>
internal sealed class FatIrpBlockDevice : IFatBlockDevice, IFatAddressTransfer, IDisposable
{
    /// <summary>Bytes of the nonpaged staging buffer: one transfer moves at most this much.</summary>
    private const int TransferBytes = 1024 * 1024;

    /// <summary>sizeof(IO_STATUS_BLOCK) on x64: a status and a ULONG_PTR.</summary>
    private const int IoStatusBlockSize = 16;

    private static readonly uint TagStaging = PoolTag("FatB");
    private static readonly uint TagIosb = PoolTag("FatI");

    private readonly DEVICE_OBJECT _target;
    private readonly ulong _staging;
    private readonly ulong _iosb;
    private readonly KEVENT _event = new();

    private FatIrpBlockDevice(DEVICE_OBJECT target, int sectorSize, long sectorCount, bool readOnly, ulong staging, ulong iosb)
    {
        _target = target;
        SectorSize = sectorSize;
        SectorCount = sectorCount;
        IsReadOnly = readOnly;
        _staging = staging;
        _iosb = iosb;
        KeInitializeEvent(_event, NotificationEvent, false);
    }

    public int SectorSize { get; }

    public long SectorCount { get; }

    public bool IsReadOnly { get; }

    public DEVICE_OBJECT Target => _target;

    /// <summary>Asks the storage device its geometry and length, as fastfat does before reading the boot sector.</summary>
    /// <returns>STATUS_SUCCESS; STATUS_UNRECOGNIZED_VOLUME when the device does not answer the disk IOCTLs; STATUS_INSUFFICIENT_RESOURCES.</returns>
    public static NTSTATUS Open(DEVICE_OBJECT target, out FatIrpBlockDevice? device)
    {
        device = null;
        var answer = ExAllocatePool2(POOL_FLAG_NON_PAGED, 64, TagIosb);
        if (answer == 0)
        {
            return STATUS_INSUFFICIENT_RESOURCES;
        }

        try
        {
            var status = Ioctl(target, Storage.DiskIoctl.IOCTL_DISK_GET_DRIVE_GEOMETRY, answer, DiskGeometryLayout.Size);
            if (!status.IsSuccess())
            {
                return STATUS_UNRECOGNIZED_VOLUME;
            }

            var sectorSize = ReadMemory<int>(answer + DiskGeometryLayout.BytesPerSector);
            status = Ioctl(target, Storage.DiskIoctl.IOCTL_DISK_GET_LENGTH_INFO, answer, GetLengthInformationLayout.Size);
            if (!status.IsSuccess() || sectorSize <= 0)
            {
                return STATUS_UNRECOGNIZED_VOLUME;
            }

            var length = ReadMemory<long>(answer + GetLengthInformationLayout.Length);
            var readOnly = Ioctl(target, Storage.DiskIoctl.IOCTL_DISK_IS_WRITABLE, 0, 0) == STATUS_MEDIA_WRITE_PROTECTED;
            var staging = ExAllocatePool2(POOL_FLAG_NON_PAGED, TransferBytes, TagStaging);
            var iosb = ExAllocatePool2(POOL_FLAG_NON_PAGED, IoStatusBlockSize, TagIosb);
            if (staging == 0 || iosb == 0)
            {
                if (staging != 0)
                {
                    ExFreePoolWithTag(staging, TagStaging);
                }

                if (iosb != 0)
                {
                    ExFreePoolWithTag(iosb, TagIosb);
                }

                return STATUS_INSUFFICIENT_RESOURCES;
            }

            device = new FatIrpBlockDevice(target, sectorSize, length / sectorSize, readOnly, staging, iosb);
            return STATUS_SUCCESS;
        }
        finally
        {
            ExFreePoolWithTag(answer, TagIosb);
        }
    }

    private static NTSTATUS Ioctl(DEVICE_OBJECT target, uint code, ulong output, uint outputLength)
    {
        var evt = new KEVENT();
        KeInitializeEvent(evt, NotificationEvent, false);
        var iosbAddress = ExAllocatePool2(POOL_FLAG_NON_PAGED, IoStatusBlockSize, TagIosb);
        if (iosbAddress == 0)
        {
            return STATUS_INSUFFICIENT_RESOURCES;
        }

        var iosb = new IO_STATUS_BLOCK(iosbAddress);
        var irp = IoBuildDeviceIoControlRequest(code, target, 0, 0, output, outputLength, false, evt, iosb);
        if (irp.IsNull)
        {
            ExFreePoolWithTag(iosbAddress, TagIosb);
            return STATUS_INSUFFICIENT_RESOURCES;
        }

        var status = IoCallDriver(target, irp);
        if (status == STATUS_PENDING)
        {
            KeWaitForSingleObject(evt, Executive, KernelMode, false, null);
            status = iosb.Status;
        }

        ExFreePoolWithTag(iosbAddress, TagIosb);
        return status;
    }

    public NTSTATUS ReadSectors(long firstSector, Span<byte> buffer)
    {
        for (var done = 0; done < buffer.Length;)
        {
            var piece = Math.Min(buffer.Length - done, TransferBytes);
            var status = Transfer(IRP_MJ_READ, (firstSector * SectorSize) + done, (uint)piece);
            if (!status.IsSuccess())
            {
                return status;
            }

            CopyToHost(_staging, buffer.Slice(done, piece));
            done += piece;
        }

        return STATUS_SUCCESS;
    }

    /// <summary>
    /// IRP_MJ_READ straight into the caller's memory: IoBuildSynchronousFsdRequest describes
    /// <paramref name="address"/> with an MDL (the storage stack is DO_DIRECT_IO), so the controller's DMA
    /// writes the requester's own pages and no staging copy is made.
    /// </summary>
    public NTSTATUS ReadSectorsTo(long firstSector, ulong address, int length)
    {
        for (var done = 0; done < length;)
        {
            var piece = Math.Min(length - done, TransferBytes);
            var status = Transfer(IRP_MJ_READ, (firstSector * SectorSize) + done, (uint)piece, address + (ulong)done);
            if (!status.IsSuccess())
            {
                return status;
            }

            done += piece;
        }

        return STATUS_SUCCESS;
    }

    public void CopyTo(ulong address, ReadOnlySpan<byte> data) => CopyFromHost(address, data);

    public NTSTATUS WriteSectors(long firstSector, ReadOnlySpan<byte> buffer)
    {
        if (IsReadOnly)
        {
            return STATUS_MEDIA_WRITE_PROTECTED;
        }

        for (var done = 0; done < buffer.Length;)
        {
            var piece = Math.Min(buffer.Length - done, TransferBytes);
            CopyFromHost(_staging, buffer.Slice(done, piece));
            var status = Transfer(IRP_MJ_WRITE, (firstSector * SectorSize) + done, (uint)piece);
            if (!status.IsSuccess())
            {
                return status;
            }

            done += piece;
        }

        return STATUS_SUCCESS;
    }

    public NTSTATUS Flush() => IsReadOnly ? STATUS_SUCCESS : Transfer(IRP_MJ_FLUSH_BUFFERS, 0, 0);

    /// <summary>One synchronous request to the storage device, through the staging buffer or at <paramref name="buffer"/>.</summary>
    private NTSTATUS Transfer(byte majorFunction, long offset, uint length, ulong buffer = 0)
    {
        KeClearEvent(_event);
        var iosb = new IO_STATUS_BLOCK(_iosb);
        var irp = IoBuildSynchronousFsdRequest(majorFunction, _target, length == 0 ? 0 : buffer != 0 ? buffer : _staging, length,
            majorFunction == IRP_MJ_FLUSH_BUFFERS ? null : new LARGE_INTEGER(offset), _event, iosb);
        if (irp.IsNull)
        {
            return STATUS_INSUFFICIENT_RESOURCES;
        }

        var status = IoCallDriver(_target, irp);
        if (status == STATUS_PENDING)
        {
            KeWaitForSingleObject(_event, Executive, KernelMode, false, null);
            status = iosb.Status;
        }

        if (status.IsSuccess() && length != 0 && iosb.Information != length)
        {
            return STATUS_IO_DEVICE_ERROR;
        }

        return status;
    }

    public void Dispose()
    {
        ExFreePoolWithTag(_staging, TagStaging);
        ExFreePoolWithTag(_iosb, TagIosb);
    }
}
