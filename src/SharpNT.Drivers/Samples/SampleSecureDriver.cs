using SharpNT.Kernel;
using SharpNT.Kernel.Io;
using static SharpNT.Drivers.Samples.SampleIoctl;
using static SharpNT.Kernel.Ddi.Wdm;
using static SharpNT.Kernel.Io.DO_FLAGS;
using static SharpNT.Kernel.Io.FILE_CHARACTERISTICS;
using static SharpNT.Kernel.Io.IRP_MJ;
using static SharpNT.Kernel.NTSTATUS;

namespace SharpNT.Drivers.Samples;

/// <summary>
/// A device only SYSTEM and Administrators may open: created with IoCreateDeviceSecure and
/// SDDL_DEVOBJ_SYS_ALL_ADM_ALL, with FILE_DEVICE_SECURE_OPEN so the check also covers opens of names
/// below the device. It answers IOCTL_SAMPLE_BUFFERED by upper-casing, like the sample stack.
/// </summary>
public sealed class SampleSecureDriver : DriverImage
{
    public const string DeviceName = @"\Device\SampleSecure";
    public const string DosDeviceName = @"\DosDevices\SampleSecure";

    public override string ImageName => "samplesecure.sys";

    public override NTSTATUS DriverEntry(DRIVER_OBJECT DriverObject, UNICODE_STRING RegistryPath)
    {
        var status = IoCreateDeviceSecure(DriverObject, 0, new UNICODE_STRING(DeviceName), FILE_DEVICE_SAMPLE, FILE_DEVICE_SECURE_OPEN,
            false, new UNICODE_STRING(SDDL_DEVOBJ_SYS_ALL_ADM_ALL), null, out var device);
        if (!status.IsSuccess())
        {
            return status;
        }

        status = IoCreateSymbolicLink(new UNICODE_STRING(DosDeviceName), new UNICODE_STRING(DeviceName));
        if (!status.IsSuccess())
        {
            IoDeleteDevice(device);
            return status;
        }

        DriverObject.MajorFunction[IRP_MJ_CREATE] = SecureCreateClose;
        DriverObject.MajorFunction[IRP_MJ_CLOSE] = SecureCreateClose;
        DriverObject.MajorFunction[IRP_MJ_DEVICE_CONTROL] = SecureDeviceControl;
        DriverObject.DriverUnload = SecureUnload;
        device.Flags &= ~DO_DEVICE_INITIALIZING;
        return STATUS_SUCCESS;
    }

    private static void SecureUnload(DRIVER_OBJECT DriverObject)
    {
        IoDeleteSymbolicLink(new UNICODE_STRING(DosDeviceName));
        IoDeleteDevice(DriverObject.DeviceObject);
    }

    private static NTSTATUS SecureCreateClose(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        Irp.IoStatus.Status = STATUS_SUCCESS;
        Irp.IoStatus.Information = 0;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return STATUS_SUCCESS;
    }

    private static NTSTATUS SecureDeviceControl(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        var irpSp = IoGetCurrentIrpStackLocation(Irp);
        NTSTATUS status = STATUS_INVALID_DEVICE_REQUEST;
        ulong information = 0;
        if (irpSp.Parameters.DeviceIoControl.IoControlCode == IOCTL_SAMPLE_BUFFERED)
        {
            var buffer = Irp.AssociatedIrp.SystemBuffer;
            var n = Math.Min(irpSp.Parameters.DeviceIoControl.InputBufferLength, irpSp.Parameters.DeviceIoControl.OutputBufferLength);
            for (uint i = 0; i < n; i++)
            {
                var c = ReadMemory<byte>(buffer + i);
                WriteMemory(buffer + i, c is >= (byte)'a' and <= (byte)'z' ? (byte)(c - 32) : c);
            }

            information = n;
            status = STATUS_SUCCESS;
        }

        Irp.IoStatus.Status = status;
        Irp.IoStatus.Information = information;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return status;
    }
}
