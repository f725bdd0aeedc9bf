using SharpNT.Kernel;
using SharpNT.Kernel.Io;
using static SharpNT.Kernel.Ddi.Wdm;
using static SharpNT.Kernel.Io.DO_FLAGS;
using static SharpNT.Kernel.Io.IRP_MJ;
using static SharpNT.Kernel.NTSTATUS;

namespace SharpNT.Drivers.Buggy;

/// <summary>
/// A classic bug: the validation path completes a request with an error but does not return, so the
/// request is completed a second time at the end of the routine. The second IoCompleteRequest stops the
/// machine with MULTIPLE_IRP_COMPLETE_REQUESTS (0x44), naming this driver.
/// </summary>
public sealed class DoubleCompletionDriver : DriverImage
{
    public const string DeviceName = @"\Device\DoubleCompletion";

    /// <summary>Needs at least 4 input bytes; shorter input takes the buggy error path.</summary>
    public static readonly uint IOCTL_SET_VALUE = IoCtl.CTL_CODE(0x8008, 0x900, IoCtl.METHOD_BUFFERED, IoCtl.FILE_ANY_ACCESS);

    public override string ImageName => "doublecomplete.sys";

    public override NTSTATUS DriverEntry(DRIVER_OBJECT DriverObject, UNICODE_STRING RegistryPath)
    {
        var status = IoCreateDevice(DriverObject, 0, new UNICODE_STRING(DeviceName), 0x8008, 0, false, out var device);
        if (!status.IsSuccess())
        {
            return status;
        }

        DriverObject.MajorFunction[IRP_MJ_CREATE] = ValueCreateClose;
        DriverObject.MajorFunction[IRP_MJ_CLOSE] = ValueCreateClose;
        DriverObject.MajorFunction[IRP_MJ_DEVICE_CONTROL] = ValueDeviceControl;
        device.Flags &= ~DO_DEVICE_INITIALIZING;
        return STATUS_SUCCESS;
    }

    private static NTSTATUS ValueCreateClose(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        Irp.IoStatus.Status = STATUS_SUCCESS;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return STATUS_SUCCESS;
    }

    private static NTSTATUS ValueDeviceControl(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        var status = STATUS_SUCCESS;
        if (IoGetCurrentIrpStackLocation(Irp).Parameters.DeviceIoControl.InputBufferLength < 4)
        {
            status = STATUS_BUFFER_TOO_SMALL;
            Irp.IoStatus.Status = status;
            IoCompleteRequest(Irp, IO_NO_INCREMENT);

            // BUG: no "return status;" here.
        }

        Irp.IoStatus.Status = status;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return status;
    }
}
