using SharpNT.Kernel.Ke;

namespace SharpNT.Win32;

/// <summary>
/// ntdll's system call stubs: each puts its service number and arguments in place and executes syscall.
/// Every pointer is a user address of the calling process; the kernel probes it. Returns the NTSTATUS.
/// </summary>
public static class Ntdll
{
    public static int NtClose(nint Handle) => Ring3.SystemCall(SystemService.NtClose, [(ulong)Handle]);

    public static int NtCreateFile(ulong FileHandle, uint DesiredAccess, ulong ObjectAttributes, ulong IoStatusBlock, ulong AllocationSize,
        uint FileAttributes, uint ShareAccess, uint CreateDisposition, uint CreateOptions, ulong EaBuffer, uint EaLength) =>
        Ring3.SystemCall(SystemService.NtCreateFile,
            [FileHandle, DesiredAccess, ObjectAttributes, IoStatusBlock, AllocationSize, FileAttributes, ShareAccess, CreateDisposition, CreateOptions, EaBuffer, EaLength]);

    public static int NtOpenFile(ulong FileHandle, uint DesiredAccess, ulong ObjectAttributes, ulong IoStatusBlock, uint ShareAccess, uint OpenOptions) =>
        Ring3.SystemCall(SystemService.NtOpenFile, [FileHandle, DesiredAccess, ObjectAttributes, IoStatusBlock, ShareAccess, OpenOptions]);

    public static int NtReadFile(nint FileHandle, nint Event, ulong ApcRoutine, ulong ApcContext, ulong IoStatusBlock, ulong Buffer, uint Length,
        ulong ByteOffset, ulong Key) =>
        Ring3.SystemCall(SystemService.NtReadFile,
            [(ulong)FileHandle, (ulong)Event, ApcRoutine, ApcContext, IoStatusBlock, Buffer, Length, ByteOffset, Key]);

    public static int NtWriteFile(nint FileHandle, nint Event, ulong ApcRoutine, ulong ApcContext, ulong IoStatusBlock, ulong Buffer, uint Length,
        ulong ByteOffset, ulong Key) =>
        Ring3.SystemCall(SystemService.NtWriteFile,
            [(ulong)FileHandle, (ulong)Event, ApcRoutine, ApcContext, IoStatusBlock, Buffer, Length, ByteOffset, Key]);

    public static int NtDeviceIoControlFile(nint FileHandle, nint Event, ulong ApcRoutine, ulong ApcContext, ulong IoStatusBlock, uint IoControlCode,
        ulong InputBuffer, uint InputBufferLength, ulong OutputBuffer, uint OutputBufferLength) =>
        Ring3.SystemCall(SystemService.NtDeviceIoControlFile,
            [(ulong)FileHandle, (ulong)Event, ApcRoutine, ApcContext, IoStatusBlock, IoControlCode, InputBuffer, InputBufferLength, OutputBuffer, OutputBufferLength]);

    public static int NtQueryInformationFile(nint FileHandle, ulong IoStatusBlock, ulong FileInformation, uint Length, int FileInformationClass) =>
        Ring3.SystemCall(SystemService.NtQueryInformationFile, [(ulong)FileHandle, IoStatusBlock, FileInformation, Length, (uint)FileInformationClass]);

    public static int NtSetInformationFile(nint FileHandle, ulong IoStatusBlock, ulong FileInformation, uint Length, int FileInformationClass) =>
        Ring3.SystemCall(SystemService.NtSetInformationFile, [(ulong)FileHandle, IoStatusBlock, FileInformation, Length, (uint)FileInformationClass]);

    public static int NtQueryVolumeInformationFile(nint FileHandle, ulong IoStatusBlock, ulong FsInformation, uint Length, int FsInformationClass) =>
        Ring3.SystemCall(SystemService.NtQueryVolumeInformationFile, [(ulong)FileHandle, IoStatusBlock, FsInformation, Length, (uint)FsInformationClass]);

    public static int NtQueryDirectoryFile(nint FileHandle, nint Event, ulong ApcRoutine, ulong ApcContext, ulong IoStatusBlock, ulong FileInformation,
        uint Length, int FileInformationClass, bool ReturnSingleEntry, ulong FileName, bool RestartScan) =>
        Ring3.SystemCall(SystemService.NtQueryDirectoryFile,
            [(ulong)FileHandle, (ulong)Event, ApcRoutine, ApcContext, IoStatusBlock, FileInformation, Length, (uint)FileInformationClass,
                ReturnSingleEntry ? 1UL : 0, FileName, RestartScan ? 1UL : 0]);

