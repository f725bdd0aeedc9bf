using SharpNT.Kernel;
using SharpNT.Kernel.Io;
using SharpNT.Kernel.Ke;
using static SharpNT.Kernel.Ddi.Wdm;
using static SharpNT.Kernel.Io.DO_FLAGS;
using static SharpNT.Kernel.Io.IRP_MJ;
using static SharpNT.Kernel.Io.IRP_MN;
using static SharpNT.Kernel.NTSTATUS;

namespace SharpNT.Drivers.Filters;

/// <summary>
/// A legacy file-system filter (the sfilter model): IoRegisterFsRegistrationChange tells it of each file
/// system; it attaches above the file system's control device, watches IRP_MN_MOUNT_VOLUME go by, and when
/// a mount succeeds attaches above the new volume device. Above a volume it records every request (major,
/// minor, file name, status, information) and passes it down. With <see cref="ReadOnlyPrefix"/> set, what would
/// change a file under that path (a create asking for write or delete access or making or overwriting a file, a
/// write, a delete, rename or truncation) fails with STATUS_ACCESS_DENIED before the file system sees it.
/// Fast I/O passes through too: a filter without fast I/O routines would turn fast I/O off for the whole
/// stack, so it has FastIoCheckIfPossible, FastIoRead and FastIoWrite that record the call and hand it to the
/// driver below (FALSE when that driver has none). Under the read-only prefix FastIoWrite answers FALSE, so
/// the write comes down as an IRP and is denied there.
/// </summary>
public sealed partial class ActivityMonitorDriver(string? readOnlyPrefix = null, int maxRecords = ActivityMonitorDriver.DefaultMaxRecords) : DriverImage
{
    private const uint WriteAccessRights = AccessMask.FILE_WRITE_DATA | AccessMask.FILE_APPEND_DATA | AccessMask.FILE_WRITE_ATTRIBUTES
        | AccessMask.FILE_WRITE_EA | AccessMask.DELETE | AccessMask.WRITE_DAC | AccessMask.WRITE_OWNER;

    // FILE_INFORMATION_CLASS values that change a file's existence, name or size.
    private const int FileRenameInformation = 10;
    private const int FileDispositionInformation = 13;
    private const int FileAllocationInformation = 19;
    private const int FileEndOfFileInformation = 20;
    private const int FileDispositionInformationEx = 64;
    private const int FileRenameInformationEx = 65;

    /// <summary>The default of <see cref="MaxRecords"/>.</summary>
    public const int DefaultMaxRecords = 65_536;

    private readonly Queue<ActivityRecord> _log = new();
    private DRIVER_OBJECT _driverObject;

    public override string ImageName => "actmon.sys";

    /// <summary>The path prefix made read-only (e.g. <c>\PROTECTED</c>), or null.</summary>
    public string? ReadOnlyPrefix { get; } = readOnlyPrefix is null ? null : readOnlyPrefix.TrimEnd('\\');

    /// <summary>The requests seen on filtered volumes (the most recent <see cref="MaxRecords"/>), in completion order.</summary>
    public IReadOnlyList<ActivityRecord> Log
    {
        get
        {
            lock (_log)
            {
                return [.. _log];
            }
        }
    }

    /// <summary>
    /// Records kept: the most recent this many. Like minispy's bounded record buffer, the monitor keeps a window
    /// rather than every request since boot, and counts what fell out of it (<see cref="DroppedRecords"/>).
    /// </summary>
    public int MaxRecords { get; } = maxRecords > 0 ? maxRecords : throw new ArgumentOutOfRangeException(nameof(maxRecords));

    /// <summary>Records that fell out of the window of <see cref="MaxRecords"/>, oldest first.</summary>
    public long DroppedRecords { get; private set; }

    /// <summary>Volumes this filter attached to.</summary>
    public int AttachedVolumeCount { get; private set; }

    public override NTSTATUS DriverEntry(DRIVER_OBJECT DriverObject, UNICODE_STRING RegistryPath)
    {
        _driverObject = DriverObject;
        for (var major = 0; major <= IRP_MJ_MAXIMUM_FUNCTION; major++)
        {
            DriverObject.MajorFunction[major] = ActivityMonitorDispatch;
        }

        var status = ActivityMonitorInitializeFastIo(DriverObject);
        if (!status.IsSuccess())
        {
            return status;
        }

        return IoRegisterFsRegistrationChange(DriverObject, ActivityMonitorFsNotification);
    }

    /// <summary>A file system registered: attach above its control device. Unregistered: detach and delete that filter device.</summary>
    private void ActivityMonitorFsNotification(DEVICE_OBJECT DeviceObject, bool FsActive)
    {
        if (FsActive)
        {
            AttachFilter(DeviceObject, isControlFilter: true);
            return;
        }

        for (var device = _driverObject.DeviceObject; !device.IsNull; device = device.NextDevice)
        {
            var extension = IoGetDeviceExtension<ActivityMonitorExtension>(device);
            if (extension.IsControlFilter && extension.Filtered == DeviceObject)
            {
                IoDetachDevice(extension.Lower);
                IoDeleteDevice(device);
                return;
            }
        }
    }

    private NTSTATUS AttachFilter(DEVICE_OBJECT target, bool isControlFilter)
    {
        var extension = new ActivityMonitorExtension { IsControlFilter = isControlFilter, Filtered = target };
        var status = IoCreateDevice(_driverObject, extension, null, target.DeviceType, 0, false, out var filter);
        if (!status.IsSuccess())
        {
            return status;
        }

        var lower = IoAttachDeviceToDeviceStack(filter, target);
        if (lower.IsNull)
        {
            IoDeleteDevice(filter);
            return STATUS_NO_SUCH_DEVICE;
        }

        extension.Lower = lower;

        // A filter takes on the buffering the device below expects, so requests are built as it needs them.
        filter.Flags |= lower.Flags & (DO_BUFFERED_IO | DO_DIRECT_IO);
        filter.Flags &= ~DO_DEVICE_INITIALIZING;
        if (!isControlFilter)
        {
            AttachedVolumeCount++;
        }

        return STATUS_SUCCESS;
    }

