namespace SharpNT.Kernel.Io.Layout;

/// <summary>
/// UNICODE_STRING on x64 (ntdef.h). Length and MaximumLength count bytes, not characters; the buffer
/// need not be NUL-terminated.
/// </summary>
internal static class UnicodeStringLayout
{
    internal const int Size = 0x10;

    internal const int Length = 0x00;
    internal const int MaximumLength = 0x02;
    internal const int Buffer = 0x08;
}
