using SharpNT.Kernel;
using SharpNT.Kernel.Io;
using SharpNT.Kernel.Ke;
using static SharpNT.Kernel.Ddi.Wdm;
using static SharpNT.Kernel.Io.DO_FLAGS;
using static SharpNT.Kernel.Io.IRP_MJ;
using static SharpNT.Kernel.NTSTATUS;

namespace SharpNT.Drivers.Buggy;

/// <summary>
/// A classic bug: the driver keeps its statistics in paged pool and updates them while holding a spin
/// lock. It works until the memory manager pages the buffer out; then the touch at DISPATCH_LEVEL cannot
/// be resolved and the machine stops with DRIVER_IRQL_NOT_LESS_OR_EQUAL (0xD1) naming this driver.
/// </summary>
public sealed class PagedPoolAtDispatchDriver : DriverImage
{
    public const string DeviceName = @"\Device\PagedPoolAtDispatch";

    public static readonly uint IOCTL_BUMP_COUNTER = IoCtl.CTL_CODE(0x8001, 0x900, IoCtl.METHOD_BUFFERED, IoCtl.FILE_ANY_ACCESS);

    public override string ImageName => "pagedpool.sys";

    public sealed class DeviceExtension
    {
        public KSPIN_LOCK Lock { get; } = new();

        /// <summary>The statistics block: PAGED pool (the bug).</summary>
        public ulong Statistics { get; set; }
    }

    public override NTSTATUS DriverEntry(DRIVER_OBJECT DriverObject, UNICODE_STRING RegistryPath)
    {
        var extension = new DeviceExtension();
        var status = IoCreateDevice(DriverObject, extension, new UNICODE_STRING(DeviceName), 0x8001, 0, false, out var device);
        if (!status.IsSuccess())
        {
            return status;
        }

        KeInitializeSpinLock(extension.Lock);
        extension.Statistics = ExAllocatePool2(POOL_FLAG_PAGED, 4096, PoolTag("PgSt"));
        if (extension.Statistics == 0)
        {
            IoDeleteDevice(device);
            return STATUS_INSUFFICIENT_RESOURCES;
        }

        // The block starts with a signature, written here at PASSIVE_LEVEL.
        WriteMemory(extension.Statistics + 8, 0x74536750u);

        DriverObject.MajorFunction[IRP_MJ_CREATE] = BumpCreateClose;
        DriverObject.MajorFunction[IRP_MJ_CLOSE] = BumpCreateClose;
        DriverObject.MajorFunction[IRP_MJ_DEVICE_CONTROL] = BumpDeviceControl;
        device.Flags &= ~DO_DEVICE_INITIALIZING;
        return STATUS_SUCCESS;
    }

    private static NTSTATUS BumpCreateClose(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        Irp.IoStatus.Status = STATUS_SUCCESS;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return STATUS_SUCCESS;
    }

    private static NTSTATUS BumpDeviceControl(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        var extension = IoGetDeviceExtension<DeviceExtension>(DeviceObject);
        KeAcquireSpinLock(extension.Lock, out var oldIrql);

        // BUG: paged pool touched at DISPATCH_LEVEL.
        var count = ReadMemory<ulong>(extension.Statistics);
        WriteMemory(extension.Statistics, count + 1);

        KeReleaseSpinLock(extension.Lock, oldIrql);
        Irp.IoStatus.Status = STATUS_SUCCESS;
        Irp.IoStatus.Information = 0;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return STATUS_SUCCESS;
    }
}
