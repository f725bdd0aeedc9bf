using SharpNT.Kernel.Io;
using SharpNT.Kernel.Ke;
using SharpNT.Kernel.Pnp;

namespace SharpNT.Kernel.Ddi;

/// <summary>
/// The PnP DDIs: re-enumeration (IoInvalidateDeviceRelations), device interfaces (IoRegisterDeviceInterface,
/// IoSetDeviceInterfaceState, IoGetDeviceInterfaces) and PnP notifications (IoRegisterPlugPlayNotification).
/// </summary>
public static partial class Wdm
{
    public const DEVICE_RELATION_TYPE BusRelations = DEVICE_RELATION_TYPE.BusRelations;
    public const DEVICE_RELATION_TYPE EjectionRelations = DEVICE_RELATION_TYPE.EjectionRelations;
    public const DEVICE_RELATION_TYPE PowerRelations = DEVICE_RELATION_TYPE.PowerRelations;
    public const DEVICE_RELATION_TYPE RemovalRelations = DEVICE_RELATION_TYPE.RemovalRelations;
    public const DEVICE_RELATION_TYPE TargetDeviceRelation = DEVICE_RELATION_TYPE.TargetDeviceRelation;

    public const BUS_QUERY_ID_TYPE BusQueryDeviceID = BUS_QUERY_ID_TYPE.BusQueryDeviceID;
    public const BUS_QUERY_ID_TYPE BusQueryHardwareIDs = BUS_QUERY_ID_TYPE.BusQueryHardwareIDs;
    public const BUS_QUERY_ID_TYPE BusQueryCompatibleIDs = BUS_QUERY_ID_TYPE.BusQueryCompatibleIDs;
    public const BUS_QUERY_ID_TYPE BusQueryInstanceID = BUS_QUERY_ID_TYPE.BusQueryInstanceID;
    public const BUS_QUERY_ID_TYPE BusQueryDeviceSerialNumber = BUS_QUERY_ID_TYPE.BusQueryDeviceSerialNumber;
    public const BUS_QUERY_ID_TYPE BusQueryContainerID = BUS_QUERY_ID_TYPE.BusQueryContainerID;

    public const IO_NOTIFICATION_EVENT_CATEGORY EventCategoryDeviceInterfaceChange = IO_NOTIFICATION_EVENT_CATEGORY.EventCategoryDeviceInterfaceChange;
    public const IO_NOTIFICATION_EVENT_CATEGORY EventCategoryTargetDeviceChange = IO_NOTIFICATION_EVENT_CATEGORY.EventCategoryTargetDeviceChange;

    public static readonly Guid GUID_TARGET_DEVICE_QUERY_REMOVE = TARGET_DEVICE_REMOVAL_NOTIFICATION.GUID_TARGET_DEVICE_QUERY_REMOVE;
    public static readonly Guid GUID_TARGET_DEVICE_REMOVE_CANCELLED = TARGET_DEVICE_REMOVAL_NOTIFICATION.GUID_TARGET_DEVICE_REMOVE_CANCELLED;
    public static readonly Guid GUID_TARGET_DEVICE_REMOVE_COMPLETE = TARGET_DEVICE_REMOVAL_NOTIFICATION.GUID_TARGET_DEVICE_REMOVE_COMPLETE;
    public const uint PNPNOTIFY_DEVICE_INTERFACE_INCLUDE_EXISTING_INTERFACES = PnpManager.PNPNOTIFY_DEVICE_INTERFACE_INCLUDE_EXISTING_INTERFACES;

    /// <summary>IoGetDeviceInterfaces: DEVICE_INTERFACE_INCLUDE_NONACTIVE also lists interfaces that are not enabled.</summary>
    public const uint DEVICE_INTERFACE_INCLUDE_NONACTIVE = 0x00000001;

    public static readonly Guid GUID_DEVICE_INTERFACE_ARRIVAL = DEVICE_INTERFACE_CHANGE_NOTIFICATION.GUID_DEVICE_INTERFACE_ARRIVAL;
    public static readonly Guid GUID_DEVICE_INTERFACE_REMOVAL = DEVICE_INTERFACE_CHANGE_NOTIFICATION.GUID_DEVICE_INTERFACE_REMOVAL;

    internal static PnpManager Pnp => CurrentMachine.Pnp;

    /// <summary>
    /// IoInvalidateDeviceRelations: IRQL &lt;= DISPATCH_LEVEL. For BusRelations the PnP manager queues a
    /// re-enumeration of the device's bus (IRP_MN_QUERY_DEVICE_RELATIONS from its worker). A device object that
    /// is not a PDO the PnP manager knows is bug check 0xCA PNP_DETECTED_FATAL_ERROR (0x2, invalid PDO, the object).
    /// </summary>
    public static void IoInvalidateDeviceRelations(DEVICE_OBJECT DeviceObject, DEVICE_RELATION_TYPE Type)
    {
        var machine = CurrentMachine;
        if (machine.Pnp.NodeOf(DeviceObject) is not { } node)
        {
            machine.BugCheck.Raise(BugCheckCode.PNP_DETECTED_FATAL_ERROR, 0x2, DeviceObject.Address, 0, 0);
            return;
        }

        if (Type == DEVICE_RELATION_TYPE.BusRelations)
        {
            machine.Pnp.RequestDeviceAction(node, PnpDeviceAction.Enumerate);
        }
    }

