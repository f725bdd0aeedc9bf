using SharpNT.Kernel;
using SharpNT.Kernel.Io;
using SharpNT.Kernel.Ke;
using static SharpNT.Drivers.Toaster.ToasterPublic;
using static SharpNT.Kernel.Ddi.Wdm;
using static SharpNT.Kernel.Io.DO_FLAGS;
using static SharpNT.Kernel.Io.FILE_DEVICE;
using static SharpNT.Kernel.Io.IRP_MJ;
using static SharpNT.Kernel.Io.IRP_MN;
using static SharpNT.Kernel.NTSTATUS;

namespace SharpNT.Drivers.Toaster;

/// <summary>
/// toaster.sys, the function driver of each toaster the bus reports: AddDevice makes its FDO and registers
/// GUID_DEVINTERFACE_TOASTER, enabled once the device starts. IOCTL_TOASTER_MAKE_TOAST counts toasts;
/// IOCTL_TOASTER_WAIT_FOR_POP waits in a cancel-safe queue for the next one. Every request runs under the
/// device's remove lock. Pulled out (IRP_MN_SURPRISE_REMOVAL), the toaster ends the waiting requests with
/// STATUS_NO_SUCH_DEVICE and refuses new ones the same way; at IRP_MN_REMOVE_DEVICE it waits for the requests
/// in progress, and the remove lock answers any later one STATUS_DELETE_PENDING.
/// </summary>
public sealed class ToasterDriver : DriverImage
{
    private const uint ToasterTag = 0x74736F54; // 'Tost'

    public override string ImageName => "toaster.sys";

    /// <summary>DEVICE_PNP_STATE of the toaster sample.</summary>
    public enum DEVICE_PNP_STATE
    {
        NotStarted,
        Started,
        SurpriseRemovePending,
        Deleted,
    }

    public sealed class PopQueue : IO_CSQ
    {
        public LinkedList<IRP> Pending { get; } = new();

        public KSPIN_LOCK QueueLock { get; } = new();
    }

    /// <summary>The toaster FDO's extension (FDO_DATA).</summary>
    public sealed class FdoData
    {
        public DEVICE_OBJECT Self { get; set; }

        public DEVICE_OBJECT UnderlyingPdo { get; set; }

        public DEVICE_OBJECT NextLowerDriver { get; set; }

        public DEVICE_PNP_STATE DevicePnPState { get; set; } = DEVICE_PNP_STATE.NotStarted;

        public IO_REMOVE_LOCK RemoveLock { get; } = new();

        public PopQueue PopQueue { get; } = new();

        public UNICODE_STRING InterfaceName { get; set; }

        public uint ToastsMade { get; set; }

        public int OpenHandles { get; set; }
    }

    public override NTSTATUS DriverEntry(DRIVER_OBJECT DriverObject, UNICODE_STRING RegistryPath)
    {
        DriverObject.MajorFunction[IRP_MJ_CREATE] = ToasterCreateClose;
        DriverObject.MajorFunction[IRP_MJ_CLEANUP] = ToasterCreateClose;
        DriverObject.MajorFunction[IRP_MJ_CLOSE] = ToasterCreateClose;
        DriverObject.MajorFunction[IRP_MJ_DEVICE_CONTROL] = ToasterDispatchIoctl;
        DriverObject.MajorFunction[IRP_MJ_PNP] = ToasterDispatchPnp;
        DriverObject.DriverExtension.AddDevice = ToasterAddDevice;
        DriverObject.DriverUnload = ToasterUnload;
        return STATUS_SUCCESS;
    }

    private static void ToasterUnload(DRIVER_OBJECT DriverObject)
    {
        // Each FDO went at IRP_MN_REMOVE_DEVICE.
    }

