using SharpNT.Kernel.Ex;
using SharpNT.Kernel.Ke;
using SharpNT.Kernel.Ps.Layout;

namespace SharpNT.Kernel.Ps;

/// <summary>
/// The thread services of user mode: NtCreateThreadEx (another thread of the caller's process, started at a
/// routine of its image), NtTerminateThread and NtQueryInformationThread (ThreadBasicInformation).
/// </summary>
internal sealed partial class ProcessManager
{
    /// <summary>THREAD_CREATE_FLAGS_CREATE_SUSPENDED: the thread starts with a suspend count of 1 and runs nothing until resumed.</summary>
    internal const uint THREAD_CREATE_FLAGS_CREATE_SUSPENDED = 0x1;

    /// <summary>ThreadBasicInformation, the THREADINFOCLASS value GetExitCodeThread uses.</summary>
    internal const uint ThreadBasicInformation = 0;

    /// <summary>
    /// NtCreateThreadEx: a new thread of the caller's own process, starting in user mode at
    /// <paramref name="startRoutine"/> (a routine of the image, see EPROCESS.MapCode) with
    /// <paramref name="argument"/>; the thread's handle, with the access asked for, is written to
    /// <paramref name="threadHandle"/>. The routine's return value is the thread's exit status; the last
    /// thread to end ends the process with its status. An address with no routine behind it faults as the
    /// thread's first instruction would (0xC0000005, which ends the process). Another process's handle is
    /// STATUS_NOT_SUPPORTED (remote threads are not modelled), as is an attribute list; a process being
    /// terminated is STATUS_PROCESS_IS_TERMINATING. THREAD_CREATE_FLAGS_CREATE_SUSPENDED suspends the thread
    /// before it can run (its suspend APC stops it before its first user-mode instruction, until NtResumeThread).
    /// </summary>
    internal NTSTATUS NtCreateThreadEx(ulong threadHandle, uint desiredAccess, ulong objectAttributes, HANDLE processHandle,
        ulong startRoutine, ulong argument, uint createFlags, ulong attributeList)
    {
        var thread = _machine.Ke.CurrentThread;
        var mode = thread.PreviousMode;
        var attributes = 0u;
        try
        {
            Probe.ForWrite(_machine.Mm, threadHandle, 8, 4, mode);
            if (objectAttributes != 0)
            {
                var captured = _machine.Ob.CaptureObjectAttributes(objectAttributes, mode, out var oa);
                if (!captured.IsSuccess())
                {
                    return captured;
                }

                attributes = oa.Attributes;
            }
        }
        catch (NtException e)
        {
            return e.Status;
        }

        if (thread.Process is not EPROCESS self || !self.IsUserProcess)
        {
            return NTSTATUS.STATUS_ACCESS_DENIED;
        }

        if (processHandle != HANDLE.CurrentProcess)
        {
            var status = ObjectByHandle<EPROCESS>(processHandle, AccessMask.PROCESS_CREATE_THREAD, _machine.Ob.ProcessType, mode, out var target);
            if (!status.IsSuccess())
            {
                return status;
            }

            if (!ReferenceEquals(target, self))
            {
                return NTSTATUS.STATUS_NOT_SUPPORTED;
            }
        }

        if (attributeList != 0)
        {
            return NTSTATUS.STATUS_NOT_SUPPORTED;
        }

        lock (self.Threads)
        {
            if (self.Exiting || self.ExitStatus != NTSTATUS.STATUS_PENDING)
            {
                return NTSTATUS.STATUS_PROCESS_IS_TERMINATING;
            }
        }

        var created = CreateUserThread(self, $"{self.ImageFileName}!0x{startRoutine:x}", () => RunUserRoutine(self, startRoutine, argument),
            out var newThread, createSuspended: (createFlags & THREAD_CREATE_FLAGS_CREATE_SUSPENDED) != 0);
        if (!created.IsSuccess())
        {
            return created;
        }

        // The creator gets the access it asked for (no check against the new thread's own descriptor).
        created = _machine.Ob.OpenObjectByPointer(newThread!, attributes & OBJECT_ATTRIBUTES.OBJ_INHERIT, null, desiredAccess,
            _machine.Ob.ThreadType, KPROCESSOR_MODE.KernelMode, out var handle);
        _machine.Ob.DereferenceObject(newThread!);
        if (!created.IsSuccess())
        {
            _machine.Ke.RequestTermination(newThread!, created);
            return created;
        }

        return ReturnHandle(threadHandle, handle, mode);
    }

