namespace SharpNT.Kernel.Io.Layout;

/// <summary>
/// DEVOBJ_EXTENSION on x64 (wdm.h): only the public head (Type, Size, DeviceObject) is documented; the
/// rest (power flags, device node, AttachedTo, StartIo bookkeeping) is private to the I/O manager and
/// differs between Windows releases, so it is not declared here. The I/O manager that allocates one may
/// append its own private part after <see cref="Size"/>.
/// </summary>
internal static class DevObjExtensionLayout
{
    /// <summary>Size of the documented public part.</summary>
    internal const int Size = 0x10;

    internal const int Type = 0x00;

    /// <summary>Offset of the member named Size; the public part's size is <see cref="Size"/>.</summary>
    internal const int SizeField = 0x02;
    internal const int DeviceObject = 0x08;
}
