using SharpNT.Kernel.Ke;
using SharpNT.Kernel.Mm;

namespace SharpNT.Kernel.Ps;

internal sealed partial class ProcessManager
{
    /// <summary>PSP_MAX_CREATE_PROCESS_NOTIFY: the routines of each kind the system keeps.</summary>
    internal const int MaxNotifyRoutines = 64;

    private sealed record NotifyRoutine(Delegate Routine, LoadedModule Module, ulong Address, string Name);

    private readonly List<NotifyRoutine> _processNotify = [];
    private readonly List<NotifyRoutine> _threadNotify = [];

    /// <summary>
    /// PsSetCreateProcessNotifyRoutine(Ex) and PsSetCreateThreadNotifyRoutine / PsRemoveCreateThreadNotifyRoutine:
    /// adds the driver's routine (STATUS_INVALID_PARAMETER when all 64 slots are taken or it is already
    /// there) or removes it (STATUS_PROCEDURE_NOT_FOUND when it is not there).
    /// </summary>
    internal NTSTATUS SetNotifyRoutine(bool thread, Delegate routine, bool remove)
    {
        var list = thread ? _threadNotify : _processNotify;
        lock (list)
        {
            var index = list.FindIndex(n => n.Routine.Equals(routine));
            if (remove)
            {
                if (index < 0)
                {
                    return NTSTATUS.STATUS_PROCEDURE_NOT_FOUND;
                }

                list.RemoveAt(index);
                return NTSTATUS.STATUS_SUCCESS;
            }

            if (index >= 0 || list.Count == MaxNotifyRoutines)
            {
                return NTSTATUS.STATUS_INVALID_PARAMETER;
            }

            var module = _machine.Ke.CurrentModule();
            var address = _machine.Io.Thunks.Register(module, routine);
            list.Add(new NotifyRoutine(routine, module, address, _machine.Io.Thunks.Describe(address)?.Name ?? routine.Method.Name));
            return NTSTATUS.STATUS_SUCCESS;
        }
    }

    /// <summary>
    /// The process-notify routines for a process being created, in the creator's context, before its first
    /// thread exists: the first error status a routine sets in CreationStatus refuses the process.
    /// </summary>
    private NTSTATUS NotifyProcessCreated(EPROCESS process, string commandLine)
    {
        var creator = _machine.Ke.CurrentThread;
        var info = new PS_CREATE_NOTIFY_INFO
        {
            ParentProcessId = process.InheritedFromUniqueProcessId,
            CreatingThreadId = new CLIENT_ID(_machine.Ob.CurrentProcess.UniqueProcessId, new HANDLE((ulong)creator.Id)),
            ImageFileName = process.ImageFileName,
            CommandLine = commandLine,
            FileOpenNameAvailable = true,
            CreationStatus = NTSTATUS.STATUS_SUCCESS,
        };
        foreach (var n in Snapshot(_processNotify))
        {
            CallNotify(n, routine =>
            {
                switch (routine)
                {
                    case PCREATE_PROCESS_NOTIFY_ROUTINE_EX ex:
                        ex(process, process.UniqueProcessId, info);
                        break;
                    case PCREATE_PROCESS_NOTIFY_ROUTINE plain:
                        plain(process.InheritedFromUniqueProcessId, process.UniqueProcessId, true);
                        break;
                }
            });
            if (!info.CreationStatus.IsSuccess())
            {
                return info.CreationStatus;
            }
        }

        return NTSTATUS.STATUS_SUCCESS;
    }

    /// <summary>The process-notify routines for a process whose last thread is exiting, in that thread's context.</summary>
    private void NotifyProcessExited(EPROCESS process)
    {
        foreach (var n in Snapshot(_processNotify))
        {
            CallNotify(n, routine =>
            {
                switch (routine)
                {
                    case PCREATE_PROCESS_NOTIFY_ROUTINE_EX ex:
                        ex(process, process.UniqueProcessId, null);
                        break;
                    case PCREATE_PROCESS_NOTIFY_ROUTINE plain:
                        plain(process.InheritedFromUniqueProcessId, process.UniqueProcessId, false);
                        break;
                }
            });
        }
    }

    /// <summary>The thread-notify routines: a thread created (in its creator's context) or exiting (in its own).</summary>
    private void NotifyThread(EPROCESS process, KTHREAD thread, bool create)
    {
        foreach (var n in Snapshot(_threadNotify))
        {
            CallNotify(n, routine => ((PCREATE_THREAD_NOTIFY_ROUTINE)routine)(process.UniqueProcessId, new HANDLE((ulong)thread.Id), create));
        }
    }

    private static NotifyRoutine[] Snapshot(List<NotifyRoutine> list)
    {
        lock (list)
        {
            return [.. list];
        }
    }

    /// <summary>
    /// Calls a notify routine at PASSIVE_LEVEL inside a critical region, as the callers of process and thread
    /// notifications do, in a frame of its driver (0xCE if the driver has unloaded without removing it).
    /// </summary>
    private void CallNotify(NotifyRoutine n, Action<Delegate> call)
    {
        var ke = _machine.Ke;
        ke.EnterCriticalRegion();
        try
        {
            ke.CallRegisteredRoutine(n.Module, n.Address, n.Name, () => call(n.Routine));
        }
        finally
        {
            ke.LeaveCriticalRegion();
        }
    }
}
