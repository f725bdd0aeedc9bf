using System.Text;
using SharpNT.Kernel.Ex;
using SharpNT.Kernel.Ke;
using SharpNT.Kernel.Se;

namespace SharpNT.Kernel.Pnp;

/// <summary>
/// The PnP manager's system services, the kernel half of the user-mode PnP manager (umpnpmgr) and of
/// cfgmgr32: NtPlugPlayControl (PlugPlayControlGetInterfaceDeviceList, PlugPlayControlUserResponse) and
/// NtGetPlugPlayEvent, which hands out the queued device-interface arrivals and removals one at a time.
/// </summary>
internal sealed partial class PnpManager
{
    /// <summary>sizeof(PLUGPLAY_CONTROL_INTERFACE_DEVICE_LIST_DATA) on x64: DeviceInstance, FilterGuid, Flags, Buffer, BufferSize.</summary>
    internal const uint InterfaceDeviceListDataSize = 48;

    /// <summary>sizeof(PLUGPLAY_CONTROL_USER_RESPONSE_DATA).</summary>
    internal const uint UserResponseDataSize = 16;

    /// <summary>FIELD_OFFSET(PLUGPLAY_EVENT_BLOCK, u.DeviceClass.SymbolicLinkName) on x64.</summary>
    internal const uint EventBlockSymbolicLinkOffset = 64;

    /// <summary>PLUGPLAY_EVENT_CATEGORY DeviceClassChangeEvent.</summary>
    internal const uint DeviceClassChangeEvent = 2;

    /// <summary>CM_GET_DEVICE_INTERFACE_LIST_ALL_DEVICES: interfaces that are not enabled too.</summary>
    internal const uint CM_GET_DEVICE_INTERFACE_LIST_ALL_DEVICES = 1;

    /// <summary>How many events the queue keeps for a consumer that does not come.</summary>
    private const int MaxQueuedEvents = 256;

    /// <summary>Interface arrivals and removals, oldest first, for user mode (the PnP event queue).</summary>
    private readonly List<PnpInterfaceEvent> _interfaceEvents = [];

    /// <summary>Signaled while the event queue is not empty.</summary>
    private readonly KEVENT _interfaceEvent = CreateNotificationEvent();

    private static KEVENT CreateNotificationEvent()
    {
        var evt = new KEVENT();
        KernelCore.InitializeEvent(evt, EVENT_TYPE.NotificationEvent, false);
        return evt;
    }

    private void QueueUserEvent(PnpInterfaceEvent item)
    {
        lock (_lock)
        {
            _interfaceEvents.Add(item);
            if (_interfaceEvents.Count > MaxQueuedEvents)
            {
                _interfaceEvents.RemoveAt(0);
            }
        }

        _machine.Ke.SetEvent(_interfaceEvent);
    }

    /// <summary>
    /// NtPlugPlayControl: a buffer of the size the class defines, probed and captured for a user-mode caller.
    /// A class outside the enumeration is STATUS_INVALID_PARAMETER_1; a class not modelled STATUS_NOT_IMPLEMENTED.
    /// </summary>
    internal NTSTATUS NtPlugPlayControl(uint controlClass, ulong buffer, uint bufferLength)
    {
        var mode = _machine.Ke.CurrentThread.PreviousMode;
        try
        {
            return (PLUGPLAY_CONTROL_CLASS)controlClass switch
            {
                PLUGPLAY_CONTROL_CLASS.PlugPlayControlGetInterfaceDeviceList => GetInterfaceDeviceList(buffer, bufferLength, mode),
                PLUGPLAY_CONTROL_CLASS.PlugPlayControlUserResponse => UserResponse(bufferLength),
                PLUGPLAY_CONTROL_CLASS.PlugPlayControlQueryAndRemoveDevice => QueryAndRemoveDevice(buffer, bufferLength, mode),
                _ when controlClass >= (uint)PLUGPLAY_CONTROL_CLASS.MaxPlugPlayControl => NTSTATUS.STATUS_INVALID_PARAMETER_1,
                _ => NTSTATUS.STATUS_NOT_IMPLEMENTED,
            };
        }
        catch (NtException e)
        {
            return e.Status;
        }
    }

