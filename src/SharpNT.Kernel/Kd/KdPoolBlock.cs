using SharpNT.Kernel.Mm;

namespace SharpNT.Kernel.Kd;

/// <summary>One block of a small-block pool page: its address (the POOL_HEADER's) and its header.</summary>
internal sealed record KdPoolBlock(ulong Address, PoolHeader Header)
{
    public bool Free => Header.PoolType == 0;

    /// <summary>BlockSize in bytes (the header counts 16-byte units).</summary>
    public int Bytes => Header.BlockSize * PoolHeader.Size;
}
