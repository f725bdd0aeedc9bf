using SharpNT.Kernel;
using SharpNT.Kernel.Io;
using static SharpNT.Kernel.Ddi.Wdm;
using static SharpNT.Kernel.NTSTATUS;

namespace SharpNT.Drivers.Fastfat;

/// <summary>
/// fastfat's fast I/O entry points (FatFastIoDispatch): reads and writes of a cached file served straight
/// from the volume's cache in the requester's thread, with no IRP. Each routine answers FALSE whenever it
/// cannot do the whole request simply (the open is not cached, a directory, an append, a byte-range lock in the
/// way, the volume gone, the resource not free when Wait is FALSE, an error); the I/O manager then sends the
/// IRP, whose path reports every error in full. The lock routines are in FatDriver.LockControl.
/// </summary>
public sealed partial class FatDriver
{
    private static readonly uint TagFastIo = PoolTag("FatD");

    /// <summary>sizeof(FAST_IO_DISPATCH) on x64.</summary>
    private const uint SizeOfFastIoDispatch = 0xE0;

    /// <summary>ByteOffset of FILE_WRITE_TO_END_OF_FILE, which FsRtlCopyWrite resolves; fastfat leaves appends to the IRP path.</summary>
    private const long WriteToEndOfFile = -1;

    /// <summary>The table DriverObject->FastIoDispatch points at, filled as FatInitializeFastIoDispatch does in DriverEntry.</summary>
    private NTSTATUS FatInitializeFastIoDispatch(DRIVER_OBJECT DriverObject)
    {
        var address = ExAllocatePool2(POOL_FLAG_NON_PAGED, SizeOfFastIoDispatch, TagFastIo);
        if (address == 0)
        {
            return STATUS_INSUFFICIENT_RESOURCES;
        }

        RtlZeroMemory(address, SizeOfFastIoDispatch);
        var dispatch = new FAST_IO_DISPATCH(address)
        {
            SizeOfFastIoDispatch = SizeOfFastIoDispatch,
        };
        dispatch.FastIoCheckIfPossible = FatFastIoCheckIfPossible;
        dispatch.FastIoRead = FatFastIoRead;
        dispatch.FastIoWrite = FatFastIoWrite;
        dispatch.FastIoLock = FatFastLock;
        dispatch.FastIoUnlockSingle = FatFastUnlockSingle;
        dispatch.FastIoUnlockAll = FatFastUnlockAll;
        dispatch.FastIoUnlockAllByKey = FatFastUnlockAllByKey;
        DriverObject.FastIoDispatch = dispatch;
        return STATUS_SUCCESS;
    }

    /// <summary>
    /// FastIoCheckIfPossible: TRUE when a read (or write) of the open could be done by fast I/O now: a cached data
    /// file on a mounted volume, and no byte-range lock of another owner in the way (FsRtlFastCheckLockForRead /
    /// FsRtlFastCheckLockForWrite), so that a conflict goes to the IRP path and its STATUS_FILE_LOCK_CONFLICT.
    /// </summary>
    private bool FatFastIoCheckIfPossible(FILE_OBJECT FileObject, in LARGE_INTEGER FileOffset, uint Length, bool Wait, uint LockKey,
        bool CheckForReadOperation, IO_STATUS_BLOCK IoStatus, DEVICE_OBJECT DeviceObject)
    {
        if (!FatAcquireForFastIo(DeviceObject, Wait, out var vcb))
        {
            return false;
        }

        try
        {
            return FastIoTarget(vcb, FileObject) is { } fcb
                && (CheckForReadOperation || (FileOffset.QuadPart != WriteToEndOfFile && !vcb.Volume.IsReadOnly && !fcb.IsDeleted))
                && FatFastCheckLockAccess(vcb, fcb, FileObject, FileOffset.QuadPart, Length, LockKey, write: !CheckForReadOperation);
        }
        finally
        {
            KeReleaseMutex(vcb.Resource, false);
        }
    }

