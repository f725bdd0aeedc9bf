using System.Text;
using SharpNT.Kernel.Ex;
using SharpNT.Kernel.Ke;

namespace SharpNT.Kernel.Ob;

/// <summary>
/// The object manager's system services and the capture of OBJECT_ATTRIBUTES from a caller's memory: NtClose,
/// NtWaitForSingleObject, and the event services (NtCreateEvent, NtSetEvent, NtResetEvent). The Zw
/// routines drivers call are the same services with PreviousMode KernelMode.
/// </summary>
internal sealed partial class ObjectManager
{
    /// <summary>
    /// ObpCaptureObjectCreateInformation's capture: an OBJECT_ATTRIBUTES and its name, probed and copied
    /// out of the caller's memory. A wrong Length or unknown attribute is STATUS_INVALID_PARAMETER; a name
    /// with an odd length or a Length above MaximumLength is STATUS_OBJECT_NAME_INVALID. A user-mode caller
    /// cannot ask for a kernel handle (OBJ_KERNEL_HANDLE is dropped). Raises the probe's status for a bad
    /// pointer.
    /// </summary>
    internal NTSTATUS CaptureObjectAttributes(ulong address, KPROCESSOR_MODE mode, out OBJECT_ATTRIBUTES attributes)
    {
        attributes = default;
        var mm = _machine.Mm;
        if (address == 0)
        {
            return NTSTATUS.STATUS_INVALID_PARAMETER;
        }

        Probe.ForRead(address, OBJECT_ATTRIBUTES.SizeOf, 8, mode);
        var length = mm.Read<uint>(address, mode);
        var root = mm.Read<ulong>(address + 0x08, mode);
        var namePointer = mm.Read<ulong>(address + 0x10, mode);
        var flags = mm.Read<uint>(address + 0x18, mode);
        if (length != OBJECT_ATTRIBUTES.SizeOf || (flags & ~OBJECT_ATTRIBUTES.OBJ_VALID_ATTRIBUTES) != 0)
        {
            return NTSTATUS.STATUS_INVALID_PARAMETER;
        }

        if (mode == KPROCESSOR_MODE.UserMode)
        {
            flags &= ~OBJECT_ATTRIBUTES.OBJ_KERNEL_HANDLE;
        }

        UNICODE_STRING? name = null;
        if (namePointer != 0)
        {
            Probe.ForRead(namePointer, 16, 8, mode);
            var nameLength = mm.Read<ushort>(namePointer, mode);
            var maximumLength = mm.Read<ushort>(namePointer + 2, mode);
            var buffer = mm.Read<ulong>(namePointer + 8, mode);
            if ((nameLength & 1) != 0 || nameLength > maximumLength || (nameLength != 0 && buffer == 0))
            {
                return NTSTATUS.STATUS_OBJECT_NAME_INVALID;
            }

            Probe.ForRead(buffer, nameLength, 2, mode);
            var bytes = new byte[nameLength];
            mm.Read(buffer, bytes, mode);
            name = new UNICODE_STRING(Encoding.Unicode.GetString(bytes));
        }

        OBJECT_ATTRIBUTES.Initialize(out attributes, name, flags, new HANDLE(root), null);
        return NTSTATUS.STATUS_SUCCESS;
    }

    /// <summary>NtClose.</summary>
    internal NTSTATUS NtClose(HANDLE handle) => CloseHandle(handle, _machine.Ke.CurrentThread.PreviousMode);

    /// <summary>
    /// NtWaitForSingleObject / ZwWaitForSingleObject: waits on the object a handle refers to (SYNCHRONIZE
    /// access), or on the object its type names as its default (a file object's event). STATUS_SUCCESS,
    /// STATUS_TIMEOUT, STATUS_ABANDONED, STATUS_USER_APC / STATUS_ALERTED for an alertable wait;
    /// STATUS_OBJECT_TYPE_MISMATCH if the object cannot be waited on.
    /// </summary>
    internal NTSTATUS WaitForSingleObject(HANDLE handle, bool alertable, long? timeout, KPROCESSOR_MODE mode)
    {
        var status = ReferenceObjectByHandle(handle, AccessMask.SYNCHRONIZE, null, mode, out var body, out _);
        if (!status.IsSuccess())
        {
            return status;
        }

        var waitable = body as DispatcherObject ?? GetObjectType(body!).DefaultObject?.Invoke(body!);
        if (waitable is null)
        {
            DereferenceObject(body!);
            return NTSTATUS.STATUS_OBJECT_TYPE_MISMATCH;
        }

        try
        {
            return _machine.Ke.Wait([waitable], WAIT_TYPE.WaitAny, KWAIT_REASON.UserRequest, mode, alertable, timeout, null);
        }
        finally
        {
            // Also when a terminated thread leaves the wait.
            DereferenceObject(body!);
        }
    }