    /// <summary>A new handle written to the caller's variable; if that faults, the handle is closed again.</summary>
    private NTSTATUS ReturnHandle(ulong address, HANDLE handle, KPROCESSOR_MODE mode)
    {
        try
        {
            _machine.Mm.Write(address, handle.Value, mode);
            return NTSTATUS.STATUS_SUCCESS;
        }
        catch (NtException e)
        {
            _machine.Ob.CloseHandle(handle, KPROCESSOR_MODE.KernelMode);
            return e.Status;
        }
    }

    /// <summary>
    /// The process or thread a handle names, checked for <paramref name="access"/> and its type. The reference
    /// taken is dropped at once: the services only read or signal the object, and its body outlives that.
    /// </summary>
    private NTSTATUS ObjectByHandle<T>(HANDLE handle, uint access, Ob.OBJECT_TYPE type, KPROCESSOR_MODE mode, out T target)
        where T : class
    {
        target = null!;
        var status = _machine.Ob.ReferenceObjectByHandle(handle, access, type, mode, out var referenced, out _);
        if (status.IsSuccess())
        {
            _machine.Ob.DereferenceObject(referenced!);
            target = (T)referenced!;
        }

        return status;
    }

    /// <summary>A created thread's first instruction: the image routine at <paramref name="startRoutine"/>.</summary>
    private static NTSTATUS RunUserRoutine(EPROCESS process, ulong startRoutine, ulong argument)
    {
        if (process.CodeAt(startRoutine) is not Func<ulong, uint> routine)
        {
            // An instruction fetch from an address with no code: an access violation (execute, reported as a read).
            throw new NtException(NTSTATUS.STATUS_ACCESS_VIOLATION, startRoutine, false);
        }

        return (NTSTATUS)routine(argument);
    }

    /// <summary>
    /// NtOpenProcess by CLIENT_ID.UniqueProcess: a handle to that process with the access asked for, checked
    /// against the process's security descriptor (its creator's user and SYSTEM have full access) unless the
    /// caller's token has SeDebugPrivilege enabled. An unknown id is STATUS_INVALID_CID; an id of a thread
    /// (UniqueThread) is STATUS_NOT_SUPPORTED; the System process is opened only with SeDebugPrivilege.
    /// </summary>
    internal NTSTATUS NtOpenProcess(ulong processHandle, uint desiredAccess, ulong objectAttributes, ulong clientId)
    {
        var thread = _machine.Ke.CurrentThread;
        var mode = thread.PreviousMode;
        OBJECT_ATTRIBUTES attributes;
        ulong processId;
        try
        {
            Probe.ForWrite(_machine.Mm, processHandle, 8, 4, mode);
            var captured = _machine.Ob.CaptureObjectAttributes(objectAttributes, mode, out attributes);
            if (!captured.IsSuccess())
            {
                return captured;
            }

            Probe.ForRead(clientId, 16, 4, mode);
            processId = _machine.Mm.Read<ulong>(clientId, mode);
            if (_machine.Mm.Read<ulong>(clientId + 8, mode) != 0)
            {
                return NTSTATUS.STATUS_NOT_SUPPORTED;
            }
        }
        catch (NtException e)
        {
            return e.Status;
        }

        if (attributes.ObjectName is not null)
        {
            // A process is opened by id or by name, never both (NtOpenProcess's rule).
            return NTSTATUS.STATUS_INVALID_PARAMETER_MIX;
        }

        var token = (thread.Process as EPROCESS)?.Token ?? Se.WellKnownTokens.System();
        var debug = mode == KPROCESSOR_MODE.KernelMode || token.IsPrivilegeEnabled(Se.SePrivileges.Luid(Se.SePrivileges.SE_DEBUG_PRIVILEGE));
        EPROCESS? target = processId == EPROCESS.SystemProcessId ? _machine.Ob.SystemProcess : null;
        target ??= ActiveProcesses.FirstOrDefault(p => p.UniqueProcessId.Value == processId);
        if (target is null)
        {
            return NTSTATUS.STATUS_INVALID_CID;
        }

        var type = _machine.Ob.ProcessType;
        var granted = type.GenericMapping.Map(desiredAccess);
        if (!debug)
        {
            if (_machine.Ob.TryGetHeader(target)?.SecurityDescriptor is not Se.SECURITY_DESCRIPTOR descriptor)
            {
                return NTSTATUS.STATUS_ACCESS_DENIED;
            }

            var status = Se.SecurityReferenceMonitor.AccessCheck(descriptor, token, desiredAccess, 0, type.GenericMapping, mode, out granted);
            if (!status.IsSuccess())
            {
                return status;
            }
        }

        var opened = _machine.Ob.OpenObjectByPointer(target, attributes.Attributes & OBJECT_ATTRIBUTES.OBJ_INHERIT, null, granted, type,
            KPROCESSOR_MODE.KernelMode, out var handle);
        if (!opened.IsSuccess())
        {
            return opened;
        }

        return ReturnHandle(processHandle, handle, mode);
    }

