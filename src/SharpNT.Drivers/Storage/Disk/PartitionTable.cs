using System.Buffers.Binary;
using System.Text;
using static SharpNT.Drivers.Storage.StorageIoctl;

namespace SharpNT.Drivers.Storage.Disk;

/// <summary>
/// A disk's partition table, read as disk.sys's IoReadPartitionTableEx does: the MBR in sector 0 (four
/// primary entries, extended partitions followed through their EBR chain), or, behind a protective MBR
/// (type 0xEE), the GPT: the header in LBA 1 (the backup at the last LBA if the primary's CRCs do not hold)
/// and its entry array.
/// </summary>
internal sealed class PartitionTable
{
    private const int SectorSize = 512;
    private const byte ProtectiveMbrType = 0xEE;

    private PartitionTable(int style, IReadOnlyList<DiskPartition> partitions)
    {
        Style = style;
        Partitions = partitions;
    }

    /// <summary>No table: what a disk has until it is read (PARTITION_STYLE_RAW, no partitions). Immutable, shared.</summary>
    internal static PartitionTable Raw { get; } = new(PARTITION_STYLE_RAW, []);

    /// <summary>MBR: the disk signature (bytes 440-443 of sector 0).</summary>
    internal uint Signature { get; private init; }

    /// <summary>MBR: the checksum disk.sys keeps of sector 0 (the two's complement of the sum of its 128 ULONGs).</summary>
    internal uint CheckSum { get; private init; }

    /// <summary>GPT: the disk GUID of the header.</summary>
    internal Guid DiskId { get; private init; }

    /// <summary>PARTITION_STYLE_MBR, _GPT or _RAW (no valid table).</summary>
    internal int Style { get; }

    internal IReadOnlyList<DiskPartition> Partitions { get; }

    /// <summary>Reads the table with <paramref name="readSectors"/> (first LBA, count; null when the read fails).</summary>
    internal static PartitionTable Read(Func<long, int, byte[]?> readSectors, long sectorCount)
    {
        var mbr = readSectors(0, 1);
        if (mbr is null || mbr[510] != 0x55 || mbr[511] != 0xAA)
        {
            return new PartitionTable(PARTITION_STYLE_RAW, []);
        }

        for (var i = 0; i < 4; i++)
        {
            if (mbr[446 + (i * 16) + 4] == ProtectiveMbrType)
            {
                return ReadGpt(readSectors, sectorCount) ?? new PartitionTable(PARTITION_STYLE_RAW, []);
            }
        }

        uint sum = 0;
        for (var i = 0; i < 128; i++)
        {
            sum += BinaryPrimitives.ReadUInt32LittleEndian(mbr.AsSpan(i * 4));
        }

        var table = ReadMbr(mbr, readSectors, sectorCount);
        return new PartitionTable(table.Style, table.Partitions)
        {
            Signature = BinaryPrimitives.ReadUInt32LittleEndian(mbr.AsSpan(440)),
            CheckSum = 0u - sum,
        };
    }

    private static bool IsExtended(byte type) => type is 0x05 or 0x0F or 0x85;