    /// <summary>
    /// PlugPlayControlGetInterfaceDeviceList: the symbolic link names (a REG_MULTI_SZ, \??\ form) of the enabled interfaces of
    /// FilterGuid (every one with CM_GET_DEVICE_INTERFACE_LIST_ALL_DEVICES), of one device when DeviceInstance names one.
    /// BufferSize, in characters, is set to the size the list needs; a NULL Buffer asks only for it, a smaller one is
    /// STATUS_BUFFER_TOO_SMALL. An unknown device instance is STATUS_NO_SUCH_DEVICE.
    /// </summary>
    private NTSTATUS GetInterfaceDeviceList(ulong data, uint length, KPROCESSOR_MODE mode)
    {
        if (length != InterfaceDeviceListDataSize)
        {
            return NTSTATUS.STATUS_INVALID_PARAMETER;
        }

        Probe.ForWrite(Mm, data, length, 4, mode);
        var instanceLength = Mm.Read<ushort>(data, mode);
        var instanceBuffer = Mm.Read<ulong>(data + 8, mode);
        var filterGuid = Mm.Read<ulong>(data + 16, mode);
        var flags = Mm.Read<uint>(data + 24, mode);
        var buffer = Mm.Read<ulong>(data + 32, mode);
        var bufferSize = Mm.Read<uint>(data + 40, mode);
        if (filterGuid == 0 || (flags & ~CM_GET_DEVICE_INTERFACE_LIST_ALL_DEVICES) != 0)
        {
            return NTSTATUS.STATUS_INVALID_PARAMETER;
        }

        Probe.ForRead(filterGuid, 16, 4, mode);
        Span<byte> guidBytes = stackalloc byte[16];
        Mm.Read(filterGuid, guidBytes, mode);
        var guid = new Guid(guidBytes);
        DEVICE_NODE? node = null;
        if (instanceLength > 0)
        {
            Probe.ForRead(instanceBuffer, instanceLength, 2, mode);
            var chars = new byte[instanceLength & ~1];
            Mm.Read(instanceBuffer, chars, mode);
            var instance = Encoding.Unicode.GetString(chars);
            node = FindNode(instance);
            if (node is null)
            {
                return NTSTATUS.STATUS_NO_SUCH_DEVICE;
            }
        }

        var names = GetDeviceInterfaces(guid, node, (flags & CM_GET_DEVICE_INTERFACE_LIST_ALL_DEVICES) != 0);
        var list = string.Concat(names.Select(n => n + "\0")) + "\0";
        var needed = (uint)list.Length;
        Mm.Write(data + 40, needed, mode);
        if (buffer == 0)
        {
            return NTSTATUS.STATUS_SUCCESS;
        }

        if (bufferSize < needed)
        {
            return NTSTATUS.STATUS_BUFFER_TOO_SMALL;
        }

        Probe.ForWrite(Mm, buffer, needed * 2, 2, mode);
        Mm.Write(buffer, (ReadOnlySpan<byte>)Encoding.Unicode.GetBytes(list), mode);
        return NTSTATUS.STATUS_SUCCESS;
    }

    /// <summary>
    /// PlugPlayControlQueryAndRemoveDevice (PLUGPLAY_CONTROL_QUERY_AND_REMOVE_DATA: DeviceInstance, Flags, VetoType, VetoName,
    /// NameLength): the orderly removal of the device and everything below it, carried out on the PnP worker. A veto is
    /// STATUS_PLUGPLAY_QUERY_VETOED with VetoType and the vetoing device or driver in VetoName (NameLength characters at most).
    /// The user-mode PnP manager calls it as SYSTEM: other callers lack SeTcbPrivilege (STATUS_PRIVILEGE_NOT_HELD).
    /// </summary>
    private NTSTATUS QueryAndRemoveDevice(ulong data, uint length, KPROCESSOR_MODE mode)
    {
        if (length != QueryAndRemoveDataSize)
        {
            return NTSTATUS.STATUS_INVALID_PARAMETER;
        }

        if (!HasTcbPrivilege(mode))
        {
            return NTSTATUS.STATUS_PRIVILEGE_NOT_HELD;
        }

        Probe.ForWrite(Mm, data, length, 4, mode);
        var instanceLength = Mm.Read<ushort>(data, mode);
        var instanceBuffer = Mm.Read<ulong>(data + 8, mode);
        var vetoName = Mm.Read<ulong>(data + 24, mode);
        var nameLength = Mm.Read<uint>(data + 32, mode);
        Probe.ForRead(instanceBuffer, instanceLength, 2, mode);
        var chars = new byte[instanceLength & ~1];
        Mm.Read(instanceBuffer, chars, mode);
        if (FindNode(Encoding.Unicode.GetString(chars)) is not { Parent: not null } node)
        {
            return NTSTATUS.STATUS_NO_SUCH_DEVICE;
        }

        var done = new KEVENT();
        KernelCore.InitializeEvent(done, EVENT_TYPE.NotificationEvent, false);
        var status = NTSTATUS.STATUS_SUCCESS;
        (PNP_VETO_TYPE Type, string Name)? veto = null;
        QueueWork(() =>
        {
            status = QueryRemoveAndRemoveDevice(node);
            veto = status == NTSTATUS.STATUS_PLUGPLAY_QUERY_VETOED ? LastVeto : null;
            _machine.Ke.SetEvent(done);
        });
        ReadOnlySpan<DispatcherObject> wait = [done];
        _machine.Ke.Wait(wait, WAIT_TYPE.WaitAny, KWAIT_REASON.Executive, KPROCESSOR_MODE.KernelMode, false, null, null);
        Mm.Write(data + 20, (uint)(veto?.Type ?? PNP_VETO_TYPE.PNP_VetoTypeUnknown), mode);
        if (veto is { } v && vetoName != 0 && nameLength > 0)
        {
            var name = Encoding.Unicode.GetBytes(v.Name[..Math.Min(v.Name.Length, (int)nameLength - 1)] + "\0");
            Probe.ForWrite(Mm, vetoName, (ulong)name.Length, 2, mode);
            Mm.Write(vetoName, (ReadOnlySpan<byte>)name, mode);
        }

        return status;
    }

