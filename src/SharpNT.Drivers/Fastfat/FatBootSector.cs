using System.Buffers.Binary;
using System.Diagnostics;
using System.Text;
using SharpNT.Kernel;

namespace SharpNT.Drivers.Fastfat;

/// <summary>
/// The BIOS parameter block of sector 0, parsed and checked as Microsoft's FAT specification (fatgen103)
/// describes it, with the layout numbers derived from it (first data sector, cluster count, FAT type).
/// </summary>
[DebuggerDisplay("{Type} {ClusterCount} clusters of {BytesPerCluster} bytes")]
internal sealed class FatBootSector
{
    /// <summary>fatgen103: a volume with fewer than 4085 clusters is FAT12.</summary>
    public const uint MaxFat12Clusters = 4084;

    /// <summary>fatgen103: a volume with fewer than 65525 clusters is FAT16, otherwise FAT32.</summary>
    public const uint MaxFat16Clusters = 65524;

    /// <summary>FAT32 entries are 28 bits and 0x0FFFFFF5 and above are reserved values.</summary>
    public const uint MaxFat32Clusters = 0x0FFFFFF5 - 2;

    private FatBootSector()
    {
    }

    public int BytesPerSector { get; private init; }

    public int SectorsPerCluster { get; private init; }

    public int ReservedSectors { get; private init; }

    public int NumberOfFats { get; private init; }

    public int RootEntryCount { get; private init; }

    public long TotalSectors { get; private init; }

    public byte Media { get; private init; }

    public long SectorsPerFat { get; private init; }

    public FatType Type { get; private init; }

    public uint ClusterCount { get; private init; }

    public long RootDirectorySectors { get; private init; }

    public long FirstRootDirectorySector { get; private init; }

    public long FirstDataSector { get; private init; }

    /// <summary>FAT32: first cluster of the root directory (BPB_RootClus); 0 on FAT12/16.</summary>
    public uint RootCluster { get; private init; }

    /// <summary>FAT32: sector of the FSInfo structure, or 0 when there is none.</summary>
    public int FsInfoSector { get; private init; }

    /// <summary>FAT32: BPB_ExtFlags bit 7; when set only the active FAT is used and written.</summary>
    public bool MirroringDisabled { get; private init; }

    /// <summary>The FAT that is read (0 unless mirroring is disabled).</summary>
    public int ActiveFat { get; private init; }

    /// <summary>BS_BootSig was 0x29 or 0x28, so the volume serial number is present.</summary>
    public bool HasSerialNumber { get; private init; }

    public uint SerialNumber { get; private init; }

    /// <summary>BS_VolLab when BS_BootSig is 0x29; "NO NAME" and blanks mean none.</summary>
    public string? Label { get; private init; }

    /// <summary>NT's "volume dirty" bit in BS_Reserved1 (offset 37 or 65).</summary>
    public bool BootSectorDirty { get; private init; }

    public int BytesPerCluster => BytesPerSector * SectorsPerCluster;

    /// <summary>Highest valid cluster number.</summary>
    public uint MaxCluster => ClusterCount + 1;

    /// <summary>First sector of cluster <paramref name="cluster"/> (fatgen103: FirstSectorofCluster).</summary>
    public long ClusterToSector(uint cluster) => FirstDataSector + ((long)(cluster - 2) * SectorsPerCluster);

