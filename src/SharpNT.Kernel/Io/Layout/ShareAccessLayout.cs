namespace SharpNT.Kernel.Io.Layout;

/// <summary>
/// SHARE_ACCESS on x64 (wdm.h): the counters a file system keeps per file (in its FCB) for
/// IoCheckShareAccess, IoUpdateShareAccess and IoRemoveShareAccess.
/// </summary>
public static class ShareAccessLayout
{
    public const int Size = 0x1C;

    public const int OpenCount = 0x00;
    public const int Readers = 0x04;
    public const int Writers = 0x08;
    public const int Deleters = 0x0C;
    public const int SharedRead = 0x10;
    public const int SharedWrite = 0x14;
    public const int SharedDelete = 0x18;
}
