using SharpNT.Kernel.Ke;
using SharpNT.Kernel.Ps;

namespace SharpNT.Kernel.Ob;

internal sealed partial class ObjectManager
{
    /// <summary>The attributes a handle table entry keeps.</summary>
    private const uint HandleAttributeMask =
        OBJECT_ATTRIBUTES.OBJ_INHERIT | OBJECT_ATTRIBUTES.OBJ_PROTECT_CLOSE | OBJECT_ATTRIBUTES.OBJ_AUDIT_OBJECT_CLOSE;

    /// <summary>DUPLICATE_CLOSE_SOURCE, DUPLICATE_SAME_ACCESS, DUPLICATE_SAME_ATTRIBUTES (ZwDuplicateObject options).</summary>
    internal const uint DUPLICATE_CLOSE_SOURCE = 0x1;

    internal const uint DUPLICATE_SAME_ACCESS = 0x2;

    internal const uint DUPLICATE_SAME_ATTRIBUTES = 0x4;

    /// <summary>
    /// ObpCreateHandle: a handle to <paramref name="header"/> granting <paramref name="desiredAccess"/>
    /// (generic rights mapped, limited to the type's valid rights). A kernel-mode request with
    /// OBJ_KERNEL_HANDLE goes to the kernel handle table and the value carries the kernel bits; any other
    /// goes to the current process's table. With <paramref name="transferReference"/> the caller's pointer
    /// reference becomes the handle's; otherwise the handle takes a new one.
    /// </summary>
    internal NTSTATUS CreateHandle(ObjectHeader header, uint desiredAccess, uint attributes, KPROCESSOR_MODE accessMode,
        bool transferReference, out HANDLE handle)
    {
        var kernel = (attributes & OBJECT_ATTRIBUTES.OBJ_KERNEL_HANDLE) != 0 && accessMode == KPROCESSOR_MODE.KernelMode;
        var process = kernel ? SystemProcess : CurrentProcess;
        if (!transferReference)
        {
            Reference(header);
        }

        var status = InsertHandleWithCallbacks(ObjectCallbacks.OB_OPERATION_HANDLE_CREATE, process, header,
            header.Type.GrantedAccessFor(desiredAccess), attributes, kernel, out handle);
        if (!status.IsSuccess() && !transferReference)
        {
            Dereference(header);
        }

        return status;
    }

    /// <summary>
    /// InsertHandle for a new or duplicated handle: a handle to a process or thread first passes the drivers'
    /// ObRegisterCallbacks callbacks (<paramref name="operation"/> is OB_OPERATION_HANDLE_CREATE or _DUPLICATE),
    /// which may narrow <paramref name="grantedAccess"/>.
    /// </summary>
    private NTSTATUS InsertHandleWithCallbacks(uint operation, EPROCESS process, ObjectHeader header, uint grantedAccess, uint attributes,
        bool kernel, out HANDLE handle)
    {
        if (!HasObjectCallbacks(header.Type))
        {
            return InsertHandle(process, header, grantedAccess, attributes, kernel, out handle);
        }

        var inserted = HANDLE.NULL;
        var status = Callbacks.Around(operation, header.Type, header.Body, kernel, grantedAccess, access =>
        {
            var s = InsertHandle(process, header, access, attributes, kernel, out inserted);
            return (s, s.IsSuccess() ? access : 0);
        });
        handle = inserted;
        return status;
    }

    /// <summary>Whether handles of this type pass through object callbacks (processes and threads, when any are registered).</summary>
    private bool HasObjectCallbacks(OBJECT_TYPE type) => (type == ProcessType || type == ThreadType) && Callbacks.Any;

