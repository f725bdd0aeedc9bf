namespace SharpNT.Kernel.Io.Layout;

/// <summary>
/// KDEVICE_QUEUE on x64 (wdm.h), DEVICE_OBJECT.DeviceQueue, the queue IoStartPacket feeds StartIo from.
/// On x64 Busy shares its eight bytes with a bit field (Reserved:8, Hint:56); Busy is the low byte.
/// </summary>
internal static class KDeviceQueueLayout
{
    internal const int Size = 0x28;

    internal const int Type = 0x00;

    /// <summary>Offset of the member named Size; the queue's own size is <see cref="Size"/>.</summary>
    internal const int SizeField = 0x02;
    internal const int DeviceListHead = 0x08;
    internal const int Lock = 0x18;
    internal const int Busy = 0x20;
}