    public static int NtFlushBuffersFile(nint FileHandle, ulong IoStatusBlock) =>
        Ring3.SystemCall(SystemService.NtFlushBuffersFile, [(ulong)FileHandle, IoStatusBlock]);

    public static int NtCancelIoFile(nint FileHandle, ulong IoStatusBlock) =>
        Ring3.SystemCall(SystemService.NtCancelIoFile, [(ulong)FileHandle, IoStatusBlock]);

    public static int NtLockFile(nint FileHandle, nint Event, ulong ApcRoutine, ulong ApcContext, ulong IoStatusBlock, ulong ByteOffset, ulong Length,
        uint Key, bool FailImmediately, bool ExclusiveLock) =>
        Ring3.SystemCall(SystemService.NtLockFile,
            [(ulong)FileHandle, (ulong)Event, ApcRoutine, ApcContext, IoStatusBlock, ByteOffset, Length, Key, FailImmediately ? 1UL : 0, ExclusiveLock ? 1UL : 0]);

    public static int NtUnlockFile(nint FileHandle, ulong IoStatusBlock, ulong ByteOffset, ulong Length, uint Key) =>
        Ring3.SystemCall(SystemService.NtUnlockFile, [(ulong)FileHandle, IoStatusBlock, ByteOffset, Length, Key]);

    public static int NtCreateEvent(ulong EventHandle, uint DesiredAccess, ulong ObjectAttributes, int EventType, bool InitialState) =>
        Ring3.SystemCall(SystemService.NtCreateEvent, [EventHandle, DesiredAccess, ObjectAttributes, (uint)EventType, InitialState ? 1UL : 0]);

    public static int NtSetEvent(nint EventHandle, ulong PreviousState) => Ring3.SystemCall(SystemService.NtSetEvent, [(ulong)EventHandle, PreviousState]);

    public static int NtResetEvent(nint EventHandle, ulong PreviousState) => Ring3.SystemCall(SystemService.NtResetEvent, [(ulong)EventHandle, PreviousState]);

    public static int NtWaitForSingleObject(nint Handle, bool Alertable, ulong Timeout) =>
        Ring3.SystemCall(SystemService.NtWaitForSingleObject, [(ulong)Handle, Alertable ? 1UL : 0, Timeout]);

    public static int NtDelayExecution(bool Alertable, ulong DelayInterval) =>
        Ring3.SystemCall(SystemService.NtDelayExecution, [Alertable ? 1UL : 0, DelayInterval]);

    public static int NtTerminateProcess(nint ProcessHandle, int ExitStatus) =>
        Ring3.SystemCall(SystemService.NtTerminateProcess, [(ulong)ProcessHandle, (uint)ExitStatus]);

    public static int NtAllocateVirtualMemory(nint ProcessHandle, ulong BaseAddress, ulong ZeroBits, ulong RegionSize, uint AllocationType, uint Protect) =>
        Ring3.SystemCall(SystemService.NtAllocateVirtualMemory, [(ulong)ProcessHandle, BaseAddress, ZeroBits, RegionSize, AllocationType, Protect]);

    public static int NtFreeVirtualMemory(nint ProcessHandle, ulong BaseAddress, ulong RegionSize, uint FreeType) =>
        Ring3.SystemCall(SystemService.NtFreeVirtualMemory, [(ulong)ProcessHandle, BaseAddress, RegionSize, FreeType]);

    /// <summary>NtPlugPlayControl: a PLUGPLAY_CONTROL_CLASS request with its data structure (the user-mode PnP manager's service).</summary>
    public static int NtPlugPlayControl(uint PlugPlayControlClass, ulong Buffer, uint BufferLength) =>
        Ring3.SystemCall(SystemService.NtPlugPlayControl, [PlugPlayControlClass, Buffer, BufferLength]);

    /// <summary>NtGetPlugPlayEvent: waits for the next PnP event and copies it as a PLUGPLAY_EVENT_BLOCK (SeTcbPrivilege).</summary>
    public static int NtGetPlugPlayEvent(nint EventHandle, ulong Context, ulong Buffer, uint BufferSize) =>
        Ring3.SystemCall(SystemService.NtGetPlugPlayEvent, [(ulong)EventHandle, Context, Buffer, BufferSize]);

