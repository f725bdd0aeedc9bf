namespace SharpNT.Kernel.Pnp;

/// <summary>
/// DRIVER_NOTIFICATION_CALLBACK_ROUTINE: called at PASSIVE_LEVEL on a system thread with a notification
/// structure (for device interface changes a DEVICE_INTERFACE_CHANGE_NOTIFICATION, valid only during the call).
/// </summary>
public delegate NTSTATUS DRIVER_NOTIFICATION_CALLBACK_ROUTINE(ulong NotificationStructure, object? Context);
