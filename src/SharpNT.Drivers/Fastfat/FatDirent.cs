using System.Buffers.Binary;
using System.Diagnostics;
using System.Text;

namespace SharpNT.Drivers.Fastfat;

/// <summary>
/// A 32-byte short (8.3) directory entry as fatgen103 lays it out: DIR_Name[11], DIR_Attr, DIR_NTRes (NT's
/// lowercase flags), DIR_CrtTimeTenth, DIR_CrtTime, DIR_CrtDate, DIR_LstAccDate, DIR_FstClusHI, DIR_WrtTime,
/// DIR_WrtDate, DIR_FstClusLO, DIR_FileSize.
/// </summary>
[DebuggerDisplay("{RawName} attr {Attributes} cluster {FirstCluster} size {FileSize}")]
internal struct FatDirent
{
    public const int Size = 32;

    /// <summary>DIR_Name[0] of a deleted entry.</summary>
    public const byte DeletedMarker = 0xE5;

    /// <summary>DIR_NTRes bit: the base name is shown in lowercase.</summary>
    public const byte NtLowercaseBase = 0x08;

    /// <summary>DIR_NTRes bit: the extension is shown in lowercase.</summary>
    public const byte NtLowercaseExtension = 0x10;

    /// <summary>The 11 name bytes, one char per byte (Latin-1 keeps every byte value).</summary>
    public string RawName;
    public FatAttributes Attributes;
    public byte NtFlags;
    public byte CreateTimeTenth;
    public ushort CreateTime;
    public ushort CreateDate;
    public ushort LastAccessDate;
    public ushort WriteTime;
    public ushort WriteDate;
    public uint FirstCluster;
    public uint FileSize;

    public readonly bool IsDirectory => (Attributes & FatAttributes.Directory) != 0;

    public readonly bool IsVolumeLabel => (Attributes & (FatAttributes.VolumeId | FatAttributes.Directory)) == FatAttributes.VolumeId;

    public static FatDirent Read(ReadOnlySpan<byte> entry, bool fat32)
    {
        var high = fat32 ? BinaryPrimitives.ReadUInt16LittleEndian(entry[20..]) : 0u;
        return new FatDirent
        {
            RawName = Encoding.Latin1.GetString(entry[..11]),
            Attributes = (FatAttributes)entry[11],
            NtFlags = entry[12],
            CreateTimeTenth = entry[13],
            CreateTime = BinaryPrimitives.ReadUInt16LittleEndian(entry[14..]),
            CreateDate = BinaryPrimitives.ReadUInt16LittleEndian(entry[16..]),
            LastAccessDate = BinaryPrimitives.ReadUInt16LittleEndian(entry[18..]),
            WriteTime = BinaryPrimitives.ReadUInt16LittleEndian(entry[22..]),
            WriteDate = BinaryPrimitives.ReadUInt16LittleEndian(entry[24..]),
            FirstCluster = (high << 16) | BinaryPrimitives.ReadUInt16LittleEndian(entry[26..]),
            FileSize = BinaryPrimitives.ReadUInt32LittleEndian(entry[28..]),
        };
    }

    /// <summary>Writes the entry; DIR_FstClusHI is written as 0 on FAT12/16, where it is reserved.</summary>
    public readonly void Write(Span<byte> entry, bool fat32)
    {
        Debug.Assert(RawName.Length == 11);
        Encoding.Latin1.GetBytes(RawName, entry[..11]);
        entry[11] = (byte)Attributes;
        entry[12] = NtFlags;
        entry[13] = CreateTimeTenth;
        BinaryPrimitives.WriteUInt16LittleEndian(entry[14..], CreateTime);
        BinaryPrimitives.WriteUInt16LittleEndian(entry[16..], CreateDate);
        BinaryPrimitives.WriteUInt16LittleEndian(entry[18..], LastAccessDate);
        BinaryPrimitives.WriteUInt16LittleEndian(entry[20..], fat32 ? (ushort)(FirstCluster >> 16) : (ushort)0);
        BinaryPrimitives.WriteUInt16LittleEndian(entry[22..], WriteTime);
        BinaryPrimitives.WriteUInt16LittleEndian(entry[24..], WriteDate);
        BinaryPrimitives.WriteUInt16LittleEndian(entry[26..], (ushort)FirstCluster);
        BinaryPrimitives.WriteUInt32LittleEndian(entry[28..], FileSize);
    }
}