    /// <summary>
    /// Adds the entry to <paramref name="process"/>'s table; the handle takes over a pointer reference the
    /// caller holds. OBJ_EXCLUSIVE: only one process may hold handles, and asking for exclusivity fails
    /// when another handle is open (STATUS_ACCESS_DENIED).
    /// </summary>
    private NTSTATUS InsertHandle(EPROCESS process, ObjectHeader header, uint grantedAccess, uint attributes, bool kernel,
        out HANDLE handle)
    {
        handle = HANDLE.NULL;
        var exclusive = (attributes & OBJECT_ATTRIBUTES.OBJ_EXCLUSIVE) != 0;
        lock (_lock)
        {
            if ((header.ExclusiveProcess is { } owner && owner != process)
                || (exclusive && header.ExclusiveProcess is null && header.HandleCount > 0))
            {
                return NTSTATUS.STATUS_ACCESS_DENIED;
            }

            if (exclusive)
            {
                header.ExclusiveProcess = process;
            }

            AddHandleCountLocked(header, process, +1);
        }

        var value = process.ObjectTable.Create(new HandleTableEntry(header, grantedAccess, attributes & HandleAttributeMask));
        if (value == 0)
        {
            lock (_lock)
            {
                AddHandleCountLocked(header, process, -1);
            }

            return NTSTATUS.STATUS_INSUFFICIENT_RESOURCES;
        }

        handle = kernel ? new HANDLE(value | HANDLE.KERNEL_HANDLE_MASK) : new HANDLE(value);
        return NTSTATUS.STATUS_SUCCESS;
    }

    private static void AddHandleCountLocked(ObjectHeader header, EPROCESS process, int delta)
    {
        header.HandleCount += delta;
        header.Type.TotalNumberOfHandles += delta;
        header.Type.HighWaterNumberOfHandles = Math.Max(header.Type.HighWaterNumberOfHandles, header.Type.TotalNumberOfHandles);
        header.ProcessHandleCounts ??= [];
        header.ProcessHandleCounts.TryGetValue(process, out var perProcess);
        perProcess += delta;
        if (perProcess == 0)
        {
            header.ProcessHandleCounts.Remove(process);
        }
        else
        {
            header.ProcessHandleCounts[process] = perProcess;
        }
    }

    /// <summary>
    /// The table a handle value indexes, and its index there: a kernel handle used from kernel mode
    /// indexes the kernel handle table; any other value, the current process's table (from user mode a
    /// kernel-handle value indexes nothing there).
    /// </summary>
    private (HandleTable Table, ulong Value) ResolveHandle(HANDLE handle, KPROCESSOR_MODE accessMode) =>
        handle.IsKernelHandle && accessMode == KPROCESSOR_MODE.KernelMode
            ? (KernelHandleTable, handle.Value & ~HANDLE.KERNEL_HANDLE_MASK)
            : (CurrentProcess.ObjectTable, handle.Value);

    /// <summary>
    /// ObReferenceObjectByHandle: the object a handle refers to, referenced. Wrong type:
    /// STATUS_OBJECT_TYPE_MISMATCH. For UserMode, access beyond what the handle was granted:
    /// STATUS_ACCESS_DENIED (KernelMode skips the check, as documented). Not a handle:
    /// STATUS_INVALID_HANDLE, or with bad handle detection on, INVALID_KERNEL_HANDLE (handle, table, 0, 1)
    /// for a kernel handle used from kernel mode. NtCurrentProcess() and NtCurrentThread() name the caller's
    /// process and thread.
    /// </summary>
    internal NTSTATUS ReferenceObjectByHandle(HANDLE handle, uint desiredAccess, OBJECT_TYPE? objectType,
        KPROCESSOR_MODE accessMode, out object? obj, out OBJECT_HANDLE_INFORMATION handleInformation)
    {
        obj = null;
        handleInformation = default;
        if (handle.IsPseudoHandle)
        {
            return ReferencePseudoHandle(handle, desiredAccess, objectType, accessMode, out obj, out handleInformation);
        }

        var (table, value) = ResolveHandle(handle, accessMode);
        var entry = table.Reference(value);
        if (entry is null)
        {
            if (BadHandleDetection && handle.IsKernelHandle && accessMode == KPROCESSOR_MODE.KernelMode)
            {
                _machine.BugCheck.Raise(BugCheckCode.INVALID_KERNEL_HANDLE, handle.Value, table.Address, 0, 1);
            }

            return NTSTATUS.STATUS_INVALID_HANDLE;
        }

        var header = entry.Object;
        if (objectType is not null && header.Type != objectType)
        {
            Dereference(header);
            return NTSTATUS.STATUS_OBJECT_TYPE_MISMATCH;
        }

        if (accessMode != KPROCESSOR_MODE.KernelMode && (desiredAccess & ~entry.GrantedAccess) != 0)
        {
            Dereference(header);
            return NTSTATUS.STATUS_ACCESS_DENIED;
        }

        obj = header.Body;
        handleInformation = new OBJECT_HANDLE_INFORMATION(entry.Attributes, entry.GrantedAccess);
        return NTSTATUS.STATUS_SUCCESS;
    }

