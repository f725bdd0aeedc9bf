using System.Runtime.InteropServices;
using SharpNT.Kernel;
using SharpNT.Kernel.Io;
using SharpNT.Kernel.Ke;
using static SharpNT.Kernel.Ddi.Wdm;
using static SharpNT.Kernel.Io.DO_FLAGS;
using static SharpNT.Kernel.Io.IRP_MJ;
using static SharpNT.Kernel.Io.IRP_MN;
using static SharpNT.Kernel.NTSTATUS;

namespace SharpNT.Drivers.Fastfat;

/// <summary>
/// fastfat.sys: the FAT12/16/32 file system driver. DriverEntry creates the <c>\Fat</c> control device and
/// registers it (IoRegisterFileSystem); the I/O manager then sends it IRP_MN_MOUNT_VOLUME for each disk
/// volume opened, and a volume the engine recognises gets a volume device object whose dispatch routines
/// turn IRPs into <see cref="FatVolume"/> operations.
/// </summary>
/// <remarks>
/// The dispatch routines complete every request in the caller's thread (fastfat's synchronous FSD path),
/// holding the volume's resource; the storage device below may pend, which they wait for.
/// </remarks>
public sealed partial class FatDriver : DriverImage
{
    public const string ControlDeviceName = @"\Fat";

    private static readonly uint TagFcb = PoolTag("FatF");
    private static readonly uint TagCcb = PoolTag("FatC");

    private DRIVER_OBJECT _driverObject;
    private DEVICE_OBJECT _controlDevice;
    private readonly FatData _data = new();

    public override string ImageName => "fastfat.sys";

    /// <summary>The volumes mounted and not dismounted, for tests and the debugger.</summary>
    public int MountedVolumeCount => _data.Volumes.Count(v => !v.Dismounted);

    private delegate NTSTATUS FatCommonRoutine(FatVcb vcb, IRP irp, IO_STACK_LOCATION irpSp, out ulong information);

    public override NTSTATUS DriverEntry(DRIVER_OBJECT DriverObject, UNICODE_STRING RegistryPath)
    {
        _driverObject = DriverObject;
        var status = IoCreateDevice(DriverObject, _data, new UNICODE_STRING(ControlDeviceName), FILE_DEVICE.FILE_DEVICE_DISK_FILE_SYSTEM, 0,
            false, out var control);
        if (!status.IsSuccess())
        {
            return status;
        }

        _controlDevice = control;
        DriverObject.MajorFunction[IRP_MJ_CREATE] = FatFsdCreate;
        DriverObject.MajorFunction[IRP_MJ_CLEANUP] = FatFsdCleanup;
        DriverObject.MajorFunction[IRP_MJ_CLOSE] = FatFsdClose;
        DriverObject.MajorFunction[IRP_MJ_READ] = FatFsdRead;
        DriverObject.MajorFunction[IRP_MJ_WRITE] = FatFsdWrite;
        DriverObject.MajorFunction[IRP_MJ_QUERY_INFORMATION] = FatFsdQueryInformation;
        DriverObject.MajorFunction[IRP_MJ_SET_INFORMATION] = FatFsdSetInformation;
        DriverObject.MajorFunction[IRP_MJ_DIRECTORY_CONTROL] = FatFsdDirectoryControl;
        DriverObject.MajorFunction[IRP_MJ_QUERY_VOLUME_INFORMATION] = FatFsdQueryVolumeInformation;
        DriverObject.MajorFunction[IRP_MJ_FLUSH_BUFFERS] = FatFsdFlushBuffers;
        DriverObject.MajorFunction[IRP_MJ_LOCK_CONTROL] = FatFsdLockControl;
        DriverObject.MajorFunction[IRP_MJ_FILE_SYSTEM_CONTROL] = FatFsdFileSystemControl;
        DriverObject.MajorFunction[IRP_MJ_SHUTDOWN] = FatFsdShutdown;
        status = FatInitializeFastIoDispatch(DriverObject);
        if (!status.IsSuccess())
        {
            IoDeleteDevice(control);
            return status;
        }

        control.Flags &= ~DO_DEVICE_INITIALIZING;
        IoRegisterFileSystem(control);
        return STATUS_SUCCESS;
    }

    private static NTSTATUS Complete(IRP Irp, NTSTATUS status, ulong information)
    {
        Irp.IoStatus.Status = status;
        Irp.IoStatus.Information = information;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return status;
    }

    /// <summary>Runs a volume request's common routine under the volume's resource and completes the IRP.</summary>
    private NTSTATUS VolumeRequest(DEVICE_OBJECT DeviceObject, IRP Irp, FatCommonRoutine routine, bool evenIfDismounted = false)
    {
        if (DeviceObject == _controlDevice)
        {
            return Complete(Irp, STATUS_INVALID_DEVICE_REQUEST, 0);
        }

        var vcb = IoGetDeviceExtension<FatVcb>(DeviceObject);
        KeWaitForSingleObject(vcb.Resource, Executive, KernelMode, false, null);
        NTSTATUS status;
        ulong information;
        try
        {
            if (vcb.Dismounted && !evenIfDismounted)
            {
                status = STATUS_VOLUME_DISMOUNTED;
                information = 0;
            }
            else
            {
                status = routine(vcb, Irp, IoGetCurrentIrpStackLocation(Irp), out information);
            }
        }
        finally
        {
            KeReleaseMutex(vcb.Resource, false);
        }

        return Complete(Irp, status, information);
    }

