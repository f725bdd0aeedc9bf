using SharpNT.Kernel;
using SharpNT.Kernel.Io;
using SharpNT.Kernel.Ke;
using static SharpNT.Kernel.Ddi.Wdm;
using static SharpNT.Kernel.Io.DO_FLAGS;
using static SharpNT.Kernel.Io.IRP_MJ;
using static SharpNT.Kernel.NTSTATUS;

namespace SharpNT.Drivers.Buggy;

/// <summary>
/// A classic bug: two code paths take the same two spin locks in opposite orders (the queue path takes
/// the queue lock, then the statistics lock; the statistics path the other way round). Two processors
/// running them at once deadlock; deadlock detection sees the inverted order the first time both paths
/// have run, even on one processor: 0xC4 subcode 0x1001, naming this driver.
/// </summary>
public sealed class LockOrderDriver : DriverImage
{
    public const string DeviceName = @"\Device\LockOrder";

    /// <summary>Queues work: queue lock, then statistics lock.</summary>
    public static readonly uint IOCTL_QUEUE_WORK = IoCtl.CTL_CODE(0x8005, 0x900, IoCtl.METHOD_BUFFERED, IoCtl.FILE_ANY_ACCESS);

    /// <summary>Resets the statistics: statistics lock, then queue lock (the inversion).</summary>
    public static readonly uint IOCTL_RESET_STATISTICS = IoCtl.CTL_CODE(0x8005, 0x901, IoCtl.METHOD_BUFFERED, IoCtl.FILE_ANY_ACCESS);

    public override string ImageName => "lockorder.sys";

    public sealed class DeviceExtension
    {
        public KSPIN_LOCK QueueLock { get; } = new();

        public KSPIN_LOCK StatisticsLock { get; } = new();

        public int Queued { get; set; }

        public int Completed { get; set; }
    }

    public override NTSTATUS DriverEntry(DRIVER_OBJECT DriverObject, UNICODE_STRING RegistryPath)
    {
        var extension = new DeviceExtension();
        var status = IoCreateDevice(DriverObject, extension, new UNICODE_STRING(DeviceName), 0x8005, 0, false, out var device);
        if (!status.IsSuccess())
        {
            return status;
        }

        KeInitializeSpinLock(extension.QueueLock);
        KeInitializeSpinLock(extension.StatisticsLock);
        DriverObject.MajorFunction[IRP_MJ_CREATE] = LockCreateClose;
        DriverObject.MajorFunction[IRP_MJ_CLOSE] = LockCreateClose;
        DriverObject.MajorFunction[IRP_MJ_DEVICE_CONTROL] = LockDeviceControl;
        device.Flags &= ~DO_DEVICE_INITIALIZING;
        return STATUS_SUCCESS;
    }

    private static NTSTATUS LockCreateClose(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        Irp.IoStatus.Status = STATUS_SUCCESS;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return STATUS_SUCCESS;
    }

    private static NTSTATUS LockDeviceControl(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        var extension = IoGetDeviceExtension<DeviceExtension>(DeviceObject);
        var code = IoGetCurrentIrpStackLocation(Irp).Parameters.DeviceIoControl.IoControlCode;
        if (code == IOCTL_QUEUE_WORK)
        {
            KeAcquireSpinLock(extension.QueueLock, out var oldIrql);
            extension.Queued++;
            KeAcquireSpinLockAtDpcLevel(extension.StatisticsLock);
            extension.Completed++;
            KeReleaseSpinLockFromDpcLevel(extension.StatisticsLock);
            KeReleaseSpinLock(extension.QueueLock, oldIrql);
        }
        else
        {
            // BUG: the opposite order of the queue path.
            KeAcquireSpinLock(extension.StatisticsLock, out var oldIrql);
            KeAcquireSpinLockAtDpcLevel(extension.QueueLock);
            extension.Queued = 0;
            extension.Completed = 0;
            KeReleaseSpinLockFromDpcLevel(extension.QueueLock);
            KeReleaseSpinLock(extension.StatisticsLock, oldIrql);
        }

        Irp.IoStatus.Status = STATUS_SUCCESS;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return STATUS_SUCCESS;
    }
}