    private NTSTATUS ReferencePseudoHandle(HANDLE handle, uint desiredAccess, OBJECT_TYPE? objectType,
        KPROCESSOR_MODE accessMode, out object? obj, out OBJECT_HANDLE_INFORMATION handleInformation)
    {
        obj = null;
        handleInformation = default;
        object body;
        uint granted;
        if (handle == HANDLE.CurrentProcess)
        {
            body = CurrentProcess;
            granted = AccessMask.PROCESS_ALL_ACCESS;
        }
        else
        {
            body = KTHREAD.Current is { } t && t.Machine == _machine
                ? t
                : throw new InvalidOperationException("NtCurrentThread() names the calling simulated thread: call it inside Machine.Run.");
            granted = AccessMask.THREAD_ALL_ACCESS;
        }

        var header = GetHeader(body);
        if (objectType is not null && header.Type != objectType)
        {
            return NTSTATUS.STATUS_OBJECT_TYPE_MISMATCH;
        }

        if (accessMode != KPROCESSOR_MODE.KernelMode && (desiredAccess & ~granted) != 0)
        {
            return NTSTATUS.STATUS_ACCESS_DENIED;
        }

        Reference(header);
        obj = body;
        handleInformation = new OBJECT_HANDLE_INFORMATION(0, granted);
        return NTSTATUS.STATUS_SUCCESS;
    }

    /// <summary>
    /// NtClose / ZwClose. From kernel mode an invalid handle is INVALID_KERNEL_HANDLE (handle, 1, 0, 0) and
    /// a handle protected from close is INVALID_KERNEL_HANDLE (handle, 0, 0, 0); from user mode they are
    /// STATUS_INVALID_HANDLE and STATUS_HANDLE_NOT_CLOSABLE. Closing runs the type's close procedure,
    /// removes a temporary object's name with its last handle, and drops the handle's reference.
    /// </summary>
    internal NTSTATUS CloseHandle(HANDLE handle, KPROCESSOR_MODE previousMode)
    {
        if (handle.IsPseudoHandle)
        {
            return NTSTATUS.STATUS_INVALID_HANDLE;
        }

        var (table, value) = ResolveHandle(handle, previousMode);
        var entry = table.Remove(value, out var protectedFromClose);
        if (entry is null)
        {
            if (previousMode == KPROCESSOR_MODE.KernelMode)
            {
                _machine.BugCheck.Raise(BugCheckCode.INVALID_KERNEL_HANDLE, handle.Value, protectedFromClose ? 0UL : 1UL, 0, 0);
            }

            return protectedFromClose ? NTSTATUS.STATUS_HANDLE_NOT_CLOSABLE : NTSTATUS.STATUS_INVALID_HANDLE;
        }

        DecrementHandleCount(entry, table.Owner);
        return NTSTATUS.STATUS_SUCCESS;
    }

