using System.Diagnostics;
using SharpNT.Kernel.Io.Layout;

namespace SharpNT.Kernel.Io;

/// <summary>
/// A view of a FAST_IO_DISPATCH table in nonpaged memory (wdm.h's x64 layout). As with MajorFunction, a routine
/// assigned here is stored as a code address in the image of the driver whose code assigns it (the driver
/// filling its table in DriverEntry), and read back as the routine that address stands for. A NULL entry
/// means the driver has no fast path for that operation. The entries the I/O manager and the in-box drivers use
/// (FastIoCheckIfPossible, FastIoRead, FastIoWrite, the lock routines) have typed accessors; the rest are reachable by offset.
/// </summary>
[DebuggerDisplay("FAST_IO_DISPATCH {Address,h}")]
public readonly record struct FAST_IO_DISPATCH(ulong Address)
{
    public static FAST_IO_DISPATCH NULL => default;

    public bool IsNull => Address == 0;

    /// <summary>sizeof(FAST_IO_DISPATCH): the I/O manager and filters read only entries that lie inside it.</summary>
    public uint SizeOfFastIoDispatch
    {
        get => ViewMemory.Read<uint>(Address + FastIoDispatchLayout.SizeOfFastIoDispatch);
        set => ViewMemory.Write(Address + FastIoDispatchLayout.SizeOfFastIoDispatch, value);
    }

    public FAST_IO_CHECK_IF_POSSIBLE? FastIoCheckIfPossible
    {
        get => Get<FAST_IO_CHECK_IF_POSSIBLE>(FastIoDispatchLayout.FastIoCheckIfPossible);
        set => Set(FastIoDispatchLayout.FastIoCheckIfPossible, value);
    }

    public FAST_IO_READ? FastIoRead
    {
        get => Get<FAST_IO_READ>(FastIoDispatchLayout.FastIoRead);
        set => Set(FastIoDispatchLayout.FastIoRead, value);
    }

    public FAST_IO_WRITE? FastIoWrite
    {
        get => Get<FAST_IO_WRITE>(FastIoDispatchLayout.FastIoWrite);
        set => Set(FastIoDispatchLayout.FastIoWrite, value);
    }

    public FAST_IO_LOCK? FastIoLock
    {
        get => Get<FAST_IO_LOCK>(FastIoDispatchLayout.FastIoLock);
        set => Set(FastIoDispatchLayout.FastIoLock, value);
    }

    public FAST_IO_UNLOCK_SINGLE? FastIoUnlockSingle
    {
        get => Get<FAST_IO_UNLOCK_SINGLE>(FastIoDispatchLayout.FastIoUnlockSingle);
        set => Set(FastIoDispatchLayout.FastIoUnlockSingle, value);
    }

    public FAST_IO_UNLOCK_ALL? FastIoUnlockAll
    {
        get => Get<FAST_IO_UNLOCK_ALL>(FastIoDispatchLayout.FastIoUnlockAll);
        set => Set(FastIoDispatchLayout.FastIoUnlockAll, value);
    }

    public FAST_IO_UNLOCK_ALL_BY_KEY? FastIoUnlockAllByKey
    {
        get => Get<FAST_IO_UNLOCK_ALL_BY_KEY>(FastIoDispatchLayout.FastIoUnlockAllByKey);
        set => Set(FastIoDispatchLayout.FastIoUnlockAllByKey, value);
    }

    /// <summary>The raw code address of the entry at <paramref name="offset"/> (a FastIoDispatchLayout offset); 0 past SizeOfFastIoDispatch.</summary>
    public ulong AddressOf(int offset) => offset + 8 <= SizeOfFastIoDispatch ? ViewMemory.Read<ulong>(Address + (ulong)offset) : 0;

    public override string ToString() => $"FAST_IO_DISPATCH 0x{Address:x16}";

    /// <summary>VALID_FAST_IO_DISPATCH_HANDLER: the entry lies inside the table the driver sized, and is not NULL.</summary>
    private T? Get<T>(int offset)
        where T : Delegate =>
        IsNull ? null : ViewMemory.Io.Thunks.Resolve<T>(AddressOf(offset));

    private void Set(int offset, Delegate? routine) =>
        ViewMemory.Write(Address + (ulong)offset, ViewMemory.Io.RegisterCallerRoutine(routine));
}
