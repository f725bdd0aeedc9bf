namespace SharpNT.Kernel.Io.Layout;

/// <summary>
/// IO_STATUS_BLOCK on x64 (wdm.h). Status and Pointer share the first eight bytes: the NTSTATUS is the low
/// four, so a completion that writes Status leaves the upper half as it was.
/// </summary>
internal static class IoStatusBlockLayout
{
    internal const int Size = 0x10;

    internal const int Status = 0x00;
    internal const int Pointer = 0x00;
    internal const int Information = 0x08;
}