    /// <summary>
    /// ObpDecrementHandleCount: one handle fewer. The close procedure learns the counts as they were before
    /// this close; a temporary object's name goes with its last handle; then the handle's reference goes.
    /// </summary>
    private void DecrementHandleCount(HandleTableEntry entry, EPROCESS process)
    {
        var header = entry.Object;
        long systemHandleCount;
        long processHandleCount;
        lock (_lock)
        {
            systemHandleCount = header.HandleCount;
            processHandleCount = header.ProcessHandleCounts is { } counts && counts.TryGetValue(process, out var n) ? n : 0;
            AddHandleCountLocked(header, process, -1);
        }

        header.Type.CloseProcedure?.Invoke(process, header.Body, entry.GrantedAccess, (ulong)processHandleCount,
            (ulong)systemHandleCount);
        DeleteNameCheck(header);
        Dereference(header);
    }

    /// <summary>
    /// ObpDeleteNameCheck: a temporary object with no handles leaves the namespace, releasing the name's
    /// references on the object and on its directory.
    /// </summary>
    private void DeleteNameCheck(ObjectHeader header)
    {
        OBJECT_DIRECTORY? directory = null;
        lock (_lock)
        {
            if (header.HandleCount == 0 && !header.Permanent && header.Directory is { } d)
            {
                d.Remove(header);
                header.Directory = null;
                directory = d;
            }
        }

        if (directory is not null)
        {
            Dereference(GetHeader(directory));
            Dereference(header);
        }
    }

    /// <summary>
    /// ObMakeTemporaryObject: clears OBJ_PERMANENT; the name goes now if no handle is open, else with the
    /// last handle.
    /// </summary>
    internal void MakeTemporaryObject(object body)
    {
        var header = GetHeader(body);
        lock (_lock)
        {
            header.Permanent = false;
        }

        DeleteNameCheck(header);
    }

    /// <summary>NtMakeTemporaryObject: ObMakeTemporaryObject on the object a handle refers to (DELETE access).</summary>
    internal NTSTATUS MakeTemporaryObject(HANDLE handle, KPROCESSOR_MODE previousMode)
    {
        var status = ReferenceObjectByHandle(handle, AccessMask.DELETE, null, previousMode, out var body, out _);
        if (!status.IsSuccess())
        {
            return status;
        }

        MakeTemporaryObject(body!);
        DereferenceObject(body!);
        return NTSTATUS.STATUS_SUCCESS;
    }

    /// <summary>
    /// ObOpenObjectByPointer: a handle to an object the caller holds a pointer to. The type must match
    /// (STATUS_OBJECT_TYPE_MISMATCH).
    /// </summary>
    internal NTSTATUS OpenObjectByPointer(object body, uint handleAttributes, ACCESS_STATE? accessState, uint desiredAccess,
        OBJECT_TYPE? objectType, KPROCESSOR_MODE accessMode, out HANDLE handle)
    {
        handle = HANDLE.NULL;
        var header = GetHeader(body);
        if (objectType is not null && header.Type != objectType)
        {
            return NTSTATUS.STATUS_OBJECT_TYPE_MISMATCH;
        }

        if ((handleAttributes & ~OBJECT_ATTRIBUTES.OBJ_VALID_ATTRIBUTES) != 0)
        {
            return NTSTATUS.STATUS_INVALID_PARAMETER;
        }

        if (accessState is not null)
        {
            // A passed access state carries the request (ObOpenObjectByPointer's PassedAccessState).
            desiredAccess = accessState.OriginalDesiredAccess | accessState.PreviouslyGrantedAccess;
        }

        Reference(header);
        var status = CreateHandle(header, desiredAccess, handleAttributes, accessMode, transferReference: true, out handle);
        if (!status.IsSuccess())
        {
            Dereference(header);
        }

        return status;
    }

