namespace SharpNT.Kernel.Io.Layout;

/// <summary>
/// KDEVICE_QUEUE_ENTRY on x64 (wdm.h): the link a queued IRP uses (IRP.Tail.Overlay.DeviceQueueEntry) and
/// the head of WAIT_CONTEXT_BLOCK.
/// </summary>
internal static class KDeviceQueueEntryLayout
{
    internal const int Size = 0x18;

    internal const int DeviceListEntry = 0x00;
    internal const int SortKey = 0x10;
    internal const int Inserted = 0x14;
}
