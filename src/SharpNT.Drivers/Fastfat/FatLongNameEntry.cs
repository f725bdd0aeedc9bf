using System.Buffers.Binary;

namespace SharpNT.Drivers.Fastfat;

/// <summary>
/// VFAT long-name directory entries (fatgen103 "FAT Long Directory Entries"): LDIR_Ord, 13 UTF-16 units in
/// three pieces (offsets 1, 14, 28), LDIR_Attr = 0x0F, LDIR_Type = 0, LDIR_Chksum, LDIR_FstClusLO = 0. They
/// precede their short entry in reverse order; the first one on disk carries the 0x40 "last" flag.
/// </summary>
internal static class FatLongNameEntry
{
    public const int CharactersPerEntry = 13;

    /// <summary>LDIR_Ord flag of the entry holding the end of the name.</summary>
    public const byte LastEntryFlag = 0x40;

    private static ReadOnlySpan<byte> CharacterOffsets => [1, 3, 5, 7, 9, 14, 16, 18, 20, 22, 24, 28, 30];

    /// <summary>Number of long-name entries a name needs.</summary>
    public static int EntryCount(int nameLength) => (nameLength + CharactersPerEntry - 1) / CharactersPerEntry;

    /// <summary>
    /// Fills entry <paramref name="ordinal"/> (1-based) of <paramref name="longName"/>: characters, then one
    /// NUL terminator if the name stops inside the entry, then 0xFFFF padding (fatgen103).
    /// </summary>
    public static void Write(Span<byte> entry, string longName, int ordinal, byte checksum)
    {
        var count = EntryCount(longName.Length);
        entry[..FatDirent.Size].Clear();
        entry[0] = (byte)(ordinal | (ordinal == count ? LastEntryFlag : 0));
        entry[11] = (byte)FatAttributes.LongName;
        entry[12] = 0;
        entry[13] = checksum;
        var first = (ordinal - 1) * CharactersPerEntry;
        for (var i = 0; i < CharactersPerEntry; i++)
        {
            var index = first + i;
            var unit = index < longName.Length ? longName[index] : index == longName.Length ? '\0' : '\uFFFF';
            BinaryPrimitives.WriteUInt16LittleEndian(entry[CharacterOffsets[i]..], unit);
        }
    }

    /// <summary>Copies the 13 units of a long-name entry into <paramref name="destination"/>.</summary>
    public static void ReadCharacters(ReadOnlySpan<byte> entry, Span<char> destination)
    {
        for (var i = 0; i < CharactersPerEntry; i++)
        {
            destination[i] = (char)BinaryPrimitives.ReadUInt16LittleEndian(entry[CharacterOffsets[i]..]);
        }
    }
}
