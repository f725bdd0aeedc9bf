namespace SharpNT.Kernel.Io;

/// <summary>VPB.Flags bits (wdm.h).</summary>
public static class VPB_FLAGS
{
    public const ushort VPB_MOUNTED = 0x0001;
    public const ushort VPB_LOCKED = 0x0002;
    public const ushort VPB_PERSISTENT = 0x0004;
    public const ushort VPB_REMOVE_PENDING = 0x0008;
    public const ushort VPB_RAW_MOUNT = 0x0010;
    public const ushort VPB_DIRECT_WRITES_ALLOWED = 0x0020;
}
