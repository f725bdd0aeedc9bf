namespace SharpNT.Kernel.Io.Layout;

/// <summary>IO_COMPLETION_CONTEXT on x64 (wdm.h): FILE_OBJECT.CompletionContext, the I/O completion port and key a file is bound to.</summary>
internal static class IoCompletionContextLayout
{
    internal const int Size = 0x10;

    internal const int Port = 0x00;
    internal const int Key = 0x08;
}