    /// <summary>NtCreateThreadEx: a thread of a process starting at a routine of its image (see Ring3.CodeAddress).</summary>
    public static int NtCreateThreadEx(ulong ThreadHandle, uint DesiredAccess, ulong ObjectAttributes, nint ProcessHandle, ulong StartRoutine,
        ulong Argument, uint CreateFlags, ulong ZeroBits, ulong StackSize, ulong MaximumStackSize, ulong AttributeList) =>
        Ring3.SystemCall(SystemService.NtCreateThreadEx,
            [ThreadHandle, DesiredAccess, ObjectAttributes, (ulong)ProcessHandle, StartRoutine, Argument, CreateFlags, ZeroBits, StackSize, MaximumStackSize, AttributeList]);

    /// <summary>NtOpenProcess: a handle to the process a CLIENT_ID names.</summary>
    public static int NtOpenProcess(ulong ProcessHandle, uint DesiredAccess, ulong ObjectAttributes, ulong ClientId) =>
        Ring3.SystemCall(SystemService.NtOpenProcess, [ProcessHandle, DesiredAccess, ObjectAttributes, ClientId]);

    public static int NtTerminateThread(nint ThreadHandle, int ExitStatus) =>
        Ring3.SystemCall(SystemService.NtTerminateThread, [(ulong)ThreadHandle, (uint)ExitStatus]);

    public static int NtQueryInformationThread(nint ThreadHandle, int ThreadInformationClass, ulong ThreadInformation, uint ThreadInformationLength,
        ulong ReturnLength) =>
        Ring3.SystemCall(SystemService.NtQueryInformationThread,
            [(ulong)ThreadHandle, (uint)ThreadInformationClass, ThreadInformation, ThreadInformationLength, ReturnLength]);

    /// <summary>NtQueueApcThread: a user APC to a thread (THREAD_SET_CONTEXT): ApcRoutine(ApcArgument1, ApcArgument2, ApcArgument3) at its next alertable wait.</summary>
    public static int NtQueueApcThread(nint ThreadHandle, ulong ApcRoutine, ulong ApcArgument1, ulong ApcArgument2, ulong ApcArgument3) =>
        Ring3.SystemCall(SystemService.NtQueueApcThread, [(ulong)ThreadHandle, ApcRoutine, ApcArgument1, ApcArgument2, ApcArgument3]);

    /// <summary>NtTestAlert: runs the caller's queued user APCs (STATUS_ALERTED if an alert was pending instead).</summary>
    public static int NtTestAlert() => Ring3.SystemCall(SystemService.NtTestAlert, []);

    /// <summary>NtAlertThread: ends the thread's alertable wait with STATUS_ALERTED, or leaves the alert pending (THREAD_ALERT).</summary>
    public static int NtAlertThread(nint ThreadHandle) => Ring3.SystemCall(SystemService.NtAlertThread, [(ulong)ThreadHandle]);

    /// <summary>NtSuspendThread: raises the suspend count (THREAD_SUSPEND_RESUME); the previous count to the optional ULONG.</summary>
    public static int NtSuspendThread(nint ThreadHandle, ulong PreviousSuspendCount) =>
        Ring3.SystemCall(SystemService.NtSuspendThread, [(ulong)ThreadHandle, PreviousSuspendCount]);

    /// <summary>NtResumeThread: lowers the suspend count (THREAD_SUSPEND_RESUME); the previous count to the optional ULONG.</summary>
    public static int NtResumeThread(nint ThreadHandle, ulong PreviousSuspendCount) =>
        Ring3.SystemCall(SystemService.NtResumeThread, [(ulong)ThreadHandle, PreviousSuspendCount]);

    /// <summary>NtWaitForMultipleObjects: Count handles at Handles; WaitType 0 WaitAll, 1 WaitAny; Timeout a LARGE_INTEGER or 0.</summary>
    public static int NtWaitForMultipleObjects(uint Count, ulong Handles, int WaitType, bool Alertable, ulong Timeout) =>
        Ring3.SystemCall(SystemService.NtWaitForMultipleObjects, [Count, Handles, (uint)WaitType, Alertable ? 1UL : 0, Timeout]);

    /// <summary>NtCurrentProcess(): the pseudo-handle (HANDLE)-1.</summary>
    public static nint NtCurrentProcess => -1;

    /// <summary>NtCurrentThread(): the pseudo-handle (HANDLE)-2.</summary>
    public static nint NtCurrentThread => -2;

    /// <summary>NT_SUCCESS.</summary>
    public static bool NT_SUCCESS(int Status) => Status >= 0;
}
