namespace SharpNT.Kernel.Io;

/// <summary>DRIVER_OBJECT.Flags bits (wdm.h, ntddk.h).</summary>
public static class DRVO_FLAGS
{
    public const uint DRVO_UNLOAD_INVOKED = 0x00000001;
    public const uint DRVO_LEGACY_DRIVER = 0x00000002;
    public const uint DRVO_BUILTIN_DRIVER = 0x00000004;
    public const uint DRVO_REINIT_REGISTERED = 0x00000008;
    public const uint DRVO_INITIALIZED = 0x00000010;
    public const uint DRVO_BOOTREINIT_REGISTERED = 0x00000020;
    public const uint DRVO_LEGACY_RESOURCES = 0x00000040;
}