    private static NTSTATUS ToasterAddDevice(DRIVER_OBJECT DriverObject, DEVICE_OBJECT PhysicalDeviceObject)
    {
        var data = new FdoData { UnderlyingPdo = PhysicalDeviceObject };
        var status = IoCreateDevice(DriverObject, data, null, FILE_DEVICE_UNKNOWN, FILE_CHARACTERISTICS.FILE_DEVICE_SECURE_OPEN, false, out var fdo);
        if (!status.IsSuccess())
        {
            return status;
        }

        data.Self = fdo;
        IoInitializeRemoveLock(data.RemoveLock, ToasterTag, 1, 100);
        KeInitializeSpinLock(data.PopQueue.QueueLock);
        IoCsqInitialize(data.PopQueue, CsqInsertIrp, CsqRemoveIrp, CsqPeekNextIrp, CsqAcquireLock, CsqReleaseLock, CsqCompleteCanceledIrp);
        status = IoRegisterDeviceInterface(PhysicalDeviceObject, GUID_DEVINTERFACE_TOASTER, null, out var interfaceName);
        if (!status.IsSuccess())
        {
            IoDeleteDevice(fdo);
            return status;
        }

        data.InterfaceName = interfaceName;
        data.NextLowerDriver = IoAttachDeviceToDeviceStack(fdo, PhysicalDeviceObject);
        if (data.NextLowerDriver.IsNull)
        {
            IoDeleteDevice(fdo);
            return STATUS_NO_SUCH_DEVICE;
        }

        fdo.Flags |= DO_BUFFERED_IO | DO_POWER_PAGABLE;
        fdo.Flags &= ~DO_DEVICE_INITIALIZING;
        return STATUS_SUCCESS;
    }

    /// <summary>Opens and closes: an unplugged toaster cannot be opened (STATUS_NO_SUCH_DEVICE); handles to it can always be closed.</summary>
    private static NTSTATUS ToasterCreateClose(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        var data = IoGetDeviceExtension<FdoData>(DeviceObject);
        var major = IoGetCurrentIrpStackLocation(Irp).MajorFunction;
        if (major == IRP_MJ_CREATE)
        {
            var status = IoAcquireRemoveLock(data.RemoveLock, Irp);
            if (!status.IsSuccess())
            {
                return ToasterIrp.Complete(Irp, status);
            }

            if (data.DevicePnPState != DEVICE_PNP_STATE.Started)
            {
                IoReleaseRemoveLock(data.RemoveLock, Irp);
                return ToasterIrp.Complete(Irp, STATUS_NO_SUCH_DEVICE);
            }

            data.OpenHandles++;
            IoReleaseRemoveLock(data.RemoveLock, Irp);
        }
        else if (major == IRP_MJ_CLOSE)
        {
            data.OpenHandles--;
        }

        return ToasterIrp.Complete(Irp, STATUS_SUCCESS);
    }

    private static NTSTATUS ToasterDispatchIoctl(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        var data = IoGetDeviceExtension<FdoData>(DeviceObject);
        var status = IoAcquireRemoveLock(data.RemoveLock, Irp);
        if (!status.IsSuccess())
        {
            // IRP_MN_REMOVE_DEVICE has begun: STATUS_DELETE_PENDING.
            return ToasterIrp.Complete(Irp, status);
        }

        if (data.DevicePnPState != DEVICE_PNP_STATE.Started)
        {
            IoReleaseRemoveLock(data.RemoveLock, Irp);
            return ToasterIrp.Complete(Irp, STATUS_NO_SUCH_DEVICE);
        }

        var stack = IoGetCurrentIrpStackLocation(Irp);
        var code = stack.Parameters.DeviceIoControl.IoControlCode;
        var buffer = Irp.AssociatedIrp.SystemBuffer;
        if (code == IOCTL_TOASTER_MAKE_TOAST)
        {
            if (stack.Parameters.DeviceIoControl.InputBufferLength < 4 || stack.Parameters.DeviceIoControl.OutputBufferLength < 4)
            {
                status = ToasterIrp.Complete(Irp, STATUS_BUFFER_TOO_SMALL);
            }
            else
            {
                data.ToastsMade += ReadMemory<uint>(buffer);
                WriteMemory(buffer, data.ToastsMade);
                status = ToasterIrp.Complete(Irp, STATUS_SUCCESS, 4);

                // The toast pops: whoever waits for it is told how many toasts there are now.
                for (var waiting = IoCsqRemoveNextIrp(data.PopQueue, null); !waiting.IsNull; waiting = IoCsqRemoveNextIrp(data.PopQueue, null))
                {
                    WriteMemory(waiting.AssociatedIrp.SystemBuffer, data.ToastsMade);
                    ToasterIrp.Complete(waiting, STATUS_SUCCESS, 4);
                    IoReleaseRemoveLock(data.RemoveLock, waiting);
                }
            }
        }
        else if (code == IOCTL_TOASTER_WAIT_FOR_POP)
        {
            if (stack.Parameters.DeviceIoControl.OutputBufferLength < 4)
            {
                status = ToasterIrp.Complete(Irp, STATUS_BUFFER_TOO_SMALL);
            }
            else
            {
                // Queued with the remove lock held: IRP_MN_REMOVE_DEVICE cannot finish while it waits.
                IoCsqInsertIrp(data.PopQueue, Irp, null);
                return STATUS_PENDING;
            }
        }
        else
        {
            status = ToasterIrp.Complete(Irp, STATUS_INVALID_DEVICE_REQUEST);
        }

        IoReleaseRemoveLock(data.RemoveLock, Irp);
        return status;
    }

