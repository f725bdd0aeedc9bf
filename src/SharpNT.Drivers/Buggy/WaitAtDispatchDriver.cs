using SharpNT.Kernel;
using SharpNT.Kernel.Io;
using SharpNT.Kernel.Ke;
using static SharpNT.Kernel.Ddi.Wdm;
using static SharpNT.Kernel.Io.DO_FLAGS;
using static SharpNT.Kernel.Io.IRP_MJ;
using static SharpNT.Kernel.NTSTATUS;

namespace SharpNT.Drivers.Buggy;

/// <summary>
/// A classic bug: the driver's DPC routine waits for an event ("the hardware is ready") with no timeout.
/// A DPC runs at DISPATCH_LEVEL in whatever thread it interrupted and must never block: the wait stops the
/// machine with ATTEMPTED_SWITCH_FROM_DPC (0xB8), naming this driver.
/// </summary>
public sealed class WaitAtDispatchDriver : DriverImage
{
    public const string DeviceName = @"\Device\WaitAtDispatch";

    /// <summary>Pends the request; a timer DPC finishes it (and waits there: the bug).</summary>
    public static readonly uint IOCTL_START = IoCtl.CTL_CODE(0x8007, 0x900, IoCtl.METHOD_BUFFERED, IoCtl.FILE_ANY_ACCESS);

    public override string ImageName => "waitdpc.sys";

    public sealed class DeviceExtension
    {
        public KTIMER Timer { get; } = new();

        public KDPC Dpc { get; } = new();

        public KEVENT HardwareReady { get; } = new();

        public IRP Current { get; set; }
    }

    public override NTSTATUS DriverEntry(DRIVER_OBJECT DriverObject, UNICODE_STRING RegistryPath)
    {
        var extension = new DeviceExtension();
        var status = IoCreateDevice(DriverObject, extension, new UNICODE_STRING(DeviceName), 0x8007, 0, false, out var device);
        if (!status.IsSuccess())
        {
            return status;
        }

        KeInitializeTimer(extension.Timer);
        KeInitializeEvent(extension.HardwareReady, NotificationEvent, false);
        KeInitializeDpc(extension.Dpc, StartDpc, extension);
        DriverObject.MajorFunction[IRP_MJ_CREATE] = WaitCreateClose;
        DriverObject.MajorFunction[IRP_MJ_CLOSE] = WaitCreateClose;
        DriverObject.MajorFunction[IRP_MJ_DEVICE_CONTROL] = WaitDeviceControl;
        device.Flags &= ~DO_DEVICE_INITIALIZING;
        return STATUS_SUCCESS;
    }

    private static NTSTATUS WaitCreateClose(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        Irp.IoStatus.Status = STATUS_SUCCESS;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return STATUS_SUCCESS;
    }

    private static NTSTATUS WaitDeviceControl(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        var extension = IoGetDeviceExtension<DeviceExtension>(DeviceObject);
        extension.Current = Irp;
        IoMarkIrpPending(Irp);
        KeSetTimer(extension.Timer, new LARGE_INTEGER(-10_000), extension.Dpc);
        return STATUS_PENDING;
    }

    private static void StartDpc(KDPC Dpc, object? DeferredContext, object? SystemArgument1, object? SystemArgument2)
    {
        var extension = (DeviceExtension)DeferredContext!;

        // BUG: a wait at DISPATCH_LEVEL, in a DPC.
        KeWaitForSingleObject(extension.HardwareReady, Executive, KernelMode, false, null);
        extension.Current.IoStatus.Status = STATUS_SUCCESS;
        IoCompleteRequest(extension.Current, IO_NO_INCREMENT);
    }
}
