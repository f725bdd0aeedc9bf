namespace SharpNT.Kernel.Io.Layout;

/// <summary>
/// FILE_OBJECT on x64 (wdm.h): one open instance of a file, directory, volume or device. Flags take
/// FO_FLAGS values; FsContext and FsContext2 belong to the file system that opened it.
/// </summary>
internal static class FileObjectLayout
{
    internal const int Size = 0xD8;

    internal const int Type = 0x00;

    /// <summary>Offset of the member named Size; the object's own size is <see cref="Size"/>.</summary>
    internal const int SizeField = 0x02;
    internal const int DeviceObject = 0x08;
    internal const int Vpb = 0x10;
    internal const int FsContext = 0x18;
    internal const int FsContext2 = 0x20;
    internal const int SectionObjectPointer = 0x28;
    internal const int PrivateCacheMap = 0x30;
    internal const int FinalStatus = 0x38;
    internal const int RelatedFileObject = 0x40;
    internal const int LockOperation = 0x48;
    internal const int DeletePending = 0x49;
    internal const int ReadAccess = 0x4A;
    internal const int WriteAccess = 0x4B;
    internal const int DeleteAccess = 0x4C;
    internal const int SharedRead = 0x4D;
    internal const int SharedWrite = 0x4E;
    internal const int SharedDelete = 0x4F;
    internal const int Flags = 0x50;
    internal const int FileName = 0x58;
    internal const int CurrentByteOffset = 0x68;
    internal const int Waiters = 0x70;
    internal const int Busy = 0x74;
    internal const int LastLock = 0x78;
    internal const int Lock = 0x80;
    internal const int Event = 0x98;
    internal const int CompletionContext = 0xB0;
    internal const int IrpListLock = 0xB8;
    internal const int IrpList = 0xC0;
    internal const int FileObjectExtension = 0xD0;
}
