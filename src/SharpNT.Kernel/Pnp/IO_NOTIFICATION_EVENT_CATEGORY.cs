namespace SharpNT.Kernel.Pnp;

/// <summary>IO_NOTIFICATION_EVENT_CATEGORY (wdm.h): what IoRegisterPlugPlayNotification registers for.</summary>
public enum IO_NOTIFICATION_EVENT_CATEGORY
{
    EventCategoryReserved = 0,
    EventCategoryHardwareProfileChange = 1,
    EventCategoryDeviceInterfaceChange = 2,
    EventCategoryTargetDeviceChange = 3,
    EventCategoryKernelSoftRestart = 4,
}