    /// <summary>NtWaitForSingleObject: the timeout (a LARGE_INTEGER) is captured from the caller.</summary>
    internal NTSTATUS NtWaitForSingleObject(HANDLE handle, bool alertable, ulong timeout)
    {
        var mode = _machine.Ke.CurrentThread.PreviousMode;
        long? interval = null;
        if (timeout != 0)
        {
            try
            {
                Probe.ForRead(timeout, 8, 4, mode);
                interval = _machine.Mm.Read<long>(timeout, mode);
            }
            catch (NtException e)
            {
                return e.Status;
            }
        }

        return WaitForSingleObject(handle, alertable, interval, mode);
    }

    /// <summary>ZwCreateEvent / NtCreateEvent's work: a new (optionally named) event object and a handle to it.</summary>
    internal NTSTATUS CreateEvent(out HANDLE handle, uint desiredAccess, OBJECT_ATTRIBUTES? attributes, EVENT_TYPE eventType, bool initialState,
        KPROCESSOR_MODE mode)
    {
        handle = HANDLE.NULL;
        if (eventType is not (EVENT_TYPE.NotificationEvent or EVENT_TYPE.SynchronizationEvent))
        {
            return NTSTATUS.STATUS_INVALID_PARAMETER;
        }

        var evt = new KEVENT();
        KernelCore.InitializeEvent(evt, eventType, initialState);
        var status = CreateObject(EventType, evt, attributes);
        return status.IsSuccess() ? InsertObject(evt, null, desiredAccess, mode, 0, out _, out handle) : status;
    }

    /// <summary>NtCreateEvent: OBJECT_ATTRIBUTES captured, the handle written to the caller.</summary>
    internal NTSTATUS NtCreateEvent(ulong eventHandle, uint desiredAccess, ulong objectAttributes, EVENT_TYPE eventType, bool initialState)
    {
        var mode = _machine.Ke.CurrentThread.PreviousMode;
        OBJECT_ATTRIBUTES? attributes = null;
        try
        {
            Probe.ForWrite(_machine.Mm, eventHandle, 8, 4, mode);
            if (objectAttributes != 0)
            {
                var captured = CaptureObjectAttributes(objectAttributes, mode, out var oa);
                if (!captured.IsSuccess())
                {
                    return captured;
                }

                attributes = oa;
            }
        }
        catch (NtException e)
        {
            return e.Status;
        }

        var status = CreateEvent(out var handle, desiredAccess, attributes, eventType, initialState, mode);
        if (!status.IsSuccess())
        {
            return status;
        }

        try
        {
            _machine.Mm.Write(eventHandle, handle.Value, mode);
        }
        catch (NtException e)
        {
            CloseHandle(handle, mode);
            return e.Status;
        }

        return status;
    }

    /// <summary>
    /// An operation on the event a handle refers to (EVENT_MODIFY_STATE): KeSetEvent, KeResetEvent or
    /// KePulseEvent, returning the previous state.
    /// </summary>
    internal NTSTATUS EventOperation(HANDLE handle, KPROCESSOR_MODE mode, Func<KernelCore, KEVENT, int> operation, out int previousState)
    {
        previousState = 0;
        var status = ReferenceObjectByHandle(handle, AccessMask.EVENT_MODIFY_STATE, EventType, mode, out var body, out _);
        if (!status.IsSuccess())
        {
            return status;
        }

        previousState = operation(_machine.Ke, (KEVENT)body!);
        DereferenceObject(body!);
        return NTSTATUS.STATUS_SUCCESS;
    }

    /// <summary>NtSetEvent / NtResetEvent: the previous state (a LONG) written to the caller if asked for.</summary>
    internal NTSTATUS NtEventOperation(HANDLE handle, ulong previousState, Func<KernelCore, KEVENT, int> operation)
    {
        var mode = _machine.Ke.CurrentThread.PreviousMode;
        try
        {
            if (previousState != 0)
            {
                Probe.ForWrite(_machine.Mm, previousState, 4, 4, mode);
            }
        }
        catch (NtException e)
        {
            return e.Status;
        }

        var status = EventOperation(handle, mode, operation, out var state);
        if (status.IsSuccess() && previousState != 0)
        {
            try
            {
                _machine.Mm.Write(previousState, state, mode);
            }
            catch (NtException e)
            {
                return e.Status;
            }
        }

        return status;
    }
}
