using SharpNT.Kernel;
using SharpNT.Kernel.Io;
using static SharpNT.Drivers.Samples.SampleIoctl;
using static SharpNT.Kernel.Ddi.Wdm;
using static SharpNT.Kernel.Io.DO_FLAGS;
using static SharpNT.Kernel.Io.IRP_MJ;
using static SharpNT.Kernel.NTSTATUS;

namespace SharpNT.Drivers.Samples;

/// <summary>
/// The function driver of the sample stack: attaches over the lower device and passes every request
/// down, counting the IOCTLs it forwards in its device extension.
/// </summary>
public sealed class SampleFunctionDriver : DriverImage
{
    public override string ImageName => "samplefn.sys";

    /// <summary>The function driver's device extension.</summary>
    public sealed class DeviceExtension
    {
        public DEVICE_OBJECT LowerDevice { get; set; }

        public FILE_OBJECT LowerFileObject { get; set; }

        public int Forwarded { get; set; }
    }

    public override NTSTATUS DriverEntry(DRIVER_OBJECT DriverObject, UNICODE_STRING RegistryPath)
    {
        var extension = new DeviceExtension();
        var status = IoCreateDevice(DriverObject, extension, new UNICODE_STRING(FunctionDeviceName), FILE_DEVICE_SAMPLE, 0, false, out var device);
        if (!status.IsSuccess())
        {
            return status;
        }

        status = IoGetDeviceObjectPointer(new UNICODE_STRING(LowerDeviceName), FILE_ALL_ACCESS, out var fileObject, out var lower);
        if (!status.IsSuccess())
        {
            IoDeleteDevice(device);
            return status;
        }

        extension.LowerFileObject = fileObject;
        extension.LowerDevice = IoAttachDeviceToDeviceStack(device, lower);
        if (extension.LowerDevice.IsNull)
        {
            ObDereferenceObject(fileObject);
            IoDeleteDevice(device);
            return STATUS_NO_SUCH_DEVICE;
        }

        for (var i = 0; i <= IRP_MJ_MAXIMUM_FUNCTION; i++)
        {
            DriverObject.MajorFunction[i] = SampleFnPassThrough;
        }

        DriverObject.MajorFunction[IRP_MJ_DEVICE_CONTROL] = SampleFnDeviceControl;
        DriverObject.DriverUnload = SampleFnUnload;
        device.Flags |= extension.LowerDevice.Flags & (DO_BUFFERED_IO | DO_DIRECT_IO);
        device.Flags &= ~DO_DEVICE_INITIALIZING;
        return STATUS_SUCCESS;
    }

    private static void SampleFnUnload(DRIVER_OBJECT DriverObject)
    {
        var device = DriverObject.DeviceObject;
        var extension = IoGetDeviceExtension<DeviceExtension>(device);
        IoDetachDevice(extension.LowerDevice);
        ObDereferenceObject(extension.LowerFileObject);
        IoDeleteDevice(device);
    }

    private static NTSTATUS SampleFnPassThrough(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        var extension = IoGetDeviceExtension<DeviceExtension>(DeviceObject);
        IoSkipCurrentIrpStackLocation(Irp);
        return IoCallDriver(extension.LowerDevice, Irp);
    }

    private static NTSTATUS SampleFnDeviceControl(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        var extension = IoGetDeviceExtension<DeviceExtension>(DeviceObject);
        extension.Forwarded++;
        IoCopyCurrentIrpStackLocationToNext(Irp);
        return IoCallDriver(extension.LowerDevice, Irp);
    }
}
