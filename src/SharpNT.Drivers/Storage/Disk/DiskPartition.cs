namespace SharpNT.Drivers.Storage.Disk;

/// <summary>One partition found on a disk: where it is and what its table entry says (MBR or GPT fields).</summary>
internal sealed record DiskPartition
{
    /// <summary>The partition number NT gives it (1-based, in table order).</summary>
    public required uint Number { get; init; }

    public required long StartingOffset { get; init; }

    public required long Length { get; init; }

    /// <summary>MBR: the system ID byte (0x0C FAT32 LBA, 0x07 IFS, ...).</summary>
    public byte MbrType { get; init; }

    public bool BootIndicator { get; init; }

    /// <summary>MBR: the partition's first sector (HiddenSectors).</summary>
    public uint HiddenSectors { get; init; }

    public Guid GptType { get; init; }

    public Guid GptId { get; init; }

    public ulong GptAttributes { get; init; }

    public string GptName { get; init; } = "";
}
