using SharpNT.Kernel.Io;
using static SharpNT.Kernel.Ddi.Wdm;
using static SharpNT.Kernel.Io.DO_FLAGS;
using static SharpNT.Kernel.Io.IRP_MJ;
using static SharpNT.Kernel.NTSTATUS;

namespace SharpNT.Kernel.Tests.Io;

/// <summary>
/// The kernel-side half of the I/O conformance tests: a configurable layer driver. Each instance creates
/// one device, attaches it on top of a named device (if any), and passes requests down with a completion
/// routine, recording what it saw in a shared log.
/// </summary>
internal sealed class LayerDriver(string name, string? attachTo, List<string> log) : DriverImage
{
    public override string ImageName => name + ".sys";

    /// <summary>How the layer treats IRP_MJ_DEVICE_CONTROL.</summary>
    public LayerBehaviour Behaviour { get; init; } = LayerBehaviour.PassDownWithRoutine;

    /// <summary>What this layer's completion routine returns.</summary>
    public NTSTATUS RoutineResult { get; init; } = STATUS_SUCCESS;

    public bool InvokeOnSuccess { get; init; } = true;

    public bool InvokeOnError { get; init; } = true;

    /// <summary>For a completing layer: the status it completes with.</summary>
    public NTSTATUS CompleteWith { get; init; } = STATUS_SUCCESS;

    public DEVICE_OBJECT Device { get; private set; }

    public DEVICE_OBJECT Lower { get; private set; }

    /// <summary>IRPs a pending bottom layer holds until the test completes them.</summary>
    public List<IRP> Held { get; } = [];

    public override NTSTATUS DriverEntry(DRIVER_OBJECT DriverObject, UNICODE_STRING RegistryPath)
    {
        var status = IoCreateDevice(DriverObject, 0, new UNICODE_STRING(@"\Device\" + name), 0x22, 0, false, out var device);
        if (!status.IsSuccess())
        {
            return status;
        }

        Device = device;
        if (attachTo is not null)
        {
            status = IoGetDeviceObjectPointer(new UNICODE_STRING(@"\Device\" + attachTo), FILE_ALL_ACCESS, out var file, out var target);
            if (!status.IsSuccess())
            {
                return status;
            }

            Lower = IoAttachDeviceToDeviceStack(device, target);
            ObDereferenceObject(file);
        }

        DriverObject.MajorFunction[IRP_MJ_CREATE] = CreateClose;
        DriverObject.MajorFunction[IRP_MJ_CLOSE] = CreateClose;
        DriverObject.MajorFunction[IRP_MJ_DEVICE_CONTROL] = DeviceControl;
        device.Flags &= ~DO_DEVICE_INITIALIZING;
        return STATUS_SUCCESS;
    }

    private NTSTATUS CreateClose(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        Irp.IoStatus.Status = STATUS_SUCCESS;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return STATUS_SUCCESS;
    }

    private NTSTATUS DeviceControl(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        var sp = IoGetCurrentIrpStackLocation(Irp);
        log.Add($"dispatch {name} location {Irp.CurrentLocation} sl 0x{sp.Address:x} device {(sp.DeviceObject == DeviceObject ? "self" : "other")}");
        switch (Behaviour)
        {
            case LayerBehaviour.Complete:
                Irp.IoStatus.Status = CompleteWith;
                Irp.IoStatus.Information = 7;
                IoCompleteRequest(Irp, IO_NO_INCREMENT);
                return CompleteWith;

            case LayerBehaviour.Pend:
                IoMarkIrpPending(Irp);
                Held.Add(Irp);
                return STATUS_PENDING;

            case LayerBehaviour.CopyDown:
                IoCopyCurrentIrpStackLocationToNext(Irp);
                return IoCallDriver(Lower, Irp);

            case LayerBehaviour.Skip:
                IoSkipCurrentIrpStackLocation(Irp);
                return IoCallDriver(Lower, Irp);

            default:
                IoCopyCurrentIrpStackLocationToNext(Irp);
                IoSetCompletionRoutine(Irp, LayerCompletion, name, InvokeOnSuccess, InvokeOnError, true);
                return IoCallDriver(Lower, Irp);
        }
    }

    private NTSTATUS LayerCompletion(DEVICE_OBJECT DeviceObject, IRP Irp, object? Context)
    {
        log.Add($"completion {Context} location {Irp.CurrentLocation} pending {Irp.PendingReturned} device {(DeviceObject == Device ? "self" : DeviceObject.IsNull ? "null" : "other")} status {Irp.IoStatus.Status}");
        if (RoutineResult != STATUS_MORE_PROCESSING_REQUIRED && Irp.PendingReturned)
        {
            IoMarkIrpPending(Irp);
        }

        return RoutineResult;
    }
}

internal enum LayerBehaviour
{
    PassDownWithRoutine,
    Skip,
    CopyDown,
    Complete,
    Pend,
}