    /// <summary>
    /// IoRegisterDeviceInterface: PASSIVE_LEVEL. Registers an interface of class InterfaceClassGuid on the device
    /// whose PDO is given (optionally with a reference string) and returns its symbolic link name; registering
    /// again returns the same name. STATUS_INVALID_DEVICE_REQUEST if the object is not a PDO.
    /// </summary>
    public static NTSTATUS IoRegisterDeviceInterface(DEVICE_OBJECT PhysicalDeviceObject, Guid InterfaceClassGuid, UNICODE_STRING? ReferenceString,
        out UNICODE_STRING SymbolicLinkName)
    {
        ObEnter(PASSIVE_LEVEL);
        var status = Pnp.RegisterDeviceInterface(PhysicalDeviceObject, InterfaceClassGuid, ReferenceString?.Value, out var name);
        SymbolicLinkName = status.IsSuccess() ? new UNICODE_STRING(name) : default;
        return status;
    }

    /// <summary>
    /// IoSetDeviceInterfaceState: PASSIVE_LEVEL. Enables (the link appears, arrival is notified) or disables an
    /// interface; STATUS_OBJECT_NAME_EXISTS when it is already enabled, STATUS_OBJECT_NAME_NOT_FOUND when disabling
    /// one that is not enabled.
    /// </summary>
    public static NTSTATUS IoSetDeviceInterfaceState(UNICODE_STRING SymbolicLinkName, bool Enable)
    {
        ObEnter(PASSIVE_LEVEL);
        return Pnp.SetDeviceInterfaceState(SymbolicLinkName.Value, Enable);
    }

    /// <summary>
    /// IoGetDeviceInterfaces: PASSIVE_LEVEL. The symbolic link names of the enabled interfaces of a class (all of
    /// them with DEVICE_INTERFACE_INCLUDE_NONACTIVE), of one device when PhysicalDeviceObject is not NULL.
    /// </summary>
    public static NTSTATUS IoGetDeviceInterfaces(Guid InterfaceClassGuid, DEVICE_OBJECT PhysicalDeviceObject, uint Flags, out IReadOnlyList<string> SymbolicLinkList)
    {
        ObEnter(PASSIVE_LEVEL);
        SymbolicLinkList = [];
        DEVICE_NODE? node = null;
        if (!PhysicalDeviceObject.IsNull && (node = Pnp.NodeOf(PhysicalDeviceObject)) is null)
        {
            return NTSTATUS.STATUS_INVALID_DEVICE_REQUEST;
        }

        SymbolicLinkList = Pnp.GetDeviceInterfaces(InterfaceClassGuid, node, (Flags & DEVICE_INTERFACE_INCLUDE_NONACTIVE) != 0);
        return NTSTATUS.STATUS_SUCCESS;
    }

    /// <summary>
    /// IoRegisterPlugPlayNotification: PASSIVE_LEVEL. For EventCategoryDeviceInterfaceChange (the category modelled),
    /// the callback runs on a system thread at each arrival and removal of an interface of the class; with
    /// PNPNOTIFY_DEVICE_INTERFACE_INCLUDE_EXISTING_INTERFACES also for those enabled now.
    /// </summary>
    public static NTSTATUS IoRegisterPlugPlayNotification(IO_NOTIFICATION_EVENT_CATEGORY EventCategory, uint EventCategoryFlags,
        Guid EventCategoryData, DRIVER_OBJECT DriverObject, DRIVER_NOTIFICATION_CALLBACK_ROUTINE CallbackRoutine, object? Context,
        out PnpNotificationEntry? NotificationEntry)
    {
        ObEnter(PASSIVE_LEVEL);
        return Pnp.RegisterPlugPlayNotification(EventCategory, EventCategoryFlags, EventCategoryData, DriverObject, CallbackRoutine, Context,
            out NotificationEntry);
    }

    /// <summary>
    /// IoRegisterPlugPlayNotification for EventCategoryTargetDeviceChange (EventCategoryData is the file object): PASSIVE_LEVEL.
    /// The callback gets a TARGET_DEVICE_REMOVAL_NOTIFICATION at query-remove (close the file object, or fail to veto), at
    /// remove-cancelled and at remove-complete (also after a surprise removal).
    /// </summary>
    public static NTSTATUS IoRegisterPlugPlayNotification(IO_NOTIFICATION_EVENT_CATEGORY EventCategory, uint EventCategoryFlags,
        FILE_OBJECT EventCategoryData, DRIVER_OBJECT DriverObject, DRIVER_NOTIFICATION_CALLBACK_ROUTINE CallbackRoutine, object? Context,
        out PnpNotificationEntry? NotificationEntry)
    {
        ObEnter(PASSIVE_LEVEL);
        NotificationEntry = null;
        if (EventCategory != IO_NOTIFICATION_EVENT_CATEGORY.EventCategoryTargetDeviceChange || EventCategoryFlags != 0)
        {
            return NTSTATUS.STATUS_INVALID_PARAMETER;
        }

        return Pnp.RegisterTargetDeviceNotification(EventCategoryData, DriverObject, CallbackRoutine, Context, out NotificationEntry);
    }

    /// <summary>IoUnregisterPlugPlayNotificationEx: PASSIVE_LEVEL; no callback starts once it returns.</summary>
    public static NTSTATUS IoUnregisterPlugPlayNotificationEx(PnpNotificationEntry NotificationEntry)
    {
        ObEnter(PASSIVE_LEVEL);
        return Pnp.UnregisterPlugPlayNotification(NotificationEntry);
    }
}
