namespace SharpNT.Kernel.Io.Layout;

/// <summary>
/// KDPC on x64 (wdm.h), embedded in DEVICE_OBJECT for IoRequestDpc. The WDK since Windows 8.1 overlays
/// Type/Importance/Number with TargetInfoAsUlong and splits the 16-byte list link into a
/// SINGLE_LIST_ENTRY DpcListEntry and a KAFFINITY ProcessorHistory; mingw-w64 still declares the older
/// LIST_ENTRY. The size and every later offset are the same in both.
/// </summary>
internal static class KDpcLayout
{
    internal const int Size = 0x40;

    internal const int TargetInfoAsUlong = 0x00;
    internal const int Type = 0x00;
    internal const int Importance = 0x01;
    internal const int Number = 0x02;
    internal const int DpcListEntry = 0x08;

    /// <summary>WDK 8.1+ only (mingw's LIST_ENTRY Blink occupies these bytes).</summary>
    internal const int ProcessorHistory = 0x10;
    internal const int DeferredRoutine = 0x18;
    internal const int DeferredContext = 0x20;
    internal const int SystemArgument1 = 0x28;
    internal const int SystemArgument2 = 0x30;
    internal const int DpcData = 0x38;
}
