using SharpNT.Kernel.Io;

namespace SharpNT.Drivers.Filters;

/// <summary>The extension of one activity monitor filter device: what it is attached to.</summary>
internal sealed class ActivityMonitorExtension
{
    /// <summary>The device directly below (IoAttachDeviceToDeviceStack's answer), where requests go on.</summary>
    public DEVICE_OBJECT Lower { get; set; }

    /// <summary>The file system device this filter device was attached over (a control device or a volume device).</summary>
    public DEVICE_OBJECT Filtered { get; set; }

    /// <summary>Attached to a file system's control device: sees mounts, and attaches to each volume mounted.</summary>
    public bool IsControlFilter { get; init; }
}
