using System.Diagnostics;
using SharpNT.Kernel;

namespace SharpNT.Drivers.Fastfat;

/// <summary>A block device over a byte array: RAM disks, tests and measurements. Counts its calls.</summary>
[DebuggerDisplay("MemoryBlockDevice {SectorCount} x {SectorSize}, reads {ReadCalls}, writes {WriteCalls}")]
internal sealed class MemoryBlockDevice : IFatBlockDevice
{
    private readonly byte[] _image;

    public MemoryBlockDevice(byte[] image, int sectorSize = 512, bool readOnly = false)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (sectorSize <= 0 || (sectorSize & (sectorSize - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(sectorSize), "The sector size is a power of two.");
        }

        _image = image;
        SectorSize = sectorSize;
        IsReadOnly = readOnly;
    }

    /// <summary>The bytes of the device; a partial last sector is not addressable.</summary>
    public byte[] Image => _image;

    public int SectorSize { get; }

    public long SectorCount => _image.LongLength / SectorSize;

    public bool IsReadOnly { get; }

    public long ReadCalls { get; private set; }

    public long WriteCalls { get; private set; }

    public long BytesRead { get; private set; }

    public long BytesWritten { get; private set; }

    /// <summary>When set, writes fail with STATUS_IO_DEVICE_ERROR once this many more have succeeded (a power cut).</summary>
    public long? FailWritesAfter { get; set; }

    public NTSTATUS ReadSectors(long firstSector, Span<byte> buffer)
    {
        if (!IsValidRun(firstSector, buffer.Length))
        {
            return NTSTATUS.STATUS_INVALID_PARAMETER;
        }

        ReadCalls++;
        BytesRead += buffer.Length;
        _image.AsSpan((int)(firstSector * SectorSize), buffer.Length).CopyTo(buffer);
        return NTSTATUS.STATUS_SUCCESS;
    }

    public NTSTATUS WriteSectors(long firstSector, ReadOnlySpan<byte> buffer)
    {
        if (IsReadOnly)
        {
            return NTSTATUS.STATUS_MEDIA_WRITE_PROTECTED;
        }

        if (!IsValidRun(firstSector, buffer.Length))
        {
            return NTSTATUS.STATUS_INVALID_PARAMETER;
        }

        if (FailWritesAfter is { } remaining)
        {
            if (remaining <= 0)
            {
                return NTSTATUS.STATUS_IO_DEVICE_ERROR;
            }

            FailWritesAfter = remaining - 1;
        }

        WriteCalls++;
        BytesWritten += buffer.Length;
        buffer.CopyTo(_image.AsSpan((int)(firstSector * SectorSize), buffer.Length));
        return NTSTATUS.STATUS_SUCCESS;
    }

    public NTSTATUS Flush() => NTSTATUS.STATUS_SUCCESS;

    public void ResetCounters()
    {
        ReadCalls = 0;
        WriteCalls = 0;
        BytesRead = 0;
        BytesWritten = 0;
    }

    private bool IsValidRun(long firstSector, int length) =>
        firstSector >= 0 && length % SectorSize == 0 && firstSector + (length / SectorSize) <= SectorCount;
}
