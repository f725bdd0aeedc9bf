using static SharpNT.Kernel.Ddi.Wdm;
using static SharpNT.Kernel.Io.DO_FLAGS;
using static SharpNT.Kernel.Io.IRP_MJ;
using static SharpNT.Kernel.NTSTATUS;

namespace SharpNT.Kernel.Io;

/// <summary>
/// condrv.sys, the console driver: \Device\ConDrv, whose file objects are the standard handles a user
/// process is started with. What a program writes goes to the machine's console (the screen the machine
/// prints its blue screens on) as UTF-8 text; reading gets the end of the input, as the machine has no
/// keyboard yet. Boot-loaded by the process manager before the first user process.
/// </summary>
internal sealed class ConsoleDriver(Machine machine) : DriverImage
{
    internal const string DeviceName = @"\Device\ConDrv";

    /// <summary>FILE_DEVICE_CONSOLE as winioctl.h defines it (the DDK headers do not).</summary>
    private const uint FILE_DEVICE_CONSOLE = 0x00000050;

    public override string ImageName => "condrv.sys";

    public override NTSTATUS DriverEntry(DRIVER_OBJECT DriverObject, UNICODE_STRING RegistryPath)
    {
        var status = IoCreateDevice(DriverObject, 0, new UNICODE_STRING(DeviceName), FILE_DEVICE_CONSOLE, 0, false, out var device);
        if (!status.IsSuccess())
        {
            return status;
        }

        DriverObject.MajorFunction[IRP_MJ_CREATE] = ConDrvComplete;
        DriverObject.MajorFunction[IRP_MJ_CLEANUP] = ConDrvComplete;
        DriverObject.MajorFunction[IRP_MJ_CLOSE] = ConDrvComplete;
        DriverObject.MajorFunction[IRP_MJ_FLUSH_BUFFERS] = ConDrvComplete;
        DriverObject.MajorFunction[IRP_MJ_WRITE] = ConDrvWrite;
        DriverObject.MajorFunction[IRP_MJ_READ] = ConDrvRead;
        device.Flags |= DO_BUFFERED_IO;
        device.Flags &= ~DO_DEVICE_INITIALIZING;
        return STATUS_SUCCESS;
    }

    private static NTSTATUS ConDrvComplete(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        Irp.IoStatus.Status = STATUS_SUCCESS;
        Irp.IoStatus.Information = 0;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return STATUS_SUCCESS;
    }

    private NTSTATUS ConDrvWrite(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        var irpSp = IoGetCurrentIrpStackLocation(Irp);
        var length = irpSp.Parameters.Write.Length;
        if (length > 0)
        {
            var bytes = new byte[length];
            CopyToHost(Irp.AssociatedIrp.SystemBuffer, bytes);
            machine.WriteConsoleText(System.Text.Encoding.UTF8.GetString(bytes));
        }

        Irp.IoStatus.Status = STATUS_SUCCESS;
        Irp.IoStatus.Information = length;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return STATUS_SUCCESS;
    }

    private static NTSTATUS ConDrvRead(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        Irp.IoStatus.Status = STATUS_END_OF_FILE;
        Irp.IoStatus.Information = 0;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return STATUS_END_OF_FILE;
    }
}
