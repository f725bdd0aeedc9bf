using SharpNT.Kernel;
using SharpNT.Kernel.Io;
using SharpNT.Kernel.Ke;
using static SharpNT.Kernel.Ddi.Wdm;
using static SharpNT.Kernel.Io.DO_FLAGS;
using static SharpNT.Kernel.Io.IRP_MJ;
using static SharpNT.Kernel.NTSTATUS;

namespace SharpNT.Drivers.Buggy;

/// <summary>
/// A classic bug: the driver queues a request for its (timer-simulated) hardware and returns
/// STATUS_PENDING, but never calls IoMarkIrpPending. The I/O manager then cannot tell the IRP pended, and
/// a requester above may never learn it completed. I/O verification catches it as the dispatch routine
/// returns: 0xC9 with the documented I/O error 0x23D, naming this driver.
/// </summary>
public sealed class MissingMarkPendingDriver : DriverImage
{
    public const string DeviceName = @"\Device\MissingMarkPending";

    /// <summary>Starts a (simulated) transfer and completes the request when it is done.</summary>
    public static readonly uint IOCTL_START_TRANSFER = IoCtl.CTL_CODE(0x8003, 0x900, IoCtl.METHOD_BUFFERED, IoCtl.FILE_ANY_ACCESS);

    public override string ImageName => "markpending.sys";

    public sealed class DeviceExtension
    {
        public KTIMER Timer { get; } = new();

        public KDPC Dpc { get; } = new();

        public IRP Current { get; set; }
    }

    public override NTSTATUS DriverEntry(DRIVER_OBJECT DriverObject, UNICODE_STRING RegistryPath)
    {
        var extension = new DeviceExtension();
        var status = IoCreateDevice(DriverObject, extension, new UNICODE_STRING(DeviceName), 0x8003, 0, false, out var device);
        if (!status.IsSuccess())
        {
            return status;
        }

        KeInitializeTimer(extension.Timer);
        KeInitializeDpc(extension.Dpc, TransferDoneDpc, extension);
        DriverObject.MajorFunction[IRP_MJ_CREATE] = TransferCreateClose;
        DriverObject.MajorFunction[IRP_MJ_CLOSE] = TransferCreateClose;
        DriverObject.MajorFunction[IRP_MJ_DEVICE_CONTROL] = TransferDeviceControl;
        device.Flags &= ~DO_DEVICE_INITIALIZING;
        return STATUS_SUCCESS;
    }

    private static NTSTATUS TransferCreateClose(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        Irp.IoStatus.Status = STATUS_SUCCESS;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return STATUS_SUCCESS;
    }

    private static NTSTATUS TransferDeviceControl(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        var extension = IoGetDeviceExtension<DeviceExtension>(DeviceObject);
        extension.Current = Irp;
        KeSetTimer(extension.Timer, new LARGE_INTEGER(-10_000), extension.Dpc);

        // BUG: no IoMarkIrpPending(Irp) before returning STATUS_PENDING.
        return STATUS_PENDING;
    }

    private static void TransferDoneDpc(KDPC Dpc, object? DeferredContext, object? SystemArgument1, object? SystemArgument2)
    {
        var extension = (DeviceExtension)DeferredContext!;
        var irp = extension.Current;
        irp.IoStatus.Status = STATUS_SUCCESS;
        irp.IoStatus.Information = 0;
        IoCompleteRequest(irp, IO_NO_INCREMENT);
    }
}
