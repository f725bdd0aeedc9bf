using SharpNT.Kernel;
using SharpNT.Kernel.Io;
using static SharpNT.Kernel.Ddi.Wdm;
using static SharpNT.Kernel.Io.DO_FLAGS;
using static SharpNT.Kernel.Io.IRP_MJ;
using static SharpNT.Kernel.Io.IRP_MN;
using static SharpNT.Kernel.NTSTATUS;

namespace SharpNT.Drivers.Tests.Io;

/// <summary>
/// A file system for mount-path tests: it answers IRP_MN_MOUNT_VOLUME with a chosen status (making a
/// volume device when it accepts) and records what reaches it, in a log shared with the test.
/// </summary>
internal sealed class ProbeFileSystemDriver(string name, NTSTATUS mountAnswer, List<string> log) : DriverImage
{
    private DEVICE_OBJECT _control;

    public override string ImageName => $"{name}.sys";

    public NTSTATUS MountAnswer { get; set; } = mountAnswer;

    public DEVICE_OBJECT Control => _control;

    public DEVICE_OBJECT VolumeDevice { get; private set; }

    public override NTSTATUS DriverEntry(DRIVER_OBJECT DriverObject, UNICODE_STRING RegistryPath)
    {
        var status = IoCreateDevice(DriverObject, 0, new UNICODE_STRING($@"\{name}"), FILE_DEVICE.FILE_DEVICE_DISK_FILE_SYSTEM, 0, false, out _control);
        if (!status.IsSuccess())
        {
            return status;
        }

        DriverObject.MajorFunction[IRP_MJ_FILE_SYSTEM_CONTROL] = ProbeFileSystemControl;
        DriverObject.MajorFunction[IRP_MJ_CREATE] = ProbeCreateClose;
        DriverObject.MajorFunction[IRP_MJ_CLEANUP] = ProbeCreateClose;
        DriverObject.MajorFunction[IRP_MJ_CLOSE] = ProbeCreateClose;
        _control.Flags &= ~DO_DEVICE_INITIALIZING;
        IoRegisterFileSystem(_control);
        return STATUS_SUCCESS;
    }

    private NTSTATUS ProbeFileSystemControl(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        var irpSp = IoGetCurrentIrpStackLocation(Irp);
        var status = STATUS_INVALID_DEVICE_REQUEST;
        if (irpSp.MinorFunction == IRP_MN_MOUNT_VOLUME)
        {
            var vpb = new VPB(irpSp.Parameters.MountVolume.Vpb);
            var target = new DEVICE_OBJECT(irpSp.Parameters.MountVolume.DeviceObject);
            log.Add($"{name} mount {(target == vpb.RealDevice ? "real" : "other")}");
            status = MountAnswer;
            if (status.IsSuccess())
            {
                status = IoCreateDevice(DeviceObject.DriverObject, 0, null, FILE_DEVICE.FILE_DEVICE_DISK_FILE_SYSTEM, 0, false, out var volume);
                if (status.IsSuccess())
                {
                    volume.StackSize = (sbyte)(target.StackSize + 1);
                    volume.Flags &= ~DO_DEVICE_INITIALIZING;
                    vpb.DeviceObject = volume;
                    VolumeDevice = volume;
                }
            }
        }

        Irp.IoStatus.Status = status;
        Irp.IoStatus.Information = 0;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return status;
    }

    private NTSTATUS ProbeCreateClose(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        var irpSp = IoGetCurrentIrpStackLocation(Irp);
        if (irpSp.MajorFunction == IRP_MJ_CREATE)
        {
            log.Add($"{name} create {FsRtlGetFileName(irpSp.FileObject)}");
        }

        Irp.IoStatus.Status = STATUS_SUCCESS;
        Irp.IoStatus.Information = 0;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return STATUS_SUCCESS;
    }
}
