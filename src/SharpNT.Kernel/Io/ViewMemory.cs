using System.Runtime.CompilerServices;
using SharpNT.Kernel.Ke;
using SharpNT.Kernel.Mm;

namespace SharpNT.Kernel.Io;

/// <summary>
/// How the typed views (IRP, DEVICE_OBJECT, ...) reach their bytes: through the calling thread's
/// machine's Memory Manager, on its checked path, as a pointer dereference in a driver would.
/// </summary>
internal static class ViewMemory
{
    internal static MemoryManager Mm
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => (KTHREAD.Current ?? throw new InvalidOperationException(
            "Kernel objects are read inside their machine: call this inside Machine.Run.")).Machine.Mm;
    }

    /// <summary>The I/O manager of the calling thread's machine.</summary>
    internal static IoManager Io
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => (KTHREAD.Current ?? throw new InvalidOperationException(
            "Kernel objects are used inside their machine: call this inside Machine.Run.")).Machine.Io;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static T Read<T>(ulong address)
        where T : unmanaged => Mm.Read<T>(address);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Write<T>(ulong address, T value)
        where T : unmanaged => Mm.Write(address, value);
}
