using System.Diagnostics;
using SharpNT.Kernel.Io;

namespace SharpNT.Kernel.Pnp;

/// <summary>A registration made with IoRegisterPlugPlayNotification: the NotificationEntry handed back to the driver.</summary>
[DebuggerDisplay("PnP notification {Category} {ClassGuid}")]
public sealed class PnpNotificationEntry
{
    internal PnpNotificationEntry(IO_NOTIFICATION_EVENT_CATEGORY category, Guid classGuid, DRIVER_OBJECT driverObject, ulong callback, object? context)
    {
        Category = category;
        ClassGuid = classGuid;
        DriverObject = driverObject;
        Callback = callback;
        Context = context;
    }

    internal IO_NOTIFICATION_EVENT_CATEGORY Category { get; }

    internal Guid ClassGuid { get; }

    internal DRIVER_OBJECT DriverObject { get; }

    /// <summary>The callback's code address in the driver's image.</summary>
    internal ulong Callback { get; }

    internal object? Context { get; }

    internal bool Unregistered { get; set; }

    /// <summary>For EventCategoryTargetDeviceChange: the device node of the file object's device.</summary>
    internal DEVICE_NODE? TargetNode { get; init; }

    /// <summary>For EventCategoryTargetDeviceChange: the file object the driver registered with.</summary>
    internal FILE_OBJECT TargetFile { get; init; }
}
