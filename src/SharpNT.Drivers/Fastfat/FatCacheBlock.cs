using System.Diagnostics;

namespace SharpNT.Drivers.Fastfat;

/// <summary>One cached block of consecutive sectors, with per-sector valid, dirty and metadata bits.</summary>
[DebuggerDisplay("Block {Index} valid {ValidMask:X} dirty {DirtyMask:X}")]
internal sealed class FatCacheBlock
{
    public FatCacheBlock(long index, int bytes)
    {
        Index = index;
        Data = new byte[bytes];
        Node = new LinkedListNode<FatCacheBlock>(this);
    }

    public long Index { get; private set; }

    public byte[] Data { get; }

    public LinkedListNode<FatCacheBlock> Node { get; }

    /// <summary>Sectors whose bytes are known (read from the device or written whole).</summary>
    public ulong ValidMask { get; set; }

    /// <summary>Sectors written since the last flush.</summary>
    public ulong DirtyMask { get; set; }

    /// <summary>Dirty sectors that hold directory entries (written after file data, see FatVolume.Flush).</summary>
    public ulong MetadataMask { get; set; }

    /// <summary>When this block first became dirty since the last flush (directory writes keep that order).</summary>
    public long DirtySequence { get; set; }

    /// <summary>Gives an evicted block a new identity; its bytes count for nothing until marked valid again.</summary>
    public void Reuse(long index)
    {
        Index = index;
        ValidMask = 0;
        DirtyMask = 0;
        MetadataMask = 0;
        DirtySequence = 0;
    }
}
