using System.Buffers.Binary;

namespace SharpNT.Kernel.Cm;

/// <summary>
/// The raw bytes NT stores for each value type, and the typed readings of them: strings are UTF-16LE code
/// units ending in a NUL, REG_MULTI_SZ is a run of NUL-terminated strings ended by an empty one, REG_DWORD
/// and REG_QWORD are little-endian, REG_DWORD_BIG_ENDIAN is big-endian, REG_LINK is a path with no NUL.
/// </summary>
internal static class RegData
{
    /// <summary>REG_SZ (and REG_EXPAND_SZ) data: the UTF-16LE code units of <paramref name="text"/> and a NUL.</summary>
    public static byte[] String(string text)
    {
        var data = new byte[(text.Length + 1) * 2];
        WriteUtf16(text, data);
        return data;
    }

    /// <summary>REG_MULTI_SZ data: each string with its NUL, then the empty string that ends the list.</summary>
    public static byte[] MultiString(IEnumerable<string> strings)
    {
        var list = strings.ToList();
        if (list.Any(s => s.Length == 0))
        {
            // An empty string is the list's terminator: it cannot be an element.
            throw new ArgumentException("A REG_MULTI_SZ element cannot be empty.", nameof(strings));
        }

        var data = new byte[(list.Sum(s => s.Length + 1) + 1) * 2];
        var offset = 0;
        foreach (var s in list)
        {
            WriteUtf16(s, data.AsSpan(offset));
            offset += (s.Length + 1) * 2;
        }

        return data;
    }

    /// <summary>REG_DWORD data: four bytes, little-endian.</summary>
    public static byte[] Dword(uint value)
    {
        var data = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(data, value);
        return data;
    }

    /// <summary>REG_DWORD_BIG_ENDIAN data: four bytes, big-endian.</summary>
    public static byte[] DwordBigEndian(uint value)
    {
        var data = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(data, value);
        return data;
    }

    /// <summary>REG_QWORD data: eight bytes, little-endian.</summary>
    public static byte[] Qword(ulong value)
    {
        var data = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(data, value);
        return data;
    }

    /// <summary>REG_LINK data: the target's full path in UTF-16LE, with no terminating NUL.</summary>
    public static byte[] Link(string targetPath)
    {
        var data = new byte[targetPath.Length * 2];
        WriteUtf16(targetPath, data);
        return data;
    }

    /// <summary>
    /// Reads string data as drivers do: up to the first NUL, or all of it if the writer left the NUL out
    /// (an odd trailing byte is not a code unit and is ignored).
    /// </summary>
    public static string ReadString(ReadOnlySpan<byte> data)
    {
        var units = data.Length / 2;
        for (var i = 0; i < units; i++)
        {
            if (BinaryPrimitives.ReadUInt16LittleEndian(data[(i * 2)..]) == 0)
            {
                units = i;
                break;
            }
        }

        return ReadUtf16(data[..(units * 2)]);
    }

    /// <summary>Reads REG_MULTI_SZ data: the strings before the first empty one (or the end of the data).</summary>
    public static IReadOnlyList<string> ReadMultiString(ReadOnlySpan<byte> data)
    {
        var all = ReadUtf16(data[..(data.Length & ~1)]);
        var result = new List<string>();
        var start = 0;
        while (start < all.Length)
        {
            var end = all.IndexOf('\0', start);
            if (end < 0)
            {
                end = all.Length;
            }

            if (end == start)
            {
                break;
            }

            result.Add(all[start..end]);
            start = end + 1;
        }

        return result;
    }

    /// <summary>Decodes UTF-16LE code units exactly (no replacement of unpaired surrogates).</summary>
    public static string ReadUtf16(ReadOnlySpan<byte> data)
    {
        var chars = new char[data.Length / 2];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = (char)BinaryPrimitives.ReadUInt16LittleEndian(data[(i * 2)..]);
        }

        return new string(chars);
    }

    /// <summary>Encodes code units as UTF-16LE exactly, into <paramref name="destination"/>.</summary>
    public static void WriteUtf16(ReadOnlySpan<char> text, Span<byte> destination)
    {
        for (var i = 0; i < text.Length; i++)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(destination[(i * 2)..], text[i]);
        }
    }

    /// <summary>The name of a value type as winnt.h spells it, or its number.</summary>
    public static string TypeName(uint type) => type switch
    {
        RegConstants.REG_NONE => "REG_NONE",
        RegConstants.REG_SZ => "REG_SZ",
        RegConstants.REG_EXPAND_SZ => "REG_EXPAND_SZ",
        RegConstants.REG_BINARY => "REG_BINARY",
        RegConstants.REG_DWORD => "REG_DWORD",
        RegConstants.REG_DWORD_BIG_ENDIAN => "REG_DWORD_BIG_ENDIAN",
        RegConstants.REG_LINK => "REG_LINK",
        RegConstants.REG_MULTI_SZ => "REG_MULTI_SZ",
        RegConstants.REG_RESOURCE_LIST => "REG_RESOURCE_LIST",
        RegConstants.REG_FULL_RESOURCE_DESCRIPTOR => "REG_FULL_RESOURCE_DESCRIPTOR",
        RegConstants.REG_RESOURCE_REQUIREMENTS_LIST => "REG_RESOURCE_REQUIREMENTS_LIST",
        RegConstants.REG_QWORD => "REG_QWORD",
        _ => $"0x{type:X}",
    };
}
