using SharpNT.Kernel.Io;
using SharpNT.Kernel.Ke;
using static SharpNT.Kernel.Ddi.Wdm;
using static SharpNT.Kernel.Io.DO_FLAGS;
using static SharpNT.Kernel.Io.IRP_MJ;
using static SharpNT.Kernel.NTSTATUS;

namespace SharpNT.Kernel.Tests.Io;

/// <summary>
/// Kernel side of the StartIo, direct I/O and cancel-routine tests: a DO_DIRECT_IO device whose reads go
/// through IoStartPacket; a timer DPC "finishes" the current read (filling the MDL's pages) and starts the
/// next with IoStartNextPacket. Device controls pend with a plain cancel routine.
/// </summary>
internal sealed class StartIoDriver(List<string> log) : DriverImage
{
    public override string ImageName => "startio.sys";

    public DEVICE_OBJECT Device { get; private set; }

    public KTIMER Timer { get; } = new();

    public KDPC Dpc { get; } = new();

    public IRP HeldForCancel { get; private set; }

    public override NTSTATUS DriverEntry(DRIVER_OBJECT DriverObject, UNICODE_STRING RegistryPath)
    {
        var status = IoCreateDevice(DriverObject, 0, new UNICODE_STRING(@"\Device\StartIo"), 0x22, 0, false, out var device);
        if (!status.IsSuccess())
        {
            return status;
        }

        Device = device;
        KeInitializeTimer(Timer);
        KeInitializeDpc(Dpc, FinishCurrent, device);
        DriverObject.MajorFunction[IRP_MJ_READ] = QueueRead;
        DriverObject.MajorFunction[IRP_MJ_DEVICE_CONTROL] = HoldForCancel;
        DriverObject.DriverStartIo = StartRead;
        device.Flags |= DO_DIRECT_IO;
        device.Flags &= ~DO_DEVICE_INITIALIZING;
        return STATUS_SUCCESS;
    }

    private NTSTATUS QueueRead(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        log.Add($"queue {IoGetCurrentIrpStackLocation(Irp).Parameters.Read.ByteOffset}");
        IoMarkIrpPending(Irp);
        IoStartPacket(DeviceObject, Irp, null, null);
        return STATUS_PENDING;
    }

    private void StartRead(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        log.Add($"start {IoGetCurrentIrpStackLocation(Irp).Parameters.Read.ByteOffset} irql {KeGetCurrentIrql()} current {(DeviceObject.CurrentIrp == Irp ? "yes" : "no")}");
        KeSetTimer(Timer, new LARGE_INTEGER(-10_000), Dpc);
    }

    private void FinishCurrent(KDPC dpc, object? context, object? a1, object? a2)
    {
        var device = (DEVICE_OBJECT)context!;
        var irp = device.CurrentIrp;
        var sp = IoGetCurrentIrpStackLocation(irp);
        var length = sp.Parameters.Read.Length;
        var data = MmGetSystemAddressForMdlSafe(irp.MdlAddress, NormalPagePriority);
        RtlFillMemory(data, length, (byte)sp.Parameters.Read.ByteOffset);
        log.Add($"finish {sp.Parameters.Read.ByteOffset}");
        irp.IoStatus.Status = STATUS_SUCCESS;
        irp.IoStatus.Information = length;
        IoStartNextPacket(device, false);
        IoCompleteRequest(irp, IO_NO_INCREMENT);
    }

    private NTSTATUS HoldForCancel(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        IoMarkIrpPending(Irp);
        HeldForCancel = Irp;
        IoSetCancelRoutine(Irp, CancelHeld);
        return STATUS_PENDING;
    }

    private void CancelHeld(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        log.Add($"cancel routine irql {KeGetCurrentIrql()} cancel {Irp.Cancel}");
        IoReleaseCancelSpinLock(Irp.CancelIrql);
        Irp.IoStatus.Status = STATUS_CANCELLED;
        Irp.IoStatus.Information = 0;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
    }
}
