using System.Diagnostics;

namespace SharpNT.Kernel.Mm;

/// <summary>
/// A virtual address descriptor: one committed range of a process's user address space, as
/// NtAllocateVirtualMemory (MEM_RESERVE | MEM_COMMIT) creates it.
/// </summary>
[DebuggerDisplay("VAD {Start:X16}-{End:X16} protect {Protection}")]
internal sealed class Vad(ulong start, ulong size, uint protection)
{
    internal ulong Start { get; } = start;

    internal ulong Size { get; } = size;

    internal ulong End => Start + Size;

    /// <summary>The PAGE_* protection the range was committed with.</summary>
    internal uint Protection { get; } = protection;

    internal int Pages => (int)(Size >> MemoryManager.PAGE_SHIFT);
}
