using System.Diagnostics;
using SharpNT.Kernel.Io;

namespace SharpNT.Kernel.FsRtl;

/// <summary>
/// A view of a FILE_LOCK in nonpaged memory (a file system keeps one per file, in its FCB, or gets one from
/// FsRtlAllocateFileLock). The byte-range locks themselves are the FsRtl package's private state, found by
/// the structure's address, as NT keeps them behind the opaque LockInformation pointer.
/// </summary>
[DebuggerDisplay("FILE_LOCK {Address,h}")]
public readonly record struct FILE_LOCK(ulong Address)
{
    public static FILE_LOCK NULL => default;

    public bool IsNull => Address == 0;

    /// <summary>BOOLEAN FastIoIsQuestionable: set while the file has byte-range locks (FsRtlAreThereCurrentFileLocks).</summary>
    public bool FastIoIsQuestionable
    {
        get => ViewMemory.Read<byte>(Address + FileLockLayout.FastIoIsQuestionable) != 0;
        internal set => ViewMemory.Write(Address + FileLockLayout.FastIoIsQuestionable, (byte)(value ? 1 : 0));
    }

    /// <summary>PCOMPLETE_LOCK_IRP_ROUTINE CompleteLockIrpRoutine (a code address; 0: IoCompleteRequest completes lock IRPs).</summary>
    public ulong CompleteLockIrpRoutine => ViewMemory.Read<ulong>(Address + FileLockLayout.CompleteLockIrpRoutine);

    /// <summary>PUNLOCK_ROUTINE UnlockRoutine (a code address; 0 for none).</summary>
    public ulong UnlockRoutine => ViewMemory.Read<ulong>(Address + FileLockLayout.UnlockRoutine);

    public override string ToString() => $"FILE_LOCK 0x{Address:x16}";
}
