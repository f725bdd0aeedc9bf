using SharpNT.Kernel;
using SharpNT.Kernel.Io;
using static SharpNT.Kernel.Ddi.Wdm;
using static SharpNT.Kernel.Io.IRP_MJ;
using static SharpNT.Kernel.NTSTATUS;

namespace SharpNT.Drivers.Filters;

/// <summary>
/// The activity monitor's fast I/O pass-through (sfilter's SfFastIo* routines): each routine finds the device
/// it is attached to, calls that device's driver's routine for the same entry point if it has one
/// (VALID_FAST_IO_DISPATCH_HANDLER), and records the call and its answer. A control-device filter has nothing
/// to pass fast I/O to and answers FALSE. The byte-range lock entry points pass through the same way.
/// </summary>
public sealed partial class ActivityMonitorDriver
{
    private static readonly uint TagFastIo = PoolTag("AmFi");

    /// <summary>sizeof(FAST_IO_DISPATCH) on x64.</summary>
    private const uint SizeOfFastIoDispatch = 0xE0;

    private NTSTATUS ActivityMonitorInitializeFastIo(DRIVER_OBJECT DriverObject)
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
        dispatch.FastIoCheckIfPossible = ActivityMonitorFastIoCheckIfPossible;
        dispatch.FastIoRead = ActivityMonitorFastIoRead;
        dispatch.FastIoWrite = ActivityMonitorFastIoWrite;
        dispatch.FastIoLock = ActivityMonitorFastIoLock;
        dispatch.FastIoUnlockSingle = ActivityMonitorFastIoUnlockSingle;
        dispatch.FastIoUnlockAll = ActivityMonitorFastIoUnlockAll;
        dispatch.FastIoUnlockAllByKey = ActivityMonitorFastIoUnlockAllByKey;
        DriverObject.FastIoDispatch = dispatch;
        return STATUS_SUCCESS;
    }

    private bool ActivityMonitorFastIoCheckIfPossible(FILE_OBJECT FileObject, in LARGE_INTEGER FileOffset, uint Length, bool Wait, uint LockKey,
        bool CheckForReadOperation, IO_STATUS_BLOCK IoStatus, DEVICE_OBJECT DeviceObject)
    {
        if (LowerFastIo(DeviceObject) is not { } lower)
        {
            return false;
        }

        var fileName = FsRtlGetFileName(FileObject);
        var major = CheckForReadOperation ? IRP_MJ_READ : IRP_MJ_WRITE;
        if (!CheckForReadOperation && IsReadOnlyFor(fileName))
        {
            RecordFastIo("FASTIO_CHECK_IF_POSSIBLE", major, fileName, false, IoStatus);
            return false;
        }

        var result = lower.Dispatch.FastIoCheckIfPossible is { } next
            && next(FileObject, in FileOffset, Length, Wait, LockKey, CheckForReadOperation, IoStatus, lower.Device);
        RecordFastIo("FASTIO_CHECK_IF_POSSIBLE", major, fileName, result, IoStatus);
        return result;
    }

    private bool ActivityMonitorFastIoRead(FILE_OBJECT FileObject, in LARGE_INTEGER FileOffset, uint Length, bool Wait, uint LockKey, ulong Buffer,
        IO_STATUS_BLOCK IoStatus, DEVICE_OBJECT DeviceObject)
    {
        if (LowerFastIo(DeviceObject) is not { } lower)
        {
            return false;
        }

        var result = lower.Dispatch.FastIoRead is { } next && next(FileObject, in FileOffset, Length, Wait, LockKey, Buffer, IoStatus, lower.Device);
        RecordFastIo("FASTIO_READ", IRP_MJ_READ, FsRtlGetFileName(FileObject), result, IoStatus);
        return result;
    }

    /// <summary>Under the read-only prefix: FALSE, so the write comes down as an IRP and is denied with STATUS_ACCESS_DENIED there.</summary>
    private bool ActivityMonitorFastIoWrite(FILE_OBJECT FileObject, in LARGE_INTEGER FileOffset, uint Length, bool Wait, uint LockKey, ulong Buffer,
        IO_STATUS_BLOCK IoStatus, DEVICE_OBJECT DeviceObject)
    {
        if (LowerFastIo(DeviceObject) is not { } lower)
        {
            return false;
        }

        var fileName = FsRtlGetFileName(FileObject);
        var result = !IsReadOnlyFor(fileName)
            && lower.Dispatch.FastIoWrite is { } next && next(FileObject, in FileOffset, Length, Wait, LockKey, Buffer, IoStatus, lower.Device);
        RecordFastIo("FASTIO_WRITE", IRP_MJ_WRITE, fileName, result, IoStatus);
        return result;
    }

    private bool ActivityMonitorFastIoLock(FILE_OBJECT FileObject, in LARGE_INTEGER FileOffset, in LARGE_INTEGER Length, SharpNT.Kernel.Ps.EPROCESS? ProcessId,
        uint Key, bool FailImmediately, bool ExclusiveLock, IO_STATUS_BLOCK IoStatus, DEVICE_OBJECT DeviceObject)
    {
        if (LowerFastIo(DeviceObject) is not { } lower)
        {
            return false;
        }

        var result = lower.Dispatch.FastIoLock is { } next
            && next(FileObject, in FileOffset, in Length, ProcessId, Key, FailImmediately, ExclusiveLock, IoStatus, lower.Device);
        RecordFastIo("FASTIO_LOCK", IRP_MJ_LOCK_CONTROL, FsRtlGetFileName(FileObject), result, IoStatus);
        return result;
    }

    private bool ActivityMonitorFastIoUnlockSingle(FILE_OBJECT FileObject, in LARGE_INTEGER FileOffset, in LARGE_INTEGER Length,
        SharpNT.Kernel.Ps.EPROCESS? ProcessId, uint Key, IO_STATUS_BLOCK IoStatus, DEVICE_OBJECT DeviceObject)
    {
        if (LowerFastIo(DeviceObject) is not { } lower)
        {
            return false;
        }

        var result = lower.Dispatch.FastIoUnlockSingle is { } next && next(FileObject, in FileOffset, in Length, ProcessId, Key, IoStatus, lower.Device);
        RecordFastIo("FASTIO_UNLOCK_SINGLE", IRP_MJ_LOCK_CONTROL, FsRtlGetFileName(FileObject), result, IoStatus);
        return result;
    }

    private bool ActivityMonitorFastIoUnlockAll(FILE_OBJECT FileObject, SharpNT.Kernel.Ps.EPROCESS? ProcessId, IO_STATUS_BLOCK IoStatus,
        DEVICE_OBJECT DeviceObject)
    {
        if (LowerFastIo(DeviceObject) is not { } lower)
        {
            return false;
        }

        var result = lower.Dispatch.FastIoUnlockAll is { } next && next(FileObject, ProcessId, IoStatus, lower.Device);
        RecordFastIo("FASTIO_UNLOCK_ALL", IRP_MJ_LOCK_CONTROL, FsRtlGetFileName(FileObject), result, IoStatus);
        return result;
    }

    private bool ActivityMonitorFastIoUnlockAllByKey(FILE_OBJECT FileObject, SharpNT.Kernel.Ps.EPROCESS? ProcessId, uint Key, IO_STATUS_BLOCK IoStatus,
        DEVICE_OBJECT DeviceObject)
    {
        if (LowerFastIo(DeviceObject) is not { } lower)
        {
            return false;
        }

        var result = lower.Dispatch.FastIoUnlockAllByKey is { } next && next(FileObject, ProcessId, Key, IoStatus, lower.Device);
        RecordFastIo("FASTIO_UNLOCK_ALL_BY_KEY", IRP_MJ_LOCK_CONTROL, FsRtlGetFileName(FileObject), result, IoStatus);
        return result;
    }

    /// <summary>The device below a volume filter and its driver's fast I/O table; null for a control filter or a driver without one.</summary>
    private static (DEVICE_OBJECT Device, FAST_IO_DISPATCH Dispatch)? LowerFastIo(DEVICE_OBJECT DeviceObject)
    {
        var extension = IoGetDeviceExtension<ActivityMonitorExtension>(DeviceObject);
        if (extension.IsControlFilter || extension.Lower.IsNull)
        {
            return null;
        }

        var dispatch = extension.Lower.DriverObject.FastIoDispatch;
        return dispatch.IsNull ? null : (extension.Lower, dispatch);
    }

    private bool IsReadOnlyFor(string fileName) => ReadOnlyPrefix is not null && IsUnderReadOnlyPrefix(fileName);

    private void RecordFastIo(string entryPoint, byte major, string fileName, bool result, IO_STATUS_BLOCK IoStatus) =>
        Record(new ActivityRecord(major, 0, fileName, result ? IoStatus.Status : STATUS_SUCCESS, result ? IoStatus.Information : 0)
        {
            FastIo = entryPoint,
            FastIoResult = result,
        });
}