    /// <summary>
    /// ObSetHandleAttributes: sets OBJ_INHERIT and OBJ_PROTECT_CLOSE of a handle (the flags
    /// OBJECT_HANDLE_FLAG_INFORMATION carries).
    /// </summary>
    internal NTSTATUS SetHandleAttributes(HANDLE handle, bool inherit, bool protectFromClose, KPROCESSOR_MODE previousMode)
    {
        var (table, value) = ResolveHandle(handle, previousMode);
        var entry = table.Lookup(value);
        if (entry is null)
        {
            return NTSTATUS.STATUS_INVALID_HANDLE;
        }

        var attributes = entry.Attributes & ~(OBJECT_ATTRIBUTES.OBJ_INHERIT | OBJECT_ATTRIBUTES.OBJ_PROTECT_CLOSE);
        attributes |= (inherit ? OBJECT_ATTRIBUTES.OBJ_INHERIT : 0) | (protectFromClose ? OBJECT_ATTRIBUTES.OBJ_PROTECT_CLOSE : 0);
        return table.SetAttributes(value, attributes) ? NTSTATUS.STATUS_SUCCESS : NTSTATUS.STATUS_INVALID_HANDLE;
    }

    /// <summary>
    /// NtDuplicateObject: a new handle, in <paramref name="targetProcess"/>'s table, to the object a handle
    /// of <paramref name="sourceProcess"/> refers to. DUPLICATE_SAME_ACCESS keeps the source's access,
    /// DUPLICATE_SAME_ATTRIBUTES its attributes; DUPLICATE_CLOSE_SOURCE closes the source handle (with no
    /// target process, that is all it does).
    /// </summary>
    internal NTSTATUS DuplicateObject(EPROCESS sourceProcess, HANDLE sourceHandle, EPROCESS? targetProcess,
        out HANDLE targetHandle, uint desiredAccess, uint handleAttributes, uint options, KPROCESSOR_MODE previousMode)
    {
        targetHandle = HANDLE.NULL;
        if (sourceHandle.IsPseudoHandle)
        {
            return NTSTATUS.STATUS_INVALID_HANDLE;
        }

        var (table, value) = sourceHandle.IsKernelHandle && previousMode == KPROCESSOR_MODE.KernelMode
            ? (KernelHandleTable, sourceHandle.Value & ~HANDLE.KERNEL_HANDLE_MASK)
            : (sourceProcess.ObjectTable, sourceHandle.Value);
        var entry = table.Reference(value);
        if (entry is null)
        {
            return NTSTATUS.STATUS_INVALID_HANDLE;
        }

        var header = entry.Object;
        var status = NTSTATUS.STATUS_SUCCESS;
        if (targetProcess is not null)
        {
            var access = (options & DUPLICATE_SAME_ACCESS) != 0 ? entry.GrantedAccess : desiredAccess;
            var attributes = (options & DUPLICATE_SAME_ATTRIBUTES) != 0 ? entry.Attributes : handleAttributes;
            if (previousMode != KPROCESSOR_MODE.KernelMode && (header.Type.GrantedAccessFor(access) & ~entry.GrantedAccess) != 0)
            {
                // From user mode a duplicate cannot gain rights the source handle lacks.
                status = NTSTATUS.STATUS_ACCESS_DENIED;
            }
            else
            {
                var kernel = targetProcess == SystemProcess && (handleAttributes & OBJECT_ATTRIBUTES.OBJ_KERNEL_HANDLE) != 0
                    && previousMode == KPROCESSOR_MODE.KernelMode;
                status = InsertHandleWithCallbacks(ObjectCallbacks.OB_OPERATION_HANDLE_DUPLICATE, targetProcess, header,
                    header.Type.GrantedAccessFor(access), attributes & ~OBJECT_ATTRIBUTES.OBJ_EXCLUSIVE, kernel, out targetHandle);
            }
        }

        // On success the reference taken for the lookup became the new handle's.
        if (!status.IsSuccess() || targetProcess is null)
        {
            Dereference(header);
        }

        if ((options & DUPLICATE_CLOSE_SOURCE) != 0)
        {
            var removed = table.Remove(value, out _);
            if (removed is not null)
            {
                DecrementHandleCount(removed, table.Owner);
            }
        }

        return status;
    }
}
