namespace SharpNT.Kernel.Io.Layout;

/// <summary>
/// WAIT_CONTEXT_BLOCK on x64 (wdm.h), DEVICE_OBJECT.Queue.Wcb, used while a driver waits for a DMA adapter
/// channel. The WDK overlays WaitQueueEntry with a DMA v3 view (DmaWaitEntry, NumberOfChannels and bit
/// fields) that mingw-w64 does not declare; the offsets below are common to both.
/// </summary>
internal static class WaitContextBlockLayout
{
    internal const int Size = 0x48;

    internal const int WaitQueueEntry = 0x00;
    internal const int DeviceRoutine = 0x18;
    internal const int DeviceContext = 0x20;
    internal const int NumberOfMapRegisters = 0x28;
    internal const int DeviceObject = 0x30;
    internal const int CurrentIrp = 0x38;
    internal const int BufferChainingDpc = 0x40;
}