    private static PartitionTable ReadMbr(byte[] mbr, Func<long, int, byte[]?> readSectors, long sectorCount)
    {
        var partitions = new List<DiskPartition>();
        uint number = 1;
        long extendedStart = -1;
        for (var i = 0; i < 4; i++)
        {
            var entry = mbr.AsSpan(446 + (i * 16), 16);
            var type = entry[4];
            var start = BinaryPrimitives.ReadUInt32LittleEndian(entry[8..]);
            var sectors = BinaryPrimitives.ReadUInt32LittleEndian(entry[12..]);
            if (type == 0 || sectors == 0 || start + (long)sectors > sectorCount)
            {
                continue;
            }

            if (IsExtended(type))
            {
                extendedStart = start;
                continue;
            }

            partitions.Add(new DiskPartition
            {
                Number = number++,
                StartingOffset = (long)start * SectorSize,
                Length = (long)sectors * SectorSize,
                MbrType = type,
                BootIndicator = entry[0] == 0x80,
                HiddenSectors = start,
            });
        }

        // Logical drives: each EBR holds one partition (relative to the EBR) and a link to the next EBR
        // (relative to the start of the extended partition). A loop or a bad signature ends the chain.
        var ebr = extendedStart;
        var seen = new HashSet<long>();
        while (ebr > 0 && ebr < sectorCount && seen.Add(ebr) && seen.Count <= 128)
        {
            var sector = readSectors(ebr, 1);
            if (sector is null || sector[510] != 0x55 || sector[511] != 0xAA)
            {
                break;
            }

            var first = sector.AsSpan(446, 16);
            var type = first[4];
            var start = ebr + BinaryPrimitives.ReadUInt32LittleEndian(first[8..]);
            var sectors = BinaryPrimitives.ReadUInt32LittleEndian(first[12..]);
            if (type != 0 && sectors != 0 && start + sectors <= sectorCount)
            {
                partitions.Add(new DiskPartition
                {
                    Number = number++,
                    StartingOffset = start * SectorSize,
                    Length = (long)sectors * SectorSize,
                    MbrType = type,
                    BootIndicator = first[0] == 0x80,
                    HiddenSectors = (uint)start,
                });
            }

            var link = sector.AsSpan(462, 16);
            ebr = IsExtended(link[4]) ? extendedStart + BinaryPrimitives.ReadUInt32LittleEndian(link[8..]) : 0;
        }

        return new PartitionTable(PARTITION_STYLE_MBR, partitions);
    }

    private static PartitionTable? ReadGpt(Func<long, int, byte[]?> readSectors, long sectorCount) =>
        ReadGptAt(readSectors, 1, sectorCount) ?? ReadGptAt(readSectors, sectorCount - 1, sectorCount);

    private static PartitionTable? ReadGptAt(Func<long, int, byte[]?> readSectors, long lba, long sectorCount)
    {
        var header = readSectors(lba, 1);
        if (header is null || Encoding.ASCII.GetString(header, 0, 8) != "EFI PART")
        {
            return null;
        }

        var headerSize = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(12));
        if (headerSize < 92 || headerSize > SectorSize)
        {
            return null;
        }

        var expected = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(16));
        var copy = header.AsSpan(0, (int)headerSize).ToArray();
        copy.AsSpan(16, 4).Clear();
        if (Crc32.Compute(copy) != expected || BinaryPrimitives.ReadInt64LittleEndian(header.AsSpan(24)) != lba)
        {
            return null;
        }

        var firstUsable = BinaryPrimitives.ReadInt64LittleEndian(header.AsSpan(40));
        var lastUsable = BinaryPrimitives.ReadInt64LittleEndian(header.AsSpan(48));
        var entriesLba = BinaryPrimitives.ReadInt64LittleEndian(header.AsSpan(72));
        var count = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(80));
        var entrySize = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(84));
        var entriesCrc = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(88));
        if (entrySize < 128 || entrySize % 8 != 0 || count > 1024 || entriesLba <= 0 || entriesLba >= sectorCount)
        {
            return null;
        }

        var bytes = (long)count * entrySize;
        var sectors = (int)((bytes + SectorSize - 1) / SectorSize);
        var array = readSectors(entriesLba, sectors);
        if (array is null || Crc32.Compute(array.AsSpan(0, (int)bytes)) != entriesCrc)
        {
            return null;
        }

        var partitions = new List<DiskPartition>();
        uint number = 1;
        for (var i = 0; i < count; i++)
        {
            var entry = array.AsSpan((int)(i * entrySize), (int)entrySize);
            var type = new Guid(entry[..16]);
            if (type == Guid.Empty)
            {
                continue;
            }

            var first = BinaryPrimitives.ReadInt64LittleEndian(entry[32..]);
            var last = BinaryPrimitives.ReadInt64LittleEndian(entry[40..]);
            if (first < firstUsable || last > lastUsable || last < first)
            {
                continue;
            }

            partitions.Add(new DiskPartition
            {
                Number = number++,
                StartingOffset = first * SectorSize,
                Length = (last - first + 1) * SectorSize,
                GptType = type,
                GptId = new Guid(entry.Slice(16, 16)),
                GptAttributes = BinaryPrimitives.ReadUInt64LittleEndian(entry[48..]),
                GptName = Encoding.Unicode.GetString(entry.Slice(56, 72)).TrimEnd('\0'),
            });
        }

        return new PartitionTable(PARTITION_STYLE_GPT, partitions) { DiskId = new Guid(header.AsSpan(56, 16)) };
    }
}
