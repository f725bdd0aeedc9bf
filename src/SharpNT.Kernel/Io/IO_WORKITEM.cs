namespace SharpNT.Kernel.Io;


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
