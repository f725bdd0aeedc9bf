using SharpNT.Kernel;
using SharpNT.Kernel.Io;
using static SharpNT.Drivers.Samples.SampleIoctl;
using static SharpNT.Kernel.Ddi.Wdm;
using static SharpNT.Kernel.Io.DO_FLAGS;
using static SharpNT.Kernel.Io.IRP_MJ;
using static SharpNT.Kernel.NTSTATUS;

namespace SharpNT.Drivers.Samples;

/// <summary>
/// An upper filter over the sample function device: it watches every IOCTL on the way down and, with a
/// completion routine, on the way up; it rewrites the buffered IOCTL's answer (appending '!') to show a
/// filter modifying a request's result.
/// </summary>
public sealed class SampleFilterDriver : DriverImage
{
    public override string ImageName => "samplefilter.sys";

    public sealed class DeviceExtension
    {
        public DEVICE_OBJECT LowerDevice { get; set; }

        public FILE_OBJECT LowerFileObject { get; set; }

        public List<string> Log { get; } = [];
    }

    public override NTSTATUS DriverEntry(DRIVER_OBJECT DriverObject, UNICODE_STRING RegistryPath)
    {
        var extension = new DeviceExtension();
        var status = IoCreateDevice(DriverObject, extension, new UNICODE_STRING(FilterDeviceName), FILE_DEVICE_SAMPLE, 0, false, out var device);
        if (!status.IsSuccess())
        {
            return status;
        }

        status = IoGetDeviceObjectPointer(new UNICODE_STRING(FunctionDeviceName), FILE_ALL_ACCESS, out var fileObject, out var target);
        if (!status.IsSuccess())
        {
            IoDeleteDevice(device);
            return status;
        }

        extension.LowerFileObject = fileObject;
        extension.LowerDevice = IoAttachDeviceToDeviceStack(device, target);
        for (var i = 0; i <= IRP_MJ_MAXIMUM_FUNCTION; i++)
        {
            DriverObject.MajorFunction[i] = FilterPassThrough;
        }

        DriverObject.MajorFunction[IRP_MJ_DEVICE_CONTROL] = FilterDeviceControl;
        DriverObject.DriverUnload = FilterUnload;
        device.Flags |= extension.LowerDevice.Flags & (DO_BUFFERED_IO | DO_DIRECT_IO);
        device.Flags &= ~DO_DEVICE_INITIALIZING;
        IoCreateSymbolicLink(new UNICODE_STRING(DosDeviceName), new UNICODE_STRING(FilterDeviceName));
        return STATUS_SUCCESS;
    }

    private static void FilterUnload(DRIVER_OBJECT DriverObject)
    {
        var device = DriverObject.DeviceObject;
        var extension = IoGetDeviceExtension<DeviceExtension>(device);
        IoDeleteSymbolicLink(new UNICODE_STRING(DosDeviceName));
        IoDetachDevice(extension.LowerDevice);
        ObDereferenceObject(extension.LowerFileObject);
        IoDeleteDevice(device);
    }

    private static NTSTATUS FilterPassThrough(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        IoSkipCurrentIrpStackLocation(Irp);
        return IoCallDriver(IoGetDeviceExtension<DeviceExtension>(DeviceObject).LowerDevice, Irp);
    }

    private static NTSTATUS FilterDeviceControl(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        var extension = IoGetDeviceExtension<DeviceExtension>(DeviceObject);
        var code = IoGetCurrentIrpStackLocation(Irp).Parameters.DeviceIoControl.IoControlCode;
        extension.Log.Add($"down 0x{code:X8}");
        DbgPrint($"samplefilter: IOCTL 0x{code:X8} on its way down");
        IoCopyCurrentIrpStackLocationToNext(Irp);
        IoSetCompletionRoutine(Irp, FilterCompletion, extension, true, true, true);
        return IoCallDriver(extension.LowerDevice, Irp);
    }

    private static NTSTATUS FilterCompletion(DEVICE_OBJECT DeviceObject, IRP Irp, object? Context)
    {
        var extension = (DeviceExtension)Context!;
        var irpSp = IoGetCurrentIrpStackLocation(Irp);
        var code = irpSp.Parameters.DeviceIoControl.IoControlCode;
        extension.Log.Add($"up 0x{code:X8} {Irp.IoStatus.Status}");
        DbgPrint($"samplefilter: IOCTL 0x{code:X8} completed with {Irp.IoStatus.Status}");
        if (code == IOCTL_SAMPLE_BUFFERED && Irp.IoStatus.Status.IsSuccess())
        {
            // Room permitting, append '!' to the answer in the system buffer.
            var n = Irp.IoStatus.Information;
            if (n < irpSp.Parameters.DeviceIoControl.OutputBufferLength)
            {
                WriteMemory(Irp.AssociatedIrp.SystemBuffer + n, (byte)'!');
                Irp.IoStatus.Information = n + 1;
            }
        }

        if (Irp.PendingReturned)
        {
            IoMarkIrpPending(Irp);
        }

        return STATUS_CONTINUE_COMPLETION;
    }
}
