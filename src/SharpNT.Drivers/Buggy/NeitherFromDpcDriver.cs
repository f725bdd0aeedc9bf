using SharpNT.Kernel;
using SharpNT.Kernel.Io;
using SharpNT.Kernel.Ke;
using static SharpNT.Kernel.Ddi.Wdm;
using static SharpNT.Kernel.Io.DO_FLAGS;
using static SharpNT.Kernel.Io.IRP_MJ;
using static SharpNT.Kernel.NTSTATUS;

namespace SharpNT.Drivers.Buggy;

/// <summary>
/// A classic METHOD_NEITHER bug: the driver keeps the requester's raw input address and reads it later
/// from a timer DPC. In the DPC the processor runs in whatever process it interrupted, where that user
/// address means nothing: the read faults at DISPATCH_LEVEL, bug check 0xD1 naming this driver. Reading it
/// in the dispatch routine (the requester's context) works.
/// </summary>
public sealed class NeitherFromDpcDriver : DriverImage
{
    public const string DeviceName = @"\Device\NeitherFromDpc";

    /// <summary>Reads the first input byte in the dispatch routine and returns it in Information.</summary>
    public static readonly uint IOCTL_READ_NOW = IoCtl.CTL_CODE(0x8002, 0x900, IoCtl.METHOD_NEITHER, IoCtl.FILE_ANY_ACCESS);

    /// <summary>Pends the request and reads the input later, from a DPC (the bug).</summary>
    public static readonly uint IOCTL_READ_LATER = IoCtl.CTL_CODE(0x8002, 0x901, IoCtl.METHOD_NEITHER, IoCtl.FILE_ANY_ACCESS);

    public override string ImageName => "neitherdpc.sys";

    public sealed class DeviceExtension
    {
        public KTIMER Timer { get; } = new();

        public KDPC Dpc { get; } = new();

        public IRP Pending { get; set; }
    }

    public override NTSTATUS DriverEntry(DRIVER_OBJECT DriverObject, UNICODE_STRING RegistryPath)
    {
        var extension = new DeviceExtension();
        var status = IoCreateDevice(DriverObject, extension, new UNICODE_STRING(DeviceName), 0x8002, 0, false, out var device);
        if (!status.IsSuccess())
        {
            return status;
        }

        KeInitializeTimer(extension.Timer);
        KeInitializeDpc(extension.Dpc, ReadLaterDpc, extension);
        DriverObject.MajorFunction[IRP_MJ_CREATE] = NeitherCreateClose;
        DriverObject.MajorFunction[IRP_MJ_CLOSE] = NeitherCreateClose;
        DriverObject.MajorFunction[IRP_MJ_DEVICE_CONTROL] = NeitherDeviceControl;
        device.Flags &= ~DO_DEVICE_INITIALIZING;
        return STATUS_SUCCESS;
    }

    private static NTSTATUS NeitherCreateClose(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        Irp.IoStatus.Status = STATUS_SUCCESS;
        Irp.IoStatus.Information = 0;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return STATUS_SUCCESS;
    }

    private static NTSTATUS NeitherDeviceControl(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        var sp = IoGetCurrentIrpStackLocation(Irp);
        if (sp.Parameters.DeviceIoControl.IoControlCode == IOCTL_READ_NOW)
        {
            Irp.IoStatus.Information = ReadMemory<byte>(sp.Parameters.DeviceIoControl.Type3InputBuffer);
            Irp.IoStatus.Status = STATUS_SUCCESS;
            IoCompleteRequest(Irp, IO_NO_INCREMENT);
            return STATUS_SUCCESS;
        }

        var extension = IoGetDeviceExtension<DeviceExtension>(DeviceObject);
        extension.Pending = Irp;
        IoMarkIrpPending(Irp);
        KeSetTimer(extension.Timer, new LARGE_INTEGER(-10_000), extension.Dpc);
        return STATUS_PENDING;
    }

    private static void ReadLaterDpc(KDPC Dpc, object? DeferredContext, object? SystemArgument1, object? SystemArgument2)
    {
        var extension = (DeviceExtension)DeferredContext!;
        var irp = extension.Pending;

        // BUG: Type3InputBuffer is a user address of the requester's process, and this is not it.
        var value = ReadMemory<byte>(IoGetCurrentIrpStackLocation(irp).Parameters.DeviceIoControl.Type3InputBuffer);
        irp.IoStatus.Information = value;
        irp.IoStatus.Status = STATUS_SUCCESS;
        IoCompleteRequest(irp, IO_NO_INCREMENT);
    }
}