    /// <summary>
    /// NtTerminateThread: the caller itself (NULL or NtCurrentThread()) leaves at once and does not return
    /// (the last thread of a process ends the process with the status); another thread of a user process
    /// needs THREAD_TERMINATE and ends at its next safe point. A system thread cannot be terminated from
    /// here (STATUS_ACCESS_DENIED).
    /// </summary>
    internal NTSTATUS NtTerminateThread(HANDLE threadHandle, NTSTATUS exitStatus)
    {
        var current = _machine.Ke.CurrentThread;
        var target = current;
        if (!threadHandle.IsNull && threadHandle != HANDLE.CurrentThread)
        {
            var status = ObjectByHandle<KTHREAD>(threadHandle, AccessMask.THREAD_TERMINATE, _machine.Ob.ThreadType, current.PreviousMode, out var named);
            if (!status.IsSuccess())
            {
                return status;
            }

            target = named;
        }

        if (target.Kind != ThreadKind.User)
        {
            return NTSTATUS.STATUS_ACCESS_DENIED;
        }

        if (target == current)
        {
            KernelCore.ExitCurrentThread(current, exitStatus);
        }

        _machine.Ke.RequestTermination(target, exitStatus);
        return NTSTATUS.STATUS_SUCCESS;
    }

    /// <summary>
    /// NtQueryInformationThread for ThreadBasicInformation (THREAD_BASIC_INFORMATION, 0x30 bytes: ExitStatus,
    /// TebBaseAddress, ClientId, AffinityMask, Priority, BasePriority); ExitStatus is STATUS_PENDING
    /// (STILL_ACTIVE) while the thread runs. Needs THREAD_QUERY_LIMITED_INFORMATION; any other class is
    /// STATUS_INVALID_INFO_CLASS, another length STATUS_INFO_LENGTH_MISMATCH.
    /// </summary>
    internal NTSTATUS NtQueryInformationThread(HANDLE threadHandle, uint informationClass, ulong information, uint length, ulong returnLength)
    {
        var current = _machine.Ke.CurrentThread;
        var mode = current.PreviousMode;
        if (informationClass != ThreadBasicInformation)
        {
            return NTSTATUS.STATUS_INVALID_INFO_CLASS;
        }

        if (length != ThreadBasicInformationLayout.Size)
        {
            return NTSTATUS.STATUS_INFO_LENGTH_MISMATCH;
        }

        var target = current;
        if (threadHandle != HANDLE.CurrentThread)
        {
            var status = ObjectByHandle<KTHREAD>(threadHandle, AccessMask.THREAD_QUERY_LIMITED_INFORMATION, _machine.Ob.ThreadType, mode, out var named);
            if (!status.IsSuccess())
            {
                return status;
            }

            target = named;
        }

        Span<byte> info = stackalloc byte[ThreadBasicInformationLayout.Size];
        info.Clear();
        var ended = target.SignalState != 0;
        BitConverter.TryWriteBytes(info[ThreadBasicInformationLayout.ExitStatus..], (uint)(ended ? target.ExitStatus : NTSTATUS.STATUS_PENDING));
        BitConverter.TryWriteBytes(info[ThreadBasicInformationLayout.TebBaseAddress..], target.Teb);
        BitConverter.TryWriteBytes(info[ThreadBasicInformationLayout.ClientIdUniqueProcess..],
            (target.Process as EPROCESS)?.UniqueProcessId.Value ?? EPROCESS.SystemProcessId);
        BitConverter.TryWriteBytes(info[ThreadBasicInformationLayout.ClientIdUniqueThread..], (ulong)target.Id);
        BitConverter.TryWriteBytes(info[ThreadBasicInformationLayout.AffinityMask..], (1UL << _machine.Ke.Processors.Length) - 1);
        BitConverter.TryWriteBytes(info[ThreadBasicInformationLayout.Priority..], ThreadBasicInformationLayout.NormalPriority);
        BitConverter.TryWriteBytes(info[ThreadBasicInformationLayout.BasePriority..], ThreadBasicInformationLayout.NormalPriority);
        try
        {
            Probe.ForWrite(_machine.Mm, information, length, 8, mode);
            _machine.Mm.Write(information, info, mode);
            if (returnLength != 0)
            {
                Probe.ForWrite(_machine.Mm, returnLength, 4, 4, mode);
                _machine.Mm.Write(returnLength, length, mode);
            }
        }
        catch (NtException e)
        {
            return e.Status;
        }

        return NTSTATUS.STATUS_SUCCESS;
    }
}
