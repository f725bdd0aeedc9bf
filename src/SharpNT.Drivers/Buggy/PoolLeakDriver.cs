using SharpNT.Kernel;
using SharpNT.Kernel.Io;
using static SharpNT.Kernel.Ddi.Wdm;
using static SharpNT.Kernel.Io.DO_FLAGS;
using static SharpNT.Kernel.Io.IRP_MJ;
using static SharpNT.Kernel.NTSTATUS;

namespace SharpNT.Drivers.Buggy;

/// <summary>
/// A classic bug: the driver keeps a record of every request in nonpaged pool and its unload routine
/// deletes the device but forgets the records. With pool tracking on, the unload is 0xC4 subcode 0x62
/// (a driver unloading with allocations outstanding), naming this driver.
/// </summary>
public sealed class PoolLeakDriver : DriverImage
{
    public const string DeviceName = @"\Device\PoolLeak";

    /// <summary>Records the request (the record is the leak).</summary>
    public static readonly uint IOCTL_RECORD = IoCtl.CTL_CODE(0x8004, 0x900, IoCtl.METHOD_BUFFERED, IoCtl.FILE_ANY_ACCESS);

    public override string ImageName => "poolleak.sys";

    public sealed class DeviceExtension
    {
        /// <summary>The records, newest first (each links to the previous one at offset 0).</summary>
        public ulong Records { get; set; }
    }

    public override NTSTATUS DriverEntry(DRIVER_OBJECT DriverObject, UNICODE_STRING RegistryPath)
    {
        var status = IoCreateDevice(DriverObject, new DeviceExtension(), new UNICODE_STRING(DeviceName), 0x8004, 0, false, out var device);
        if (!status.IsSuccess())
        {
            return status;
        }

        DriverObject.MajorFunction[IRP_MJ_CREATE] = LeakCreateClose;
        DriverObject.MajorFunction[IRP_MJ_CLOSE] = LeakCreateClose;
        DriverObject.MajorFunction[IRP_MJ_DEVICE_CONTROL] = LeakDeviceControl;
        DriverObject.DriverUnload = LeakUnload;
        device.Flags &= ~DO_DEVICE_INITIALIZING;
        return STATUS_SUCCESS;
    }

    private static NTSTATUS LeakCreateClose(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        Irp.IoStatus.Status = STATUS_SUCCESS;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return STATUS_SUCCESS;
    }

    private static NTSTATUS LeakDeviceControl(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        var extension = IoGetDeviceExtension<DeviceExtension>(DeviceObject);
        var record = ExAllocatePool2(POOL_FLAG_NON_PAGED, 32, PoolTag("LkRc"));
        var status = STATUS_INSUFFICIENT_RESOURCES;
        if (record != 0)
        {
            WriteMemory(record, extension.Records);
            WriteMemory(record + 8, KeQueryInterruptTime());
            extension.Records = record;
            status = STATUS_SUCCESS;
        }

        Irp.IoStatus.Status = status;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return status;
    }

    private static void LeakUnload(DRIVER_OBJECT DriverObject)
    {
        // BUG: the records list is never walked and freed.
        IoDeleteDevice(DriverObject.DeviceObject);
    }
}
