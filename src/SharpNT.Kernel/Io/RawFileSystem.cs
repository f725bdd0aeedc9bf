using SharpNT.Kernel.Ke;
using static SharpNT.Kernel.Ddi.Wdm;
using static SharpNT.Kernel.Io.DO_FLAGS;
using static SharpNT.Kernel.Io.IRP_MJ;
using static SharpNT.Kernel.NTSTATUS;

namespace SharpNT.Kernel.Io;

/// <summary>
/// The RAW file system (\FileSystem\RAW, part of ntoskrnl on NT): mounts any disk volume no other file
/// system recognises, when the open names the volume itself (\Device\Harddisk0\Partition0, \\.\C:), and
/// passes reads, writes and device controls straight to the storage device. An open of a name on a RAW
/// volume is STATUS_INVALID_PARAMETER; the last close dismounts it, so a file system can mount the volume
/// later (RawCheckForDismount).
/// </summary>
internal sealed class RawFileSystem : DriverImage
{
    private DEVICE_OBJECT _control;

    public override string ImageName => "raw.sys";

    public override string ServiceName => "RAW";

    /// <summary>A mounted RAW volume: the storage stack below it, its VPB and how many file objects are open.</summary>
    private sealed class RawVolume
    {
        public required DEVICE_OBJECT Target { get; init; }

        public required ulong Vpb { get; init; }

        public int OpenCount { get; set; }
    }

    public override NTSTATUS DriverEntry(DRIVER_OBJECT DriverObject, UNICODE_STRING RegistryPath)
    {
        var status = IoCreateDevice(DriverObject, 0, new UNICODE_STRING(@"\Device\RawDisk"), FILE_DEVICE.FILE_DEVICE_DISK_FILE_SYSTEM, 0, false,
            out _control);
        if (!status.IsSuccess())
        {
            return status;
        }

        for (var major = 0; major < DRIVER_OBJECT.MajorFunctionTable.Count; major++)
        {
            DriverObject.MajorFunction[major] = RawDispatch;
        }

        _control.Flags |= DO_LOW_PRIORITY_FILESYSTEM;
        _control.Flags &= ~DO_DEVICE_INITIALIZING;
        IoRegisterFileSystem(_control);
        return STATUS_SUCCESS;
    }

    private NTSTATUS RawDispatch(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        var irpSp = IoGetCurrentIrpStackLocation(Irp);
        if (DeviceObject == _control)
        {
            return irpSp.MajorFunction switch
            {
                IRP_MJ_FILE_SYSTEM_CONTROL when irpSp.MinorFunction == IRP_MN.IRP_MN_MOUNT_VOLUME => Mount(DeviceObject, Irp, irpSp),
                IRP_MJ_CREATE or IRP_MJ_CLEANUP or IRP_MJ_CLOSE => Complete(Irp, STATUS_SUCCESS),
                _ => Complete(Irp, STATUS_INVALID_DEVICE_REQUEST),
            };
        }

        var volume = IoGetDeviceExtension<RawVolume>(DeviceObject);
        switch (irpSp.MajorFunction)
        {
            case IRP_MJ_CREATE:
                if (ViewMemory.Io.FileNameOf(irpSp.FileObject).Length != 0)
                {
                    return Complete(Irp, STATUS_INVALID_PARAMETER);
                }

                volume.OpenCount++;
                return Complete(Irp, STATUS_SUCCESS, information: 1 /* FILE_OPENED */);
            case IRP_MJ_CLEANUP:
                return Complete(Irp, STATUS_SUCCESS);
            case IRP_MJ_CLOSE:
                volume.OpenCount--;
                Complete(Irp, STATUS_SUCCESS);
                if (volume.OpenCount == 0)
                {
                    Dismount(DeviceObject, volume);
                }

                return STATUS_SUCCESS;
            case IRP_MJ_READ or IRP_MJ_WRITE or IRP_MJ_DEVICE_CONTROL or IRP_MJ_FLUSH_BUFFERS:
                IoSkipCurrentIrpStackLocation(Irp);
                return IoCallDriver(volume.Target, Irp);
            default:
                return Complete(Irp, STATUS_INVALID_DEVICE_REQUEST);
        }
    }

    /// <summary>RawMountVolume: any volume is accepted; the new volume device sits on the storage stack's top.</summary>
    private static NTSTATUS Mount(DEVICE_OBJECT control, IRP Irp, IO_STACK_LOCATION irpSp)
    {
        var target = new DEVICE_OBJECT(irpSp.Parameters.MountVolume.DeviceObject);
        var vpb = irpSp.Parameters.MountVolume.Vpb;
        var volume = new RawVolume { Target = target, Vpb = vpb };
        var status = IoCreateDevice(control.DriverObject, volume, null, FILE_DEVICE.FILE_DEVICE_DISK_FILE_SYSTEM, 0, false, out var device);
        if (!status.IsSuccess())
        {
            return Complete(Irp, status);
        }

        // Requests pass through unchanged, so the volume asks for its buffers as the storage device does.
        device.StackSize = (sbyte)(target.StackSize + 1);
        device.Flags |= target.Flags & (DO_BUFFERED_IO | DO_DIRECT_IO);
        device.AlignmentRequirement = target.AlignmentRequirement;
        device.Flags &= ~DO_DEVICE_INITIALIZING;
        new VPB(vpb).DeviceObject = device;
        return Complete(Irp, STATUS_SUCCESS);
    }

    /// <summary>RawCheckForDismount: with no file object open the volume is given back (VPB unmounted, device deleted).</summary>
    private static void Dismount(DEVICE_OBJECT device, RawVolume volume)
    {
        var vpb = new VPB(volume.Vpb);
        vpb.Flags &= unchecked((ushort)~VPB_FLAGS.VPB_MOUNTED);
        vpb.DeviceObject = DEVICE_OBJECT.NULL;
        IoDeleteDevice(device);
    }

    private static NTSTATUS Complete(IRP Irp, NTSTATUS status, ulong information = 0)
    {
        Irp.IoStatus.Status = status;
        Irp.IoStatus.Information = information;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return status;
    }
}
