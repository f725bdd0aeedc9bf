namespace SharpNT.Kernel.Io.Layout;

/// <summary>KEVENT on x64 (wdm.h): nothing but a dispatcher header. FILE_OBJECT and DEVICE_OBJECT embed two and one.</summary>
internal static class KEventLayout
{
    internal const int Size = 0x18;

    internal const int Header = 0x00;
}