    /// <summary>sizeof(PLUGPLAY_CONTROL_QUERY_AND_REMOVE_DATA) on x64.</summary>
    internal const uint QueryAndRemoveDataSize = 40;

    private bool HasTcbPrivilege(KPROCESSOR_MODE mode) =>
        mode != KPROCESSOR_MODE.UserMode
        || _machine.Ob.CurrentProcess.Token?.IsPrivilegeEnabled(new LUID(SePrivileges.SE_TCB_PRIVILEGE, 0)) == true;

    /// <summary>PlugPlayControlUserResponse: the consumer is done with the event NtGetPlugPlayEvent gave it; the next one comes up.</summary>
    private NTSTATUS UserResponse(uint length)
    {
        if (length != UserResponseDataSize)
        {
            return NTSTATUS.STATUS_INVALID_PARAMETER;
        }

        bool empty;
        lock (_lock)
        {
            if (_interfaceEvents.Count > 0)
            {
                _interfaceEvents.RemoveAt(0);
            }

            empty = _interfaceEvents.Count == 0;
        }

        if (empty)
        {
            _machine.Ke.ResetEvent(_interfaceEvent);
        }

        return NTSTATUS.STATUS_SUCCESS;
    }

    /// <summary>
    /// NtGetPlugPlayEvent: waits (alertable, in the caller's mode) until the PnP event queue holds an event and copies the
    /// oldest into a PLUGPLAY_EVENT_BLOCK: EventGuid (GUID_DEVICE_INTERFACE_ARRIVAL or _REMOVAL), EventCategory
    /// DeviceClassChangeEvent, TotalSize, then u.DeviceClass: ClassGuid and the NUL-terminated SymbolicLinkName. The event
    /// stays queued until PlugPlayControlUserResponse. The caller needs SeTcbPrivilege (STATUS_PRIVILEGE_NOT_HELD); a buffer
    /// too small for the event is STATUS_BUFFER_TOO_SMALL.
    /// </summary>
    internal NTSTATUS NtGetPlugPlayEvent(ulong eventHandle, ulong context, ulong buffer, uint bufferSize)
    {
        _ = eventHandle;
        _ = context;
        var ke = _machine.Ke;
        var mode = ke.CurrentThread.PreviousMode;
        if (!HasTcbPrivilege(mode))
        {
            return NTSTATUS.STATUS_PRIVILEGE_NOT_HELD;
        }

        ReadOnlySpan<DispatcherObject> wait = [_interfaceEvent];
        PnpInterfaceEvent? item;
        while (true)
        {
            lock (_lock)
            {
                item = _interfaceEvents.Count > 0 ? _interfaceEvents[0] : null;
            }

            if (item is not null)
            {
                break;
            }

            var status = ke.Wait(wait, WAIT_TYPE.WaitAny, KWAIT_REASON.UserRequest, mode, true, null, null);
            if (status is NTSTATUS.STATUS_ALERTED or NTSTATUS.STATUS_USER_APC)
            {
                return status;
            }
        }

        var name = Encoding.Unicode.GetBytes(item.SymbolicLinkName + "\0");
        var total = EventBlockSymbolicLinkOffset + (uint)name.Length;
        if (bufferSize < total)
        {
            return NTSTATUS.STATUS_BUFFER_TOO_SMALL;
        }

        try
        {
            Probe.ForWrite(Mm, buffer, total, 4, mode);
            Mm.Write(buffer, (ReadOnlySpan<byte>)(item.Arrival
                ? DEVICE_INTERFACE_CHANGE_NOTIFICATION.GUID_DEVICE_INTERFACE_ARRIVAL
                : DEVICE_INTERFACE_CHANGE_NOTIFICATION.GUID_DEVICE_INTERFACE_REMOVAL).ToByteArray(), mode);
            Mm.Write(buffer + 16, DeviceClassChangeEvent, mode);
            Mm.Write(buffer + 24, 0UL, mode);
            Mm.Write(buffer + 32, 0u, mode);
            Mm.Write(buffer + 36, total, mode);
            Mm.Write(buffer + 40, 0UL, mode);
            Mm.Write(buffer + 48, (ReadOnlySpan<byte>)item.ClassGuid.ToByteArray(), mode);
            Mm.Write(buffer + EventBlockSymbolicLinkOffset, (ReadOnlySpan<byte>)name, mode);
        }
        catch (NtException e)
        {
            return e.Status;
        }

        return NTSTATUS.STATUS_SUCCESS;
    }
}
