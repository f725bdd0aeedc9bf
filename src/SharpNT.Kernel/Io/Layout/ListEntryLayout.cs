namespace SharpNT.Kernel.Io.Layout;

/// <summary>LIST_ENTRY on x64 (ntdef.h): a doubly linked list link, two pointers.</summary>
internal static class ListEntryLayout
{
    internal const int Size = 0x10;

    internal const int Flink = 0x00;
    internal const int Blink = 0x08;
}
