using SharpNT.Kernel;

namespace SharpNT.Drivers.Fastfat;

/// <summary>
/// The volume below the FAT file system: a run of equal-sized sectors. In NT, fastfat reads its volume
/// through the device object under it (IRP_MJ_READ/WRITE to the partition or disk); the IRP-facing half
/// implements this with IRPs, tests with memory or a host file.
/// </summary>
/// <remarks>
/// Every call moves a whole run of sectors, so callers ask for many sectors at once: with 512-byte
/// clusters a request per sector would cost an IRP per 512 bytes.
/// </remarks>
internal interface IFatBlockDevice
{
    /// <summary>Bytes per sector (what IOCTL_DISK_GET_DRIVE_GEOMETRY reports as BytesPerSector).</summary>
    int SectorSize { get; }

    /// <summary>Number of addressable sectors.</summary>
    long SectorCount { get; }

    /// <summary>True when writes will be refused (write-protected media).</summary>
    bool IsReadOnly { get; }

    /// <summary>Reads <c>buffer.Length / SectorSize</c> sectors starting at <paramref name="firstSector"/>.</summary>
    /// <returns>STATUS_SUCCESS, or the device's error (STATUS_IO_DEVICE_ERROR, STATUS_INVALID_PARAMETER for a run past the end).</returns>
    NTSTATUS ReadSectors(long firstSector, Span<byte> buffer);

    /// <summary>Writes <c>buffer.Length / SectorSize</c> sectors starting at <paramref name="firstSector"/>.</summary>
    /// <returns>STATUS_SUCCESS, STATUS_MEDIA_WRITE_PROTECTED, or the device's error.</returns>
    NTSTATUS WriteSectors(long firstSector, ReadOnlySpan<byte> buffer);

    /// <summary>Makes written sectors durable (IRP_MJ_FLUSH_BUFFERS to the device).</summary>
    NTSTATUS Flush();
}
