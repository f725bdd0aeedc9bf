namespace SharpNT.Kernel.Io;

/// <summary>WORK_QUEUE_TYPE: which system worker queue runs a work item.</summary>
public enum WORK_QUEUE_TYPE
{
    CriticalWorkQueue = 0,
    DelayedWorkQueue = 1,
    HyperCriticalWorkQueue = 2,
}

/// <summary>
/// IO_WORKITEM: work a driver hands to a system worker thread (PASSIVE_LEVEL), holding a reference on the
/// driver's device so the driver cannot unload under it.
/// </summary>
public sealed class IO_WORKITEM
{
    internal DEVICE_OBJECT DeviceObject { get; set; }

    internal bool Queued { get; set; }

    internal Mm.LoadedModule? Module { get; set; }
}
