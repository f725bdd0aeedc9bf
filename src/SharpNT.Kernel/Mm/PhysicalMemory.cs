using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SharpNT.Kernel.Mm;

/// <summary>
/// The machine's RAM: real bytes, in 4 KiB page frames. Held as arrays of at most 1 GiB each (a managed
/// array cannot be larger), so a frame never straddles two arrays.
/// </summary>
internal sealed class PhysicalMemory
{
    /// <summary>Frames per backing array: 1 GiB.</summary>
    private const int ChunkShift = 18;
    private const int ChunkFrameMask = (1 << ChunkShift) - 1;

    private readonly byte[][] _chunks;

    /// <summary>The first backing array (all of memory up to 1 GiB): the common case, one load cheaper.</summary>
    private readonly byte[] _first;

    /// <summary>Frames in <see cref="_first"/>.</summary>
    private readonly ulong _firstFrames;

    internal PhysicalMemory(int memoryMiB)
    {
        FrameCount = memoryMiB * (1024 * 1024 / MemoryManager.PAGE_SIZE);
        var chunks = (FrameCount + ChunkFrameMask) >> ChunkShift;
        _chunks = new byte[chunks][];
        var remaining = (long)FrameCount;
        for (var i = 0; i < chunks; i++)
        {
            var frames = (int)Math.Min(remaining, 1L << ChunkShift);
            _chunks[i] = new byte[frames * MemoryManager.PAGE_SIZE];
            remaining -= frames;
        }

        _first = _chunks[0];
        _firstFrames = (ulong)(_first.Length >> MemoryManager.PAGE_SHIFT);
    }

    /// <summary>Number of page frames (MmNumberOfPhysicalPages).</summary>
    internal int FrameCount { get; }

    /// <summary>The 4 KiB of one frame.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal Span<byte> Frame(ulong pfn) =>
        pfn < _firstFrames
            // A frame of the first array (the common case): in range by the comparison, so no further check.
            ? MemoryMarshal.CreateSpan(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_first), (nint)(pfn << MemoryManager.PAGE_SHIFT)), MemoryManager.PAGE_SIZE)
            : _chunks[(int)(pfn >> ChunkShift)].AsSpan(((int)pfn & ChunkFrameMask) << MemoryManager.PAGE_SHIFT, MemoryManager.PAGE_SIZE);

    /// <summary>Reads a 64-bit little-endian value (a page table entry) at a physical address.</summary>
    internal ulong ReadUInt64(ulong physicalAddress) =>
        BinaryPrimitives.ReadUInt64LittleEndian(Frame(physicalAddress >> MemoryManager.PAGE_SHIFT)[(int)(physicalAddress & MemoryManager.PageOffsetMask)..]);

    internal void WriteUInt64(ulong physicalAddress, ulong value) =>
        BinaryPrimitives.WriteUInt64LittleEndian(Frame(physicalAddress >> MemoryManager.PAGE_SHIFT)[(int)(physicalAddress & MemoryManager.PageOffsetMask)..], value);
}
