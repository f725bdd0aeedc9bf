namespace SharpNT.Kernel.Io.Layout;

// The IO_STACK_LOCATION.Parameters views that file system requests use.
internal static partial class IoStackLocationLayout
{
    // IRP_MJ_DIRECTORY_CONTROL / IRP_MN_QUERY_DIRECTORY.
    internal const int Parameters_QueryDirectory_Length = 0x08;
    internal const int Parameters_QueryDirectory_FileName = 0x10;
    internal const int Parameters_QueryDirectory_FileInformationClass = 0x18;
    internal const int Parameters_QueryDirectory_FileIndex = 0x20;

    // IRP_MJ_DIRECTORY_CONTROL / IRP_MN_NOTIFY_CHANGE_DIRECTORY.
    internal const int Parameters_NotifyDirectory_Length = 0x08;
    internal const int Parameters_NotifyDirectory_CompletionFilter = 0x10;

    // IRP_MJ_QUERY_INFORMATION.
    internal const int Parameters_QueryFile_Length = 0x08;
    internal const int Parameters_QueryFile_FileInformationClass = 0x10;

    // IRP_MJ_SET_INFORMATION. ReplaceIfExists/AdvanceOnly, ClusterCount and DeleteHandle share 0x20.
    internal const int Parameters_SetFile_Length = 0x08;
    internal const int Parameters_SetFile_FileInformationClass = 0x10;
    internal const int Parameters_SetFile_FileObject = 0x18;
    internal const int Parameters_SetFile_ReplaceIfExists = 0x20;
    internal const int Parameters_SetFile_AdvanceOnly = 0x21;
    internal const int Parameters_SetFile_ClusterCount = 0x20;
    internal const int Parameters_SetFile_DeleteHandle = 0x20;

    // IRP_MJ_QUERY_EA.
    internal const int Parameters_QueryEa_Length = 0x08;
    internal const int Parameters_QueryEa_EaList = 0x10;
    internal const int Parameters_QueryEa_EaListLength = 0x18;
    internal const int Parameters_QueryEa_EaIndex = 0x20;

    // IRP_MJ_SET_EA.
    internal const int Parameters_SetEa_Length = 0x08;

    // IRP_MJ_QUERY_VOLUME_INFORMATION.
    internal const int Parameters_QueryVolume_Length = 0x08;
    internal const int Parameters_QueryVolume_FsInformationClass = 0x10;

    // IRP_MJ_SET_VOLUME_INFORMATION.
    internal const int Parameters_SetVolume_Length = 0x08;
    internal const int Parameters_SetVolume_FsInformationClass = 0x10;

    // IRP_MJ_FILE_SYSTEM_CONTROL / IRP_MN_USER_FS_REQUEST and IRP_MN_KERNEL_CALL: same shape as DeviceIoControl.
    internal const int Parameters_FileSystemControl_OutputBufferLength = 0x08;
    internal const int Parameters_FileSystemControl_InputBufferLength = 0x10;
    internal const int Parameters_FileSystemControl_FsControlCode = 0x18;
    internal const int Parameters_FileSystemControl_Type3InputBuffer = 0x20;

    // IRP_MJ_LOCK_CONTROL. Length is a PLARGE_INTEGER, not a count.
    internal const int Parameters_LockControl_Length = 0x08;
    internal const int Parameters_LockControl_Key = 0x10;
    internal const int Parameters_LockControl_ByteOffset = 0x18;

    // IRP_MJ_QUERY_SECURITY.
    internal const int Parameters_QuerySecurity_SecurityInformation = 0x08;
    internal const int Parameters_QuerySecurity_Length = 0x10;

    // IRP_MJ_SET_SECURITY.
    internal const int Parameters_SetSecurity_SecurityInformation = 0x08;
    internal const int Parameters_SetSecurity_SecurityDescriptor = 0x10;

    // IRP_MJ_FILE_SYSTEM_CONTROL / IRP_MN_MOUNT_VOLUME.
    internal const int Parameters_MountVolume_Vpb = 0x08;
    internal const int Parameters_MountVolume_DeviceObject = 0x10;

    // IRP_MJ_FILE_SYSTEM_CONTROL / IRP_MN_VERIFY_VOLUME.
    internal const int Parameters_VerifyVolume_Vpb = 0x08;
    internal const int Parameters_VerifyVolume_DeviceObject = 0x10;
}
