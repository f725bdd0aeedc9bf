namespace SharpNT.Kernel.Io.Layout;

/// <summary>
/// KAPC on x64 (wdm.h), overlaid on IRP.Tail when the I/O manager queues the completion APC to the
/// requesting thread. The WDK names the three routine pointers at 0x20 only as Reserved[3]; mingw-w64 and
/// the kernel's own headers name them KernelRoutine, RundownRoutine and NormalRoutine.
/// </summary>
internal static class KApcLayout
{
    internal const int Size = 0x58;

    internal const int Type = 0x00;
    internal const int SpareByte0 = 0x01;

    /// <summary>Offset of the member named Size; the APC's own size is <see cref="Size"/>.</summary>
    internal const int SizeField = 0x02;
    internal const int SpareByte1 = 0x03;
    internal const int SpareLong0 = 0x04;
    internal const int Thread = 0x08;
    internal const int ApcListEntry = 0x10;
    internal const int KernelRoutine = 0x20;
    internal const int RundownRoutine = 0x28;
    internal const int NormalRoutine = 0x30;
    internal const int NormalContext = 0x38;
    internal const int SystemArgument1 = 0x40;
    internal const int SystemArgument2 = 0x48;
    internal const int ApcStateIndex = 0x50;
    internal const int ApcMode = 0x51;
    internal const int Inserted = 0x52;
}
