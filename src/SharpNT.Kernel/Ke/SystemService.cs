namespace SharpNT.Kernel.Ke;

/// <summary>
/// The system service numbers: the index a user-mode stub puts in EAX before the syscall instruction. NT
/// renumbers its table with every build and ntdll is built with the kernel it ships with; here too the
/// user-mode stubs (SharpNT.Win32's Ntdll) and the kernel's table share this one list.
/// </summary>
public enum SystemService : uint
{
    NtClose,
    NtCreateFile,
    NtOpenFile,
    NtReadFile,
    NtWriteFile,
    NtDeviceIoControlFile,
    NtQueryInformationFile,
    NtSetInformationFile,
    NtQueryDirectoryFile,
    NtCancelIoFile,
    NtLockFile,
    NtUnlockFile,
    NtCreateEvent,
    NtSetEvent,
    NtResetEvent,
    NtWaitForSingleObject,
    NtTerminateProcess,
    NtAllocateVirtualMemory,
    NtFreeVirtualMemory,
    NtQueryVolumeInformationFile,
    NtFlushBuffersFile,
    NtDelayExecution,
    NtPlugPlayControl,
    NtGetPlugPlayEvent,
    NtCreateThreadEx,
    NtTerminateThread,
    NtQueryInformationThread,
    NtOpenProcess,
    NtQueueApcThread,
    NtTestAlert,
    NtAlertThread,
    NtSuspendThread,
    NtResumeThread,
    NtWaitForMultipleObjects,
}