    /// <summary>
    /// Parses sector 0. STATUS_UNRECOGNIZED_VOLUME when the sector is not a FAT boot sector at all (NT then
    /// offers the volume to the next file system); STATUS_FILE_CORRUPT_ERROR when it claims to be FAT but its
    /// numbers cannot describe a volume on this device (too short, FAT too small, contradictory fields).
    /// </summary>
    public static NTSTATUS Parse(ReadOnlySpan<byte> sector, int deviceSectorSize, long deviceSectorCount, out FatBootSector? bootSector)
    {
        bootSector = null;
        if (sector.Length < 512)
        {
            return NTSTATUS.STATUS_UNRECOGNIZED_VOLUME;
        }

        // fatgen103: the jump is EB xx 90 or E9 xx xx, and 0x55 0xAA sits at offsets 510/511.
        var jumpOk = (sector[0] == 0xEB && sector[2] == 0x90) || sector[0] == 0xE9;
        if (!jumpOk || sector[510] != 0x55 || sector[511] != 0xAA)
        {
            return NTSTATUS.STATUS_UNRECOGNIZED_VOLUME;
        }

        int bytesPerSector = BinaryPrimitives.ReadUInt16LittleEndian(sector[11..]);
        int sectorsPerCluster = sector[13];
        int reserved = BinaryPrimitives.ReadUInt16LittleEndian(sector[14..]);
        int fats = sector[16];
        int rootEntries = BinaryPrimitives.ReadUInt16LittleEndian(sector[17..]);
        long totalSectors16 = BinaryPrimitives.ReadUInt16LittleEndian(sector[19..]);
        var media = sector[21];
        long fatSize16 = BinaryPrimitives.ReadUInt16LittleEndian(sector[22..]);
        long totalSectors32 = BinaryPrimitives.ReadUInt32LittleEndian(sector[32..]);
        long fatSize32 = BinaryPrimitives.ReadUInt32LittleEndian(sector[36..]);

        // The checks NT makes before it calls a sector a FAT boot sector: legal sector size and cluster
        // size, at least one reserved sector and one FAT, a total sector count, a FAT size, a legal media byte.
        if (bytesPerSector is not (512 or 1024 or 2048 or 4096)
            || sectorsPerCluster == 0 || (sectorsPerCluster & (sectorsPerCluster - 1)) != 0
            || (long)bytesPerSector * sectorsPerCluster > 64 * 1024
            || reserved == 0 || fats == 0
            || (totalSectors16 == 0 && totalSectors32 == 0)
            || (fatSize16 == 0 && fatSize32 == 0)
            || (media != 0xF0 && media < 0xF8))
        {
            return NTSTATUS.STATUS_UNRECOGNIZED_VOLUME;
        }

        // A volume formatted for another sector size is not ours to mount on this device.
        if (bytesPerSector != deviceSectorSize || sector.Length < bytesPerSector)
        {
            return NTSTATUS.STATUS_UNRECOGNIZED_VOLUME;
        }

        var totalSectors = totalSectors16 != 0 ? totalSectors16 : totalSectors32;
        var fatSize = fatSize16 != 0 ? fatSize16 : fatSize32;
        var rootDirSectors = ((rootEntries * 32L) + bytesPerSector - 1) / bytesPerSector;
        var firstRootSector = reserved + (fats * fatSize);
        var firstDataSector = firstRootSector + rootDirSectors;
        if (firstDataSector >= totalSectors)
        {
            return NTSTATUS.STATUS_FILE_CORRUPT_ERROR;
        }

        var clusters = (totalSectors - firstDataSector) / sectorsPerCluster;
        if (clusters == 0 || clusters > MaxFat32Clusters)
        {
            return NTSTATUS.STATUS_FILE_CORRUPT_ERROR;
        }

        var type = clusters <= MaxFat12Clusters ? FatType.Fat12 : clusters <= MaxFat16Clusters ? FatType.Fat16 : FatType.Fat32;

        // The layout must agree with the type the cluster count decided (fatgen103: FAT32 has no fixed
        // root and keeps its FAT size in BPB_FATSz32; FAT12/16 have a fixed root and BPB_FATSz16).
        if (type == FatType.Fat32 ? rootEntries != 0 || fatSize16 != 0 : rootEntries == 0 || fatSize16 == 0)
        {
            return NTSTATUS.STATUS_FILE_CORRUPT_ERROR;
        }

        var fatBytesNeeded = type switch
        {
            FatType.Fat12 => (((clusters + 2) * 3) + 1) / 2,
            FatType.Fat16 => (clusters + 2) * 2,
            _ => (clusters + 2) * 4,
        };
        if (fatSize * bytesPerSector < fatBytesNeeded || fatSize * bytesPerSector > int.MaxValue)
        {
            return NTSTATUS.STATUS_FILE_CORRUPT_ERROR;
        }

        // An image shorter than its BPB says is truncated: refuse rather than read past its end.
        if (totalSectors > deviceSectorCount)
        {
            return NTSTATUS.STATUS_FILE_CORRUPT_ERROR;
        }

        uint rootCluster = 0;
        var fsInfo = 0;
        var mirroringDisabled = false;
        var activeFat = 0;
        var extendedOffset = 36;
        if (type == FatType.Fat32)
        {
            var extFlags = BinaryPrimitives.ReadUInt16LittleEndian(sector[40..]);
            var version = BinaryPrimitives.ReadUInt16LittleEndian(sector[42..]);
            rootCluster = BinaryPrimitives.ReadUInt32LittleEndian(sector[44..]);
            fsInfo = BinaryPrimitives.ReadUInt16LittleEndian(sector[48..]);

            // fatgen103: a FAT32 volume of a newer version (BPB_FSVer != 0:0) must not be mounted.
            if (version != 0)
            {
                return NTSTATUS.STATUS_UNRECOGNIZED_VOLUME;
            }

            if (rootCluster < 2 || rootCluster > clusters + 1)
            {
                return NTSTATUS.STATUS_FILE_CORRUPT_ERROR;
            }

            mirroringDisabled = (extFlags & 0x80) != 0;
            activeFat = mirroringDisabled ? extFlags & 0x0F : 0;
            if (activeFat >= fats)
            {
                return NTSTATUS.STATUS_FILE_CORRUPT_ERROR;
            }

            if (fsInfo == 0xFFFF || fsInfo >= reserved)
            {
                fsInfo = 0;
            }

            extendedOffset = 64;
        }

        var bootSignature = sector[extendedOffset + 2];
        var hasSerial = bootSignature is 0x29 or 0x28;
        string? label = null;
        if (bootSignature == 0x29)
        {
            label = Encoding.Latin1.GetString(sector.Slice(extendedOffset + 7, 11)).TrimEnd(' ', '\0');
            if (label.Length == 0 || label == "NO NAME")
            {
                label = null;
            }
        }

        bootSector = new FatBootSector
        {
            BytesPerSector = bytesPerSector,
            SectorsPerCluster = sectorsPerCluster,
            ReservedSectors = reserved,
            NumberOfFats = fats,
            RootEntryCount = rootEntries,
            TotalSectors = totalSectors,
            Media = media,
            SectorsPerFat = fatSize,
            Type = type,
            ClusterCount = (uint)clusters,
            RootDirectorySectors = rootDirSectors,
            FirstRootDirectorySector = firstRootSector,
            FirstDataSector = firstDataSector,
            RootCluster = rootCluster,
            FsInfoSector = fsInfo,
            MirroringDisabled = mirroringDisabled,
            ActiveFat = activeFat,
            HasSerialNumber = hasSerial,
            SerialNumber = hasSerial ? BinaryPrimitives.ReadUInt32LittleEndian(sector[(extendedOffset + 3)..]) : 0,
            Label = label,
            BootSectorDirty = hasSerial && (sector[extendedOffset + 1] & 0x01) != 0,
        };
        return NTSTATUS.STATUS_SUCCESS;
    }
}
