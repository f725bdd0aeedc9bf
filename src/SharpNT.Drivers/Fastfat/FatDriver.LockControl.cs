using SharpNT.Kernel;
using SharpNT.Kernel.Io;
using SharpNT.Kernel.Ps;
using static SharpNT.Kernel.Ddi.Wdm;
using static SharpNT.Kernel.NTSTATUS;

namespace SharpNT.Drivers.Fastfat;

/// <summary>
/// Byte-range locks (fastfat's lockctrl.c): each data file's FCB block holds a FILE_LOCK, and the FsRtl
/// package does the work. IRP_MJ_LOCK_CONTROL goes to FsRtlProcessFileLock (which completes the IRP, or
/// pends a lock that waits); the fast I/O lock routines call FsRtlFastLock and the fast unlocks. Reads and
/// writes check the locks before they touch the file (STATUS_FILE_LOCK_CONFLICT), and cleanup releases
/// the locks the closing process held through the file object.
/// </summary>
public sealed partial class FatDriver
{
    /// <summary>
    /// IRP_MJ_LOCK_CONTROL: only on a data file (a directory or the volume is STATUS_INVALID_PARAMETER). The
    /// IRP is FsRtlProcessFileLock's to complete; its status (STATUS_PENDING for a lock that waits) is returned.
    /// </summary>
    private NTSTATUS FatFsdLockControl(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        if (DeviceObject == _controlDevice)
        {
            return Complete(Irp, STATUS_INVALID_DEVICE_REQUEST, 0);
        }

        var vcb = IoGetDeviceExtension<FatVcb>(DeviceObject);
        KeWaitForSingleObject(vcb.Resource, Executive, KernelMode, false, null);
        FatFcbBlock? block;
        try
        {
            if (vcb.Dismounted)
            {
                return Complete(Irp, STATUS_VOLUME_DISMOUNTED, 0);
            }

            block = LockTarget(vcb, IoGetCurrentIrpStackLocation(Irp).FileObject);
        }
        finally
        {
            KeReleaseMutex(vcb.Resource, false);
        }

        // FsRtlProcessFileLock runs outside the volume resource: granting a waiter completes its IRP, and a
        // lock that must wait is pended there, neither of which needs the volume.
        return block is null ? Complete(Irp, STATUS_INVALID_PARAMETER, 0) : FsRtlProcessFileLock(block.FileLock, Irp, null);
    }

    /// <summary>FastIoLock (FatFastLock): FsRtlFastLock on the file's FILE_LOCK; FALSE for anything but a data file, or a lock that must wait.</summary>
    private bool FatFastLock(FILE_OBJECT FileObject, in LARGE_INTEGER FileOffset, in LARGE_INTEGER Length, EPROCESS? ProcessId, uint Key,
        bool FailImmediately, bool ExclusiveLock, IO_STATUS_BLOCK IoStatus, DEVICE_OBJECT DeviceObject)
    {
        if (FastLockTarget(DeviceObject, FileObject) is not { } block)
        {
            return false;
        }

        return FsRtlFastLock(block.FileLock, FileObject, in FileOffset, in Length, ProcessId, Key, FailImmediately, ExclusiveLock, IoStatus, null,
            false);
    }

    /// <summary>FastIoUnlockSingle (FatFastUnlockSingle): FsRtlFastUnlockSingle; its status in IoStatus.</summary>
    private bool FatFastUnlockSingle(FILE_OBJECT FileObject, in LARGE_INTEGER FileOffset, in LARGE_INTEGER Length, EPROCESS? ProcessId, uint Key,
        IO_STATUS_BLOCK IoStatus, DEVICE_OBJECT DeviceObject)
    {
        if (FastLockTarget(DeviceObject, FileObject) is not { } block)
        {
            return false;
        }

        IoStatus.Status = FsRtlFastUnlockSingle(block.FileLock, FileObject, in FileOffset, in Length, ProcessId, Key, null, false);
        IoStatus.Information = 0;
        return true;
    }

