using SharpNT.Kernel.Ke;
using SharpNT.Kernel.Ob;

namespace SharpNT.Kernel.Ps;

/// <summary>
/// System threads as the process manager creates and ends them (PsCreateSystemThread,
/// PsTerminateSystemThread), with their thread objects and handles. Stateless: the threads live in Ke,
/// their objects and handles in Ob.
/// </summary>
internal static class SystemThreads
{
    /// <summary>
    /// PsCreateSystemThread (PspCreateThread): a thread of the System process running
    /// <paramref name="startRoutine"/> as code of the calling driver. Before the thread can run, its thread
    /// object gets a kernel handle granting <paramref name="desiredAccess"/>, which is returned; the thread
    /// holds a reference on its own object while it runs and drops it when it ends. A process handle other
    /// than NULL must refer to a process (STATUS_OBJECT_TYPE_MISMATCH, STATUS_INVALID_HANDLE). Attributes
    /// OBJ_PERMANENT, OBJ_EXCLUSIVE and OBJ_OPENIF are STATUS_INVALID_PARAMETER.
    /// </summary>
    internal static NTSTATUS Create(Machine machine, out HANDLE threadHandle, uint desiredAccess, in OBJECT_ATTRIBUTES? objectAttributes,
        HANDLE processHandle, out CLIENT_ID clientId, KSTART_ROUTINE startRoutine, object? startContext, string routineName)
    {
        threadHandle = HANDLE.NULL;
        clientId = default;
        var ob = machine.Ob;
        var ke = machine.Ke;
        var attributes = OBJECT_ATTRIBUTES.OBJ_KERNEL_HANDLE;
        if (objectAttributes is { } oa)
        {
            var valid = ObjectManager.ValidateAttributes(oa, ob.ThreadType);
            if (!valid.IsSuccess())
            {
                return valid;
            }

            attributes |= oa.Attributes & OBJECT_ATTRIBUTES.OBJ_INHERIT;
        }

        var process = ob.SystemProcess;
        if (!processHandle.IsNull)
        {
            var status = ob.ReferenceObjectByHandle(processHandle, AccessMask.PROCESS_CREATE_THREAD, ob.ProcessType,
                KPROCESSOR_MODE.KernelMode, out var processObject, out _);
            if (!status.IsSuccess())
            {
                return status;
            }

            process = (EPROCESS)processObject!;
            ob.DereferenceObject(processObject!);
            if (process != ob.SystemProcess)
            {
                // Threads of user processes come with the process manager proper.
                return NTSTATUS.STATUS_INVALID_PARAMETER;
            }
        }

        var handle = HANDLE.NULL;
        var insertStatus = NTSTATUS.STATUS_SUCCESS;
        var thread = ke.CreateSystemThread(context => RunThread(machine, startRoutine, context), startContext,
            ke.CurrentModule(), routineName,
            initialize: t => insertStatus = ob.InsertThread(t, desiredAccess, attributes, out handle));
        threadHandle = handle;
        clientId = new CLIENT_ID(process.UniqueProcessId, new HANDLE((ulong)thread.Id));
        return insertStatus;
    }

    /// <summary>The start routine, then the thread's own reference on its object goes.</summary>
    private static void RunThread(Machine machine, KSTART_ROUTINE startRoutine, object? context)
    {
        var self = KTHREAD.Current!;
        try
        {
            startRoutine(context);
        }
        catch (ThreadExitException)
        {
            machine.Ob.DereferenceObject(self);
            throw;
        }

        machine.Ob.DereferenceObject(self);
    }

    /// <summary>
    /// PsTerminateSystemThread: ends the calling system thread with <paramref name="exitStatus"/>; does not
    /// return. STATUS_INVALID_PARAMETER if the caller is not a system thread.
    /// </summary>
    internal static NTSTATUS Terminate(Machine machine, NTSTATUS exitStatus)
    {
        var thread = machine.Ke.CurrentThread;
        if (thread.Kind != ThreadKind.System)
        {
            return NTSTATUS.STATUS_INVALID_PARAMETER;
        }

        machine.Ke.ExitSystemThread(exitStatus);
        return NTSTATUS.STATUS_SUCCESS;
    }

    /// <summary>PsGetThreadExitStatus: the status a thread ended with; STATUS_PENDING while it runs.</summary>
    internal static NTSTATUS ExitStatus(KTHREAD thread) =>
        thread.SignalState > 0 || thread.State == KTHREAD_STATE.Terminated ? thread.ExitStatus : NTSTATUS.STATUS_PENDING;

    /// <summary>PsIsSystemThread: true for threads that run only in kernel mode (not a user process's).</summary>
    internal static bool IsSystemThread(KTHREAD thread) => thread.Kind != ThreadKind.User;
}
