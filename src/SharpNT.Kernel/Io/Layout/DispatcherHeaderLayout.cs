namespace SharpNT.Kernel.Io.Layout;

/// <summary>
/// DISPATCHER_HEADER on x64 (wdm.h), the head of every waitable kernel object. The first four bytes are a
/// union: as one LONG (Lock) or as four bytes whose meaning depends on the object type (timer, thread,
/// event). Bit fields inside those bytes (Absolute, Index, Inserted, Expired, ActiveDR7 ...) have no byte
/// offset of their own; they live in the byte named here.
/// </summary>
internal static class DispatcherHeaderLayout
{
    internal const int Size = 0x18;

    internal const int Lock = 0x00;
    internal const int Type = 0x00;

    // Byte 1.
    internal const int TimerControlFlags = 0x01;
    internal const int Abandoned = 0x01;
    internal const int Signalling = 0x01;

    // Byte 2.
    internal const int ThreadControlFlags = 0x02;

    /// <summary>Offset of the member named Size (the object's size in 32-bit units); the header's own size is <see cref="Size"/>.</summary>
    internal const int SizeField = 0x02;
    internal const int Hand = 0x02;

    // Byte 3.
    internal const int TimerMiscFlags = 0x03;
    internal const int DebugActive = 0x03;
    internal const int DpcActive = 0x03;

    internal const int SignalState = 0x04;
    internal const int WaitListHead = 0x08;
}