    /// <summary>FastIoUnlockAll (FatFastUnlockAll): FsRtlFastUnlockAll for the process.</summary>
    private bool FatFastUnlockAll(FILE_OBJECT FileObject, EPROCESS? ProcessId, IO_STATUS_BLOCK IoStatus, DEVICE_OBJECT DeviceObject)
    {
        if (FastLockTarget(DeviceObject, FileObject) is not { } block)
        {
            return false;
        }

        IoStatus.Status = FsRtlFastUnlockAll(block.FileLock, FileObject, ProcessId, null);
        IoStatus.Information = 0;
        return true;
    }

    /// <summary>FastIoUnlockAllByKey (FatFastUnlockAllByKey): FsRtlFastUnlockAllByKey for the process and key.</summary>
    private bool FatFastUnlockAllByKey(FILE_OBJECT FileObject, EPROCESS? ProcessId, uint Key, IO_STATUS_BLOCK IoStatus, DEVICE_OBJECT DeviceObject)
    {
        if (FastLockTarget(DeviceObject, FileObject) is not { } block)
        {
            return false;
        }

        IoStatus.Status = FsRtlFastUnlockAllByKey(block.FileLock, FileObject, ProcessId, Key, null);
        IoStatus.Information = 0;
        return true;
    }

    /// <summary>The FCB block of a data file's open on a mounted volume, for a fast lock routine; null: decline.</summary>
    private FatFcbBlock? FastLockTarget(DEVICE_OBJECT DeviceObject, FILE_OBJECT FileObject)
    {
        if (!FatAcquireForFastIo(DeviceObject, true, out var vcb))
        {
            return null;
        }

        try
        {
            return LockTarget(vcb, FileObject);
        }
        finally
        {
            KeReleaseMutex(vcb.Resource, false);
        }
    }

    /// <summary>The FCB block whose FILE_LOCK a lock request on the open uses; null for a directory or volume open.</summary>
    private static FatFcbBlock? LockTarget(FatVcb vcb, FILE_OBJECT file) =>
        CcbOf(vcb, file) is { Fcb: { IsDirectory: false } fcb } && vcb.Fcbs.TryGetValue(fcb, out var block) ? block : null;

    /// <summary>
    /// The read and write IRP paths' lock check, with the offset already resolved (FsRtlCheckLockForReadAccess's
    /// rule; the requester is the IRP's process). Paging I/O is not checked, as on NT.
    /// </summary>
    private static bool FatCheckLockAccess(FatVcb vcb, FatFcb fcb, IRP irp, IO_STACK_LOCATION irpSp, long offset, uint length, bool write) =>
        (irp.Flags & IRP_FLAGS.IRP_PAGING_IO) != 0
        || LocksAllow(vcb, fcb, irpSp.FileObject, offset, length, irpSp.Parameters.Read.Key, irp, write);

    /// <summary>The fast I/O paths' lock check (the requester is the current process): FALSE makes them decline, so the IRP path reports the conflict.</summary>
    private static bool FatFastCheckLockAccess(FatVcb vcb, FatFcb fcb, FILE_OBJECT file, long offset, uint length, uint key, bool write) =>
        LocksAllow(vcb, fcb, file, offset, length, key, IRP.NULL, write);

    /// <summary>
    /// Whether the file's byte-range locks let the requester (the IRP's process, or the current process for
    /// fast I/O) read or write the range; a file with no locks is answered without looking further.
    /// </summary>
    private static bool LocksAllow(FatVcb vcb, FatFcb fcb, FILE_OBJECT file, long offset, uint length, uint key, IRP irp, bool write)
    {
        if (!vcb.Fcbs.TryGetValue(fcb, out var block) || !FsRtlAreThereCurrentFileLocks(block.FileLock))
        {
            return true;
        }

        var start = new LARGE_INTEGER(offset);
        var count = new LARGE_INTEGER(length);
        var process = irp.IsNull ? PsGetCurrentProcess() : IoGetRequestorProcess(irp);
        return write
            ? FsRtlFastCheckLockForWrite(block.FileLock, in start, in count, key, file, process)
            : FsRtlFastCheckLockForRead(block.FileLock, in start, in count, key, file, process);
    }
}
