using SharpNT.Kernel.FsRtl;
using SharpNT.Kernel.Io;
using static SharpNT.Kernel.Ddi.Wdm;
using static SharpNT.Kernel.Io.IRP_MJ;
using static SharpNT.Kernel.NTSTATUS;

namespace SharpNT.Kernel.Tests.FsRtl;

/// <summary>
/// Kernel half of the FsRtlProcessFileLock tests: a device with one FILE_LOCK (from FsRtlAllocateFileLock,
/// with a CompleteLockIrpRoutine that logs each completion). IRP_MJ_LOCK_CONTROL goes to FsRtlProcessFileLock;
/// IRP_MJ_READ and IRP_MJ_WRITE answer STATUS_FILE_LOCK_CONFLICT when FsRtlCheckLockForRead/WriteAccess says so.
/// </summary>
internal sealed class FileLockDriver : DriverImage
{
    public override string ImageName => "filelock.sys";

    public DEVICE_OBJECT Device { get; private set; }

    public FILE_LOCK FileLock { get; private set; }

    /// <summary>What the CompleteLockIrpRoutine saw: the context and the status, in order.</summary>
    public List<string> Completions { get; } = [];

    public override NTSTATUS DriverEntry(DRIVER_OBJECT DriverObject, UNICODE_STRING RegistryPath)
    {
        var status = IoCreateDevice(DriverObject, 0, new UNICODE_STRING(@"\Device\FileLockTest"), 0x22, 0, false, out var device);
        if (!status.IsSuccess())
        {
            return status;
        }

        FileLock = FsRtlAllocateFileLock(CompleteLockIrp, null);
        Device = device;
        DriverObject.MajorFunction[IRP_MJ_LOCK_CONTROL] = (_, irp) => FsRtlProcessFileLock(FileLock, irp, "ctx");
        DriverObject.MajorFunction[IRP_MJ_READ] = (_, irp) => Transfer(irp, FsRtlCheckLockForReadAccess(FileLock, irp));
        DriverObject.MajorFunction[IRP_MJ_WRITE] = (_, irp) => Transfer(irp, FsRtlCheckLockForWriteAccess(FileLock, irp));
        device.Flags &= ~DO_FLAGS.DO_DEVICE_INITIALIZING;
        return STATUS_SUCCESS;
    }

    private NTSTATUS CompleteLockIrp(object? Context, IRP Irp)
    {
        lock (Completions)
        {
            Completions.Add($"{Context} {Irp.IoStatus.Status}");
        }

        var status = Irp.IoStatus.Status;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return status;
    }

    private static NTSTATUS Transfer(IRP irp, bool allowed)
    {
        irp.IoStatus.Status = allowed ? STATUS_SUCCESS : STATUS_FILE_LOCK_CONFLICT;
        irp.IoStatus.Information = 0;
        var status = irp.IoStatus.Status;
        IoCompleteRequest(irp, IO_NO_INCREMENT);
        return status;
    }
}
