using SharpNT.Kernel.Ke;

namespace SharpNT.Kernel.Io;

/// <summary>
/// IO_REMOVE_LOCK: counts the I/O in flight on a device so that IRP_MN_REMOVE_DEVICE can wait for it to
/// drain. The count starts at one (the device's own bias); removal drops the bias and waits for zero.
/// </summary>
public sealed class IO_REMOVE_LOCK
{
    internal bool Removed;

    internal int IoCount;

    internal KEVENT RemoveEvent { get; } = new();

    internal uint AllocateTag { get; set; }
}
