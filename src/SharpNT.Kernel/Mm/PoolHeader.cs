using System.Buffers.Binary;

namespace SharpNT.Kernel.Mm;

/// <summary>
/// The x64 POOL_HEADER, 16 bytes in front of every small pool block:
/// <code>
/// +0x0 PreviousSize : 8 bits   (size of the previous block in the page, in 16-byte units)
/// +0x0 PoolIndex    : 8 bits   (index of the pool descriptor: 0 nonpaged, 1 paged)
/// +0x0 BlockSize    : 8 bits   (size of this block including the header, in 16-byte units)
/// +0x0 PoolType     : 8 bits   (0 = free, else the pool type + 1, with 8 for quota charged)
/// +0x4 PoolTag      : ULONG
/// +0x8 ProcessBilled : PEPROCESS (quota allocations), else AllocatorBackTraceIndex : USHORT, PoolTagHash : USHORT
/// </code>
/// </summary>
internal readonly record struct PoolHeader(byte PreviousSize, byte PoolIndex, byte BlockSize, byte PoolType, uint PoolTag, ulong ProcessBilled)
{
    internal const int Size = 16;

    /// <summary>POOL_QUOTA_MASK: the PoolType bit of a quota-charged block.</summary>
    internal const byte QuotaMask = 8;

    /// <summary>The first 32 bits (Ulong1).</summary>
    internal uint Ulong1 => PreviousSize | ((uint)PoolIndex << 8) | ((uint)BlockSize << 16) | ((uint)PoolType << 24);

    /// <summary>The first 64 bits, as bug check parameters show "pool header contents".</summary>
    internal ulong FirstQuadword => Ulong1 | ((ulong)PoolTag << 32);

    internal static PoolHeader Read(ReadOnlySpan<byte> bytes) => new(
        bytes[0], bytes[1], bytes[2], bytes[3],
        BinaryPrimitives.ReadUInt32LittleEndian(bytes[4..]),
        BinaryPrimitives.ReadUInt64LittleEndian(bytes[8..]));

    internal void Write(Span<byte> bytes)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, Ulong1);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes[4..], PoolTag);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes[8..], ProcessBilled);
    }
}