    private NTSTATUS ActivityMonitorDispatch(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        var extension = IoGetDeviceExtension<ActivityMonitorExtension>(DeviceObject);
        var irpSp = IoGetCurrentIrpStackLocation(Irp);
        if (extension.IsControlFilter)
        {
            if (irpSp.MajorFunction == IRP_MJ_FILE_SYSTEM_CONTROL && irpSp.MinorFunction == IRP_MN_MOUNT_VOLUME)
            {
                return ActivityMonitorMount(extension, Irp, irpSp);
            }

            IoSkipCurrentIrpStackLocation(Irp);
            return IoCallDriver(extension.Lower, Irp);
        }

        var fileName = irpSp.FileObject.IsNull ? "" : FsRtlGetFileName(irpSp.FileObject);
        if (ReadOnlyPrefix is not null && IsUnderReadOnlyPrefix(fileName) && WouldModify(irpSp))
        {
            Record(new ActivityRecord(irpSp.MajorFunction, irpSp.MinorFunction, fileName, STATUS_ACCESS_DENIED, 0));
            Irp.IoStatus.Status = STATUS_ACCESS_DENIED;
            Irp.IoStatus.Information = 0;
            IoCompleteRequest(Irp, IO_NO_INCREMENT);
            return STATUS_ACCESS_DENIED;
        }

        IoCopyCurrentIrpStackLocationToNext(Irp);
        IoSetCompletionRoutine(Irp, ActivityMonitorCompletion,
            new ActivityRecord(irpSp.MajorFunction, irpSp.MinorFunction, fileName, STATUS_PENDING, 0), true, true, true);
        return IoCallDriver(extension.Lower, Irp);
    }

    private NTSTATUS ActivityMonitorCompletion(DEVICE_OBJECT DeviceObject, IRP Irp, object? Context)
    {
        if (Irp.PendingReturned)
        {
            IoMarkIrpPending(Irp);
        }

        Record(((ActivityRecord)Context!) with { Status = Irp.IoStatus.Status, Information = Irp.IoStatus.Information });
        return STATUS_CONTINUE_COMPLETION;
    }

    /// <summary>
    /// A mount going by: it goes down with a completion routine that only signals, so the attach to the new
    /// volume device happens here at PASSIVE_LEVEL once the file system has answered, before the IRP completes.
    /// </summary>
    private NTSTATUS ActivityMonitorMount(ActivityMonitorExtension extension, IRP Irp, IO_STACK_LOCATION irpSp)
    {
        // The VPB, saved now: the file system names its volume device there.
        var vpb = new VPB(irpSp.Parameters.MountVolume.Vpb);
        var done = new KEVENT();
        KeInitializeEvent(done, NotificationEvent, false);
        IoCopyCurrentIrpStackLocationToNext(Irp);
        IoSetCompletionRoutine(Irp, ActivityMonitorMountCompletion, done, true, true, true);
        var status = IoCallDriver(extension.Lower, Irp);
        if (status == STATUS_PENDING)
        {
            KeWaitForSingleObject(done, Executive, KernelMode, false, null);
        }

        status = Irp.IoStatus.Status;
        if (status.IsSuccess() && !vpb.DeviceObject.IsNull)
        {
            AttachFilter(vpb.DeviceObject, isControlFilter: false);
        }

        Record(new ActivityRecord(IRP_MJ_FILE_SYSTEM_CONTROL, IRP_MN_MOUNT_VOLUME, "", status, Irp.IoStatus.Information));
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return status;
    }

    private static NTSTATUS ActivityMonitorMountCompletion(DEVICE_OBJECT DeviceObject, IRP Irp, object? Context)
    {
        KeSetEvent((KEVENT)Context!, IO_NO_INCREMENT, false);
        return STATUS_MORE_PROCESSING_REQUIRED;
    }

    private bool IsUnderReadOnlyPrefix(string fileName)
    {
        var prefix = ReadOnlyPrefix!;
        return fileName.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)
            && (fileName.Length == prefix.Length || fileName[prefix.Length] == '\\');
    }

    /// <summary>Whether the request would change the file it names.</summary>
    private static bool WouldModify(IO_STACK_LOCATION irpSp)
    {
        switch (irpSp.MajorFunction)
        {
            case IRP_MJ_CREATE:
                var access = new IO_SECURITY_CONTEXT(irpSp.Parameters.Create.SecurityContext).DesiredAccess;
                var disposition = irpSp.Parameters.Create.Options >> 24;
                const uint FILE_OPEN = 1;
                const uint FILE_DELETE_ON_CLOSE = 0x00001000;
                return (access & WriteAccessRights) != 0 || disposition != FILE_OPEN
                    || (irpSp.Parameters.Create.Options & FILE_DELETE_ON_CLOSE) != 0;
            case IRP_MJ_WRITE:
                return true;
            case IRP_MJ_SET_INFORMATION:
                return irpSp.Parameters.SetFile.FileInformationClass is FileRenameInformation or FileDispositionInformation
                    or FileAllocationInformation or FileEndOfFileInformation or FileDispositionInformationEx or FileRenameInformationEx;
            default:
                return false;
        }
    }

    private void Record(ActivityRecord record)
    {
        lock (_log)
        {
            if (_log.Count == MaxRecords)
            {
                _log.Dequeue();
                DroppedRecords++;
            }

            _log.Enqueue(record);
        }
    }
}
