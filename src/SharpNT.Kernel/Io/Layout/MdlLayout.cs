namespace SharpNT.Kernel.Io.Layout;

/// <summary>
/// MDL on x64 (wdm.h): the fixed header of a memory descriptor list. The page frame number array
/// (PFN_NUMBER, 8 bytes each) follows at <see cref="Size"/>, one entry per page the buffer spans.
/// MdlFlags take MDL_FLAGS values. Windows 8 and later use the padding at 0x0C for
/// AllocationProcessorNumber; the WDK does not document it, so it is not declared here.
/// </summary>
internal static class MdlLayout
{
    internal const int Size = 0x30;

    internal const int Next = 0x00;

    /// <summary>Offset of the member named Size (header plus PFN array bytes); the header's own size is <see cref="Size"/>.</summary>
    internal const int SizeField = 0x08;
    internal const int MdlFlags = 0x0A;
    internal const int Process = 0x10;
    internal const int MappedSystemVa = 0x18;
    internal const int StartVa = 0x20;
    internal const int ByteCount = 0x28;
    internal const int ByteOffset = 0x2C;
}
