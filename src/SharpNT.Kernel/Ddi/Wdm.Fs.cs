using SharpNT.Kernel.Io;

namespace SharpNT.Kernel.Ddi;

// The file-system DDIs (ntifs.h): registering a file system, hearing about file systems as a filter,
// share access, the name a file object was opened with.
public static partial class Wdm
{
    public const uint FILE_SHARE_READ = 0x00000001;
    public const uint FILE_SHARE_WRITE = 0x00000002;
    public const uint FILE_SHARE_DELETE = 0x00000004;

    /// <summary>IoRegisterFileSystem: IRQL PASSIVE_LEVEL. The control device's file system is asked to mount new volumes.</summary>
    public static void IoRegisterFileSystem(DEVICE_OBJECT DeviceObject) => Io.RegisterFileSystem(DeviceObject);

    /// <summary>IoUnregisterFileSystem: IRQL PASSIVE_LEVEL.</summary>
    public static void IoUnregisterFileSystem(DEVICE_OBJECT DeviceObject) => Io.UnregisterFileSystem(DeviceObject);

    /// <summary>
    /// IoRegisterFsRegistrationChange: IRQL PASSIVE_LEVEL. The routine hears of every file system that
    /// registers or unregisters, and at once of each one already registered.
    /// </summary>
    public static NTSTATUS IoRegisterFsRegistrationChange(DRIVER_OBJECT DriverObject, DRIVER_FS_NOTIFICATION DriverNotificationRoutine) =>
        Io.RegisterFsRegistrationChange(DriverObject, DriverNotificationRoutine);

    /// <summary>IoUnregisterFsRegistrationChange: IRQL PASSIVE_LEVEL.</summary>
    public static void IoUnregisterFsRegistrationChange(DRIVER_OBJECT DriverObject, DRIVER_FS_NOTIFICATION DriverNotificationRoutine) =>
        Io.UnregisterFsRegistrationChange(DriverObject, DriverNotificationRoutine);

    /// <summary>
    /// IoCheckShareAccess: IRQL PASSIVE_LEVEL. STATUS_SHARING_VIOLATION when the open conflicts with the
    /// file's other opens; with Update, a compatible open is counted.
    /// </summary>
    public static NTSTATUS IoCheckShareAccess(uint DesiredAccess, uint DesiredShareAccess, FILE_OBJECT FileObject, SHARE_ACCESS ShareAccess,
        bool Update) => IoManager.CheckShareAccess(DesiredAccess, DesiredShareAccess, FileObject, ShareAccess, Update);

    /// <summary>IoSetShareAccess: IRQL PASSIVE_LEVEL; the first open of a file sets the counters.</summary>
    public static void IoSetShareAccess(uint DesiredAccess, uint DesiredShareAccess, FILE_OBJECT FileObject, SHARE_ACCESS ShareAccess) =>
        IoManager.SetShareAccess(DesiredAccess, DesiredShareAccess, FileObject, ShareAccess);

    /// <summary>IoUpdateShareAccess: IRQL PASSIVE_LEVEL; counts an open IoCheckShareAccess accepted.</summary>
    public static void IoUpdateShareAccess(FILE_OBJECT FileObject, SHARE_ACCESS ShareAccess) => IoManager.UpdateShareAccess(FileObject, ShareAccess);

    /// <summary>IoRemoveShareAccess: IRQL PASSIVE_LEVEL; at cleanup, the open's access no longer counts.</summary>
    public static void IoRemoveShareAccess(FILE_OBJECT FileObject, SHARE_ACCESS ShareAccess) => IoManager.RemoveShareAccess(FileObject, ShareAccess);

    /// <summary>FileObject->FileName: the name the file was opened with, below the device (file systems read it at IRP_MJ_CREATE).</summary>
    public static string FsRtlGetFileName(FILE_OBJECT FileObject) => Io.FileNameOf(FileObject);

    /// <summary>IoIsOperationSynchronous: whether the IRP's requester waits for it (a synchronous API or a synchronous file object).</summary>
    public static bool IoIsOperationSynchronous(IRP Irp)
    {
        var file = IoGetCurrentIrpStackLocation(Irp).FileObject;
        return (Irp.Flags & (IRP_FLAGS.IRP_SYNCHRONOUS_API | IRP_FLAGS.IRP_SYNCHRONOUS_PAGING_IO)) != 0
            || (!file.IsNull && (file.Flags & FO_FLAGS.FO_SYNCHRONOUS_IO) != 0);
    }
}