    private static FatCcb? CcbOf(FatVcb vcb, FILE_OBJECT file) =>
        !file.IsNull && vcb.Ccbs.TryGetValue(file.FsContext2, out var ccb) ? ccb : null;

    /// <summary>Where a request's data is: its MDL's system address, its system buffer (buffered I/O), or the requester's buffer.</summary>
    private static ulong MapUserBuffer(IRP Irp)
    {
        if (Irp.MdlAddress != 0)
        {
            return MmGetSystemAddressForMdlSafe(Irp.MdlAddress, NormalPagePriority);
        }

        return (Irp.Flags & IRP_FLAGS.IRP_BUFFERED_IO) != 0 && Irp.AssociatedIrp.SystemBuffer != 0 ? Irp.AssociatedIrp.SystemBuffer : Irp.UserBuffer;
    }

    private static void WriteName(ulong address, string name, int maxBytes)
    {
        var bytes = MemoryMarshal.AsBytes(name.AsSpan());
        CopyFromHost(address, bytes[..Math.Min(bytes.Length, Math.Max(0, maxBytes) & ~1)]);
    }

    private static string ReadName(ulong address, int byteLength)
    {
        var chars = new char[byteLength / 2];
        CopyToHost(address, MemoryMarshal.AsBytes(chars.AsSpan()));
        return new string(chars);
    }

    /// <summary>The FCB's nonpaged block, made at its first open; null when pool is exhausted.</summary>
    private static FatFcbBlock? GetFcbBlock(FatVcb vcb, FatFcb fcb)
    {
        if (!vcb.Fcbs.TryGetValue(fcb, out var block))
        {
            var address = ExAllocatePool2(POOL_FLAG_NON_PAGED, FatFcbBlock.Size, TagFcb);
            if (address == 0)
            {
                return null;
            }

            RtlZeroMemory(address, FatFcbBlock.Size);
            block = new FatFcbBlock { Address = address };
            FsRtlInitializeFileLock(block.FileLock, null, null);
            vcb.Fcbs[fcb] = block;
        }

        return block;
    }

    private static void ReleaseFcbBlockIfUnused(FatVcb vcb, FatFcb fcb)
    {
        if (vcb.Fcbs.TryGetValue(fcb, out var block) && block.Opens == 0)
        {
            vcb.Fcbs.Remove(fcb);
            FsRtlUninitializeFileLock(block.FileLock);
            ExFreePoolWithTag(block.Address, TagFcb);
        }
    }

    /// <summary>A CCB for a new open; null when pool is exhausted.</summary>
    private static FatCcb? NewCcb(FatVcb vcb, FatFcb? fcb, uint grantedAccess, bool deleteOnClose)
    {
        var address = ExAllocatePool2(POOL_FLAG_NON_PAGED, 0x10, TagCcb);
        if (address == 0)
        {
            return null;
        }

        var ccb = new FatCcb { Address = address, Fcb = fcb, GrantedAccess = grantedAccess, DeleteOnClose = deleteOnClose };
        vcb.Ccbs[address] = ccb;
        return ccb;
    }

    /// <summary>IRP_MJ_FLUSH_BUFFERS: everything the volume holds in memory goes to the storage device, in the engine's safe order.</summary>
    private NTSTATUS FatFsdFlushBuffers(DEVICE_OBJECT DeviceObject, IRP Irp) =>
        VolumeRequest(DeviceObject, Irp, (FatVcb vcb, IRP irp, IO_STACK_LOCATION irpSp, out ulong information) =>
        {
            information = 0;
            return vcb.Volume.Flush();
        });

    /// <summary>
    /// IRP_MJ_SHUTDOWN (to the control device, from IoShutdownSystem): every mounted volume is flushed and
    /// dismounted; later requests on it fail with STATUS_VOLUME_DISMOUNTED.
    /// </summary>
    private NTSTATUS FatFsdShutdown(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        var status = STATUS_SUCCESS;
        foreach (var vcb in _data.Volumes.ToArray())
        {
            KeWaitForSingleObject(vcb.Resource, Executive, KernelMode, false, null);
            try
            {
                if (!vcb.Dismounted)
                {
                    var dismount = vcb.Volume.Dismount();
                    vcb.Dismounted = true;
                    if (!dismount.IsSuccess())
                    {
                        status = dismount;
                    }
                }
            }
            finally
            {
                KeReleaseMutex(vcb.Resource, false);
            }
        }

        return Complete(Irp, status, 0);
    }
}
