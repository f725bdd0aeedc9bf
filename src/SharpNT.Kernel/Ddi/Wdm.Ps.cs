using System.Runtime.CompilerServices;
using SharpNT.Kernel.Ke;
using SharpNT.Kernel.Ps;

namespace SharpNT.Kernel.Ddi;

/// <summary>The process manager's DDIs: system threads, and the current thread's and process's identity.</summary>
public static partial class Wdm
{
    /// <summary>
    /// PsCreateSystemThread: PASSIVE_LEVEL. Starts StartRoutine(StartContext) in a new system thread (of the
    /// System process when ProcessHandle is NULL) and returns a kernel handle to the thread object, which
    /// the caller closes with ZwClose; reference the object first (ObReferenceObjectByHandle with
    /// PsThreadType) to wait for the thread to end. OBJ_PERMANENT, OBJ_EXCLUSIVE and OBJ_OPENIF are not
    /// valid attributes (STATUS_INVALID_PARAMETER).
    /// </summary>
    public static NTSTATUS PsCreateSystemThread(out HANDLE ThreadHandle, uint DesiredAccess, OBJECT_ATTRIBUTES? ObjectAttributes,
        HANDLE? ProcessHandle, out CLIENT_ID ClientId, KSTART_ROUTINE StartRoutine, object? StartContext,
        [CallerArgumentExpression(nameof(StartRoutine))] string routineName = "")
    {
        var ob = ObEnter(PASSIVE_LEVEL);
        return SystemThreads.Create(ob.Machine, out ThreadHandle, DesiredAccess, ObjectAttributes, ProcessHandle ?? HANDLE.NULL,
            out ClientId, StartRoutine, StartContext, routineName);
    }

    /// <summary>
    /// PsTerminateSystemThread: PASSIVE_LEVEL; ends the calling system thread with ExitStatus and does not
    /// return. STATUS_INVALID_PARAMETER if the caller is not a system thread.
    /// </summary>
    public static NTSTATUS PsTerminateSystemThread(NTSTATUS ExitStatus)
    {
        var ob = ObEnter(PASSIVE_LEVEL);
        return SystemThreads.Terminate(ob.Machine, ExitStatus);
    }

    /// <summary>PsGetCurrentThread: the running thread (PETHREAD and PKTHREAD are one object here). Any IRQL.</summary>
    public static KTHREAD PsGetCurrentThread() => Ke.CurrentThread;

    /// <summary>PsGetCurrentThreadId: the running thread's id (CLIENT_ID.UniqueThread). Any IRQL.</summary>
    public static HANDLE PsGetCurrentThreadId() => new((ulong)Ke.CurrentThread.Id);

    /// <summary>PsGetCurrentProcess: the process the running thread belongs to (the System process for system threads).</summary>
    public static EPROCESS PsGetCurrentProcess() => Ob.CurrentProcess;

    /// <summary>PsGetCurrentProcessId: the current process's id (4 for the System process). Any IRQL.</summary>
    public static HANDLE PsGetCurrentProcessId() => Ob.CurrentProcess.UniqueProcessId;

    /// <summary>PsInitialSystemProcess: the System process.</summary>
    public static EPROCESS PsInitialSystemProcess => Ob.SystemProcess;

    /// <summary>PsGetThreadId: a thread's id.</summary>
    public static HANDLE PsGetThreadId(KTHREAD Thread) => new((ulong)Thread.Id);

    /// <summary>PsGetThreadProcessId: the id of the process a thread belongs to.</summary>
    public static HANDLE PsGetThreadProcessId(KTHREAD Thread) =>
        (Thread.Process as EPROCESS ?? Ob.SystemProcess).UniqueProcessId;

    /// <summary>PsGetProcessId: a process's id.</summary>
    public static HANDLE PsGetProcessId(EPROCESS Process) => Process.UniqueProcessId;

    /// <summary>PsIsSystemThread: TRUE for a thread that runs only in kernel mode.</summary>
    public static bool PsIsSystemThread(KTHREAD Thread) => SystemThreads.IsSystemThread(Thread);

    /// <summary>PsGetThreadExitStatus: the status a thread ended with, or STATUS_PENDING while it runs.</summary>
    public static NTSTATUS PsGetThreadExitStatus(KTHREAD Thread) => SystemThreads.ExitStatus(Thread);

    /// <summary>PsIsThreadTerminating: TRUE once the thread has ended or is being ended.</summary>
    public static bool PsIsThreadTerminating(KTHREAD Thread) =>
        SystemThreads.ExitStatus(Thread) != NTSTATUS.STATUS_PENDING || Thread.Terminating;

    /// <summary>NtCurrentProcess(): the pseudo-handle (HANDLE)-1 for the current process.</summary>
    public static HANDLE NtCurrentProcess() => HANDLE.CurrentProcess;

    /// <summary>ZwCurrentProcess(): NtCurrentProcess().</summary>
    public static HANDLE ZwCurrentProcess() => HANDLE.CurrentProcess;

    /// <summary>NtCurrentThread(): the pseudo-handle (HANDLE)-2 for the current thread.</summary>
    public static HANDLE NtCurrentThread() => HANDLE.CurrentThread;

    /// <summary>ZwCurrentThread(): NtCurrentThread().</summary>
    public static HANDLE ZwCurrentThread() => HANDLE.CurrentThread;

    /// <summary>
    /// PsSetCreateProcessNotifyRoutine: IRQL PASSIVE_LEVEL; the routine hears of every process created and
    /// deleted. A driver must remove it (Remove TRUE) before it unloads.
    /// </summary>
    public static NTSTATUS PsSetCreateProcessNotifyRoutine(PCREATE_PROCESS_NOTIFY_ROUTINE NotifyRoutine, bool Remove) =>
        CurrentMachine.Ps.SetNotifyRoutine(thread: false, NotifyRoutine, Remove);

    /// <summary>
    /// PsSetCreateProcessNotifyRoutineEx: as PsSetCreateProcessNotifyRoutine, with the creation's details
    /// (PS_CREATE_NOTIFY_INFO), in which the routine may refuse the process through CreationStatus.
    /// </summary>
    public static NTSTATUS PsSetCreateProcessNotifyRoutineEx(PCREATE_PROCESS_NOTIFY_ROUTINE_EX NotifyRoutine, bool Remove) =>
        CurrentMachine.Ps.SetNotifyRoutine(thread: false, NotifyRoutine, Remove);

    /// <summary>PsSetCreateThreadNotifyRoutine: IRQL PASSIVE_LEVEL; the routine hears of every user thread created and exiting.</summary>
    public static NTSTATUS PsSetCreateThreadNotifyRoutine(PCREATE_THREAD_NOTIFY_ROUTINE NotifyRoutine) =>
        CurrentMachine.Ps.SetNotifyRoutine(thread: true, NotifyRoutine, remove: false);

    /// <summary>PsRemoveCreateThreadNotifyRoutine: STATUS_PROCEDURE_NOT_FOUND if the routine was not registered.</summary>
    public static NTSTATUS PsRemoveCreateThreadNotifyRoutine(PCREATE_THREAD_NOTIFY_ROUTINE NotifyRoutine) =>
        CurrentMachine.Ps.SetNotifyRoutine(thread: true, NotifyRoutine, remove: true);
}
