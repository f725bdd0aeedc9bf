using SharpNT.Kernel.Io;

namespace SharpNT.Kernel.FsRtl;

/// <summary>
/// FILE_LOCK_INFO: one byte-range lock. The owner is the file object and the process (ProcessId holds the
/// EPROCESS address, as on NT) with the Key; EndingByte is StartingByte + Length - 1 (a zero-length lock
/// covers no byte and never conflicts).
/// </summary>
public readonly record struct FILE_LOCK_INFO(long StartingByte, long Length, bool ExclusiveLock, uint Key, FILE_OBJECT FileObject, ulong ProcessId)
{
    public long EndingByte => StartingByte + Length - 1;

    /// <summary>Whether this lock and the range [start, start + length) share a byte (offsets unsigned, as NT compares them).</summary>
    internal bool Overlaps(long start, long length) =>
        Length != 0 && length != 0
        && (ulong)StartingByte <= (ulong)(start + length - 1)
        && (ulong)start <= (ulong)EndingByte;

    /// <summary>The owner of an exclusive lock may read and write under it: same file object, process and key.</summary>
    internal bool OwnedBy(FILE_OBJECT fileObject, ulong processId, uint key) =>
        FileObject == fileObject && ProcessId == processId && Key == key;
}