    /// <summary>
    /// FastIoRead (FsRtlCopyRead's work): at or past the end of file STATUS_END_OF_FILE; otherwise CcCopyRead into
    /// the caller's buffer, the file object's CurrentByteOffset moved past what was read and FO_FILE_FAST_IO_READ set.
    /// </summary>
    private bool FatFastIoRead(FILE_OBJECT FileObject, in LARGE_INTEGER FileOffset, uint Length, bool Wait, uint LockKey, ulong Buffer,
        IO_STATUS_BLOCK IoStatus, DEVICE_OBJECT DeviceObject)
    {
        var offset = FileOffset.QuadPart;
        if (offset < 0 || !FatAcquireForFastIo(DeviceObject, Wait, out var vcb))
        {
            return false;
        }

        try
        {
            if (FastIoTarget(vcb, FileObject) is not { } fcb || !FatFastCheckLockAccess(vcb, fcb, FileObject, offset, Length, LockKey, write: false))
            {
                return false;
            }

            NTSTATUS status;
            ulong information = 0;
            if (Length == 0)
            {
                status = STATUS_SUCCESS;
            }
            else if (offset >= fcb.FileSize)
            {
                status = STATUS_END_OF_FILE;
            }
            else
            {
                status = FatCopyRead(vcb, fcb, offset, Length, Buffer, out information);
                if (!status.IsSuccess())
                {
                    return false;
                }
            }

            if ((FileObject.Flags & FO_FLAGS.FO_SYNCHRONOUS_IO) != 0)
            {
                FileObject.CurrentByteOffset = offset + (long)information;
            }

            FileObject.Flags |= FO_FLAGS.FO_FILE_FAST_IO_READ;
            IoStatus.Status = status;
            IoStatus.Information = information;
            return true;
        }
        catch (NtException)
        {
            // FsRtlCopyRead's exception handler: a buffer that faults makes the fast path decline, and the
            // IRP path reports the error.
            return false;
        }
        finally
        {
            KeReleaseMutex(vcb.Resource, false);
        }
    }

    /// <summary>
    /// FastIoWrite (FsRtlCopyWrite's work): CcCopyWrite from the caller's buffer into the file, extending it as
    /// needed; the file object is marked modified and its CurrentByteOffset moved on. Appends and anything that
    /// fails go to the IRP path.
    /// </summary>
    private bool FatFastIoWrite(FILE_OBJECT FileObject, in LARGE_INTEGER FileOffset, uint Length, bool Wait, uint LockKey, ulong Buffer,
        IO_STATUS_BLOCK IoStatus, DEVICE_OBJECT DeviceObject)
    {
        var offset = FileOffset.QuadPart;
        if (offset < 0 || !FatAcquireForFastIo(DeviceObject, Wait, out var vcb))
        {
            return false;
        }

        try
        {
            if (FastIoTarget(vcb, FileObject) is not { } fcb || vcb.Volume.IsReadOnly
                || !FatFastCheckLockAccess(vcb, fcb, FileObject, offset, Length, LockKey, write: true))
            {
                return false;
            }

            ulong information = 0;
            if (Length != 0)
            {
                var status = FatCopyWrite(vcb, fcb, offset, Length, Buffer, out information);
                if (!status.IsSuccess())
                {
                    return false;
                }

                FileObject.Flags |= FO_FLAGS.FO_FILE_MODIFIED;
            }

            if ((FileObject.Flags & FO_FLAGS.FO_SYNCHRONOUS_IO) != 0)
            {
                FileObject.CurrentByteOffset = offset + (long)information;
            }

            IoStatus.Status = STATUS_SUCCESS;
            IoStatus.Information = information;
            return true;
        }
        catch (NtException)
        {
            return false;
        }
        finally
        {
            KeReleaseMutex(vcb.Resource, false);
        }
    }

    /// <summary>
    /// The volume's resource for a fast I/O routine: waited for when Wait is TRUE, taken only if free when it
    /// is FALSE. False for the control device and a volume that is gone (nothing held then).
    /// </summary>
    private bool FatAcquireForFastIo(DEVICE_OBJECT DeviceObject, bool Wait, out FatVcb vcb)
    {
        vcb = null!;
        if (DeviceObject == _controlDevice)
        {
            return false;
        }

        vcb = IoGetDeviceExtension<FatVcb>(DeviceObject);
        var status = KeWaitForSingleObject(vcb.Resource, Executive, KernelMode, false, Wait ? null : new LARGE_INTEGER(0));
        if (status != STATUS_SUCCESS)
        {
            return false;
        }

        if (vcb.Dismounted)
        {
            KeReleaseMutex(vcb.Resource, false);
            return false;
        }

        return true;
    }

    /// <summary>The data file of a cached open (FileObject->PrivateCacheMap set), or null: fast I/O is not for it.</summary>
    private static FatFcb? FastIoTarget(FatVcb vcb, FILE_OBJECT file) =>
        file.PrivateCacheMap != 0 && CcbOf(vcb, file) is { PrivateCacheMap: not 0, Fcb: { IsDirectory: false, IsDeleted: false } fcb } ? fcb : null;
}