    private static NTSTATUS ToasterDispatchPnp(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        var data = IoGetDeviceExtension<FdoData>(DeviceObject);
        var stack = IoGetCurrentIrpStackLocation(Irp);
        var status = IoAcquireRemoveLock(data.RemoveLock, Irp);
        if (!status.IsSuccess())
        {
            return ToasterIrp.Complete(Irp, status);
        }

        switch (stack.MinorFunction)
        {
            case IRP_MN_START_DEVICE:
                status = ToasterIrp.SendIrpSynchronously(data.NextLowerDriver, Irp);
                if (status.IsSuccess())
                {
                    data.DevicePnPState = DEVICE_PNP_STATE.Started;
                    IoSetDeviceInterfaceState(data.InterfaceName, true);
                }

                ToasterIrp.Complete(Irp, status);
                IoReleaseRemoveLock(data.RemoveLock, Irp);
                return status;

            case IRP_MN_SURPRISE_REMOVAL:
                // The toaster is gone: waiting requests end now, new ones are refused, the interface disappears.
                data.DevicePnPState = DEVICE_PNP_STATE.SurpriseRemovePending;
                IoSetDeviceInterfaceState(data.InterfaceName, false);
                FailPendingRequests(data, STATUS_NO_SUCH_DEVICE);
                Irp.IoStatus.Status = STATUS_SUCCESS;
                IoSkipCurrentIrpStackLocation(Irp);
                status = IoCallDriver(data.NextLowerDriver, Irp);
                IoReleaseRemoveLock(data.RemoveLock, Irp);
                return status;

            case IRP_MN_REMOVE_DEVICE:
                if (data.DevicePnPState != DEVICE_PNP_STATE.SurpriseRemovePending)
                {
                    IoSetDeviceInterfaceState(data.InterfaceName, false);
                    FailPendingRequests(data, STATUS_DELETE_PENDING);
                }

                data.DevicePnPState = DEVICE_PNP_STATE.Deleted;

                // Wait for every request still inside the driver; after this, acquiring the lock fails.
                IoReleaseRemoveLockAndWait(data.RemoveLock, Irp);
                Irp.IoStatus.Status = STATUS_SUCCESS;
                IoSkipCurrentIrpStackLocation(Irp);
                status = IoCallDriver(data.NextLowerDriver, Irp);
                IoDetachDevice(data.NextLowerDriver);
                IoDeleteDevice(data.Self);
                return status;

            case IRP_MN_QUERY_REMOVE_DEVICE:
            case IRP_MN_CANCEL_REMOVE_DEVICE:
                Irp.IoStatus.Status = STATUS_SUCCESS;
                goto default;

            default:
                IoSkipCurrentIrpStackLocation(Irp);
                status = IoCallDriver(data.NextLowerDriver, Irp);
                IoReleaseRemoveLock(data.RemoveLock, Irp);
                return status;
        }
    }

    private static void FailPendingRequests(FdoData data, NTSTATUS status)
    {
        for (var irp = IoCsqRemoveNextIrp(data.PopQueue, null); !irp.IsNull; irp = IoCsqRemoveNextIrp(data.PopQueue, null))
        {
            ToasterIrp.Complete(irp, status);
            IoReleaseRemoveLock(data.RemoveLock, irp);
        }
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

    /// <summary>A cancelled wait (CancelIo, or its thread ending) completes STATUS_CANCELLED and leaves the remove lock.</summary>
    private static void CsqCompleteCanceledIrp(IO_CSQ Csq, IRP Irp)
    {
        var device = IoGetCurrentIrpStackLocation(Irp).DeviceObject;
        ToasterIrp.Complete(Irp, STATUS_CANCELLED);
        IoReleaseRemoveLock(IoGetDeviceExtension<FdoData>(device).RemoveLock, Irp);
    }

    private static PopQueue QueueOf(IO_CSQ csq) => (PopQueue)csq;
}
