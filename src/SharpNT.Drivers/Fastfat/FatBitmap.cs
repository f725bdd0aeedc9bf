namespace SharpNT.Drivers.Fastfat;

/// <summary>A fixed-size bit set (RTL_BITMAP's role) over clusters or sectors.</summary>
internal sealed class FatBitmap
{
    private readonly ulong[] _words;

    public FatBitmap(long bitCount)
    {
        BitCount = bitCount;
        _words = new ulong[(bitCount + 63) / 64];
    }

    public long BitCount { get; }

    public bool this[long index]
    {
        get => (_words[index >> 6] & (1UL << (int)(index & 63))) != 0;
        set
        {
            if (value)
            {
                _words[index >> 6] |= 1UL << (int)(index & 63);
            }
            else
            {
                _words[index >> 6] &= ~(1UL << (int)(index & 63));
            }
        }
    }

    /// <summary>Sets the bit and says whether it was clear before.</summary>
    public bool TrySet(long index)
    {
        ref var word = ref _words[index >> 6];
        var mask = 1UL << (int)(index & 63);
        if ((word & mask) != 0)
        {
            return false;
        }

        word |= mask;
        return true;
    }

    public void ClearAll() => Array.Clear(_words);

    /// <summary>The first set bit at or after <paramref name="start"/>, or -1.</summary>
    public long NextSet(long start)
    {
        if (start >= BitCount)
        {
            return -1;
        }

        var wordIndex = start >> 6;
        var word = _words[wordIndex] & (ulong.MaxValue << (int)(start & 63));
        while (true)
        {
            if (word != 0)
            {
                var index = (wordIndex << 6) + System.Numerics.BitOperations.TrailingZeroCount(word);
                return index < BitCount ? index : -1;
            }

            if (++wordIndex >= _words.Length)
            {
                return -1;
            }

            word = _words[wordIndex];
        }
    }
}
