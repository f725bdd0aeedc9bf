using System.Text;

namespace SharpNT.Kernel.Mm;

/// <summary>
/// Pool tags: four ASCII characters in a ULONG. A C driver writes the tag as a multi-character literal in
/// reverse ('pmaS'), which puts 'S' in the low byte, so the bytes in memory and in !poolused read "Samp".
/// Here a tag is made from the string as it shows: the first character is the low byte.
/// </summary>
public static class PoolTags
{
    /// <summary>PROTECTED_POOL: a tag bit the free must match; ignored when comparing tags.</summary>
    public const uint PROTECTED_POOL = 0x80000000;

    /// <summary>The tag ExAllocatePool (no tag) charges: "None".</summary>
    public static readonly uint None = FromString("None");

    /// <summary>The ULONG for a tag as it displays, e.g. "Samp"; shorter strings are padded with spaces.</summary>
    public static uint FromString(string tag)
    {
        ArgumentNullException.ThrowIfNull(tag);
        if (tag.Length is 0 or > 4)
        {
            throw new ArgumentException("A pool tag has one to four characters.", nameof(tag));
        }

        uint value = 0;
        for (var i = 0; i < 4; i++)
        {
            var c = i < tag.Length ? tag[i] : ' ';
            if (c is < (char)0x20 or > (char)0x7E)
            {
                throw new ArgumentException("Pool tag characters are ASCII 0x20-0x7E.", nameof(tag));
            }

            value |= (uint)c << (8 * i);
        }

        return value;
    }

    /// <summary>The tag as the debugger shows it: its bytes in memory order, unprintable bytes as '?'.</summary>
    public static string ToString(uint tag)
    {
        var sb = new StringBuilder(4);
        tag &= ~PROTECTED_POOL;
        for (var i = 0; i < 4; i++)
        {
            var b = (byte)(tag >> (8 * i));
            sb.Append(b is >= 0x20 and <= 0x7E ? (char)b : '?');
        }

        return sb.ToString();
    }
}
