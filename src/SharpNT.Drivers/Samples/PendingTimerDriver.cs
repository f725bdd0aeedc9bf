using SharpNT.Kernel;
using SharpNT.Kernel.Io;
using SharpNT.Kernel.Ke;
using static SharpNT.Kernel.Ddi.Wdm;
using static SharpNT.Kernel.Io.DO_FLAGS;
using static SharpNT.Kernel.Io.IRP_MJ;
using static SharpNT.Kernel.NTSTATUS;

namespace SharpNT.Drivers.Samples;

/// <summary>
/// Pends every read in a cancel-safe queue and completes one of them each time its periodic timer's DPC
/// fires; a read cancelled while it waits is completed STATUS_CANCELLED by the queue. The shape of the
/// classic cancel sample.
/// </summary>
public sealed class PendingTimerDriver : DriverImage
{
    public const string DeviceName = @"\Device\PendingTimer";

    /// <summary>The timer period, in milliseconds.</summary>
    public const int PeriodMs = 10;

    public override string ImageName => "pendtimer.sys";

    /// <summary>The device's cancel-safe queue, with the list and lock it guards (CONTAINING_RECORD in C).</summary>
    public sealed class PendingQueue : IO_CSQ
    {
        public LinkedList<IRP> Pending { get; } = new();

        public KSPIN_LOCK QueueLock { get; } = new();
    }

    public sealed class DeviceExtension
    {
        public PendingQueue Csq { get; } = new();

        public KTIMER Timer { get; } = new();

        public KDPC TimerDpc { get; } = new();

        public int Completed { get; set; }
    }

    public override NTSTATUS DriverEntry(DRIVER_OBJECT DriverObject, UNICODE_STRING RegistryPath)
    {
        var extension = new DeviceExtension();
        var status = IoCreateDevice(DriverObject, extension, new UNICODE_STRING(DeviceName), 0x22, 0, false, out var device);
        if (!status.IsSuccess())
        {
            return status;
        }

        KeInitializeSpinLock(extension.Csq.QueueLock);
        IoCsqInitialize(extension.Csq, CsqInsertIrp, CsqRemoveIrp, CsqPeekNextIrp, CsqAcquireLock, CsqReleaseLock, CsqCompleteCanceledIrp);
        KeInitializeTimerEx(extension.Timer, SynchronizationTimer);
        KeInitializeDpc(extension.TimerDpc, PendTimerDpc, device);
        KeSetTimerEx(extension.Timer, new LARGE_INTEGER(-PeriodMs * 10_000L), PeriodMs, extension.TimerDpc);

        DriverObject.MajorFunction[IRP_MJ_CREATE] = PendCreateClose;
        DriverObject.MajorFunction[IRP_MJ_CLOSE] = PendCreateClose;
        DriverObject.MajorFunction[IRP_MJ_READ] = PendRead;
        DriverObject.DriverUnload = PendUnload;
        device.Flags |= DO_BUFFERED_IO;
        device.Flags &= ~DO_DEVICE_INITIALIZING;
        return STATUS_SUCCESS;
    }

    private static void PendUnload(DRIVER_OBJECT DriverObject)
    {
        var device = DriverObject.DeviceObject;
        var extension = IoGetDeviceExtension<DeviceExtension>(device);
        KeCancelTimer(extension.Timer);
        KeRemoveQueueDpc(extension.TimerDpc);
        for (var irp = IoCsqRemoveNextIrp(extension.Csq, null); !irp.IsNull; irp = IoCsqRemoveNextIrp(extension.Csq, null))
        {
            irp.IoStatus.Status = STATUS_CANCELLED;
            irp.IoStatus.Information = 0;
            IoCompleteRequest(irp, IO_NO_INCREMENT);
        }

        IoDeleteDevice(device);
    }

    private static NTSTATUS PendCreateClose(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        Irp.IoStatus.Status = STATUS_SUCCESS;
        Irp.IoStatus.Information = 0;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return STATUS_SUCCESS;
    }

    private static NTSTATUS PendRead(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        var extension = IoGetDeviceExtension<DeviceExtension>(DeviceObject);
        IoCsqInsertIrp(extension.Csq, Irp, null);
        return STATUS_PENDING;
    }

    /// <summary>Every period: complete the oldest pending read with a byte telling how many came before it.</summary>
    private static void PendTimerDpc(KDPC Dpc, object? DeferredContext, object? SystemArgument1, object? SystemArgument2)
    {
        var device = (DEVICE_OBJECT)DeferredContext!;
        var extension = IoGetDeviceExtension<DeviceExtension>(device);
        var irp = IoCsqRemoveNextIrp(extension.Csq, null);
        if (irp.IsNull)
        {
            return;
        }

        var length = IoGetCurrentIrpStackLocation(irp).Parameters.Read.Length;
        ulong information = 0;
        if (length > 0)
        {
            WriteMemory(irp.AssociatedIrp.SystemBuffer, (byte)extension.Completed);
            information = 1;
        }

        extension.Completed++;
        irp.IoStatus.Status = STATUS_SUCCESS;
        irp.IoStatus.Information = information;
        IoCompleteRequest(irp, IO_NO_INCREMENT);
    }

    private static void CsqInsertIrp(IO_CSQ Csq, IRP Irp) => QueueOf(Csq).Pending.AddLast(Irp);

    private static void CsqRemoveIrp(IO_CSQ Csq, IRP Irp) => QueueOf(Csq).Pending.Remove(Irp);

    private static IRP CsqPeekNextIrp(IO_CSQ Csq, IRP Irp, object? PeekContext)
    {
        var list = QueueOf(Csq).Pending;
        var node = Irp.IsNull ? list.First : list.Find(Irp)?.Next;
        return node?.Value ?? IRP.NULL;
    }

    private static void CsqAcquireLock(IO_CSQ Csq, out byte Irql) => KeAcquireSpinLock(QueueOf(Csq).QueueLock, out Irql);

    private static void CsqReleaseLock(IO_CSQ Csq, byte Irql) => KeReleaseSpinLock(QueueOf(Csq).QueueLock, Irql);

    private static void CsqCompleteCanceledIrp(IO_CSQ Csq, IRP Irp)
    {
        Irp.IoStatus.Status = STATUS_CANCELLED;
        Irp.IoStatus.Information = 0;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
    }

    private static PendingQueue QueueOf(IO_CSQ csq) => (PendingQueue)csq;
}
