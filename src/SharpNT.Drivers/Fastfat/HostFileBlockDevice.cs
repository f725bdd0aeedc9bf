using System.Diagnostics;
using Microsoft.Win32.SafeHandles;
using SharpNT.Kernel;

namespace SharpNT.Drivers.Fastfat;

/// <summary>A block device over a host file (a disk image), one positioned host read or write per call.</summary>
[DebuggerDisplay("HostFileBlockDevice {_path}")]
internal sealed class HostFileBlockDevice : IFatBlockDevice, IDisposable
{
    private readonly SafeFileHandle _handle;
    private readonly string _path;

    private HostFileBlockDevice(SafeFileHandle handle, string path, int sectorSize, long sectorCount, bool readOnly)
    {
        _handle = handle;
        _path = path;
        SectorSize = sectorSize;
        SectorCount = sectorCount;
        IsReadOnly = readOnly;
    }

    public int SectorSize { get; }

    public long SectorCount { get; }

    public bool IsReadOnly { get; }

    /// <summary>Opens an image file; a host I/O failure is an NTSTATUS, not an exception.</summary>
    public static NTSTATUS Open(string path, bool readOnly, int sectorSize, out HostFileBlockDevice? device)
    {
        device = null;
        if (sectorSize <= 0 || (sectorSize & (sectorSize - 1)) != 0)
        {
            return NTSTATUS.STATUS_INVALID_PARAMETER;
        }

        try
        {
            var handle = File.OpenHandle(path, FileMode.Open, readOnly ? FileAccess.Read : FileAccess.ReadWrite, FileShare.Read);
            var length = RandomAccess.GetLength(handle);
            device = new HostFileBlockDevice(handle, path, sectorSize, length / sectorSize, readOnly);
            return NTSTATUS.STATUS_SUCCESS;
        }
        catch (FileNotFoundException)
        {
            return NTSTATUS.STATUS_NO_SUCH_FILE;
        }
        catch (DirectoryNotFoundException)
        {
            return NTSTATUS.STATUS_NO_SUCH_FILE;
        }
        catch (UnauthorizedAccessException)
        {
            return NTSTATUS.STATUS_ACCESS_DENIED;
        }
        catch (IOException)
        {
            return NTSTATUS.STATUS_IO_DEVICE_ERROR;
        }
    }

    public NTSTATUS ReadSectors(long firstSector, Span<byte> buffer)
    {
        if (!IsValidRun(firstSector, buffer.Length))
        {
            return NTSTATUS.STATUS_INVALID_PARAMETER;
        }

        try
        {
            var offset = firstSector * SectorSize;
            while (!buffer.IsEmpty)
            {
                var read = RandomAccess.Read(_handle, buffer, offset);
                if (read <= 0)
                {
                    return NTSTATUS.STATUS_IO_DEVICE_ERROR;
                }

                buffer = buffer[read..];
                offset += read;
            }

            return NTSTATUS.STATUS_SUCCESS;
        }
        catch (IOException)
        {
            return NTSTATUS.STATUS_IO_DEVICE_ERROR;
        }
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

        try
        {
            RandomAccess.Write(_handle, buffer, firstSector * SectorSize);
            return NTSTATUS.STATUS_SUCCESS;
        }
        catch (IOException)
        {
            return NTSTATUS.STATUS_IO_DEVICE_ERROR;
        }
    }

    public NTSTATUS Flush()
    {
        if (IsReadOnly)
        {
            return NTSTATUS.STATUS_SUCCESS;
        }

        try
        {
            RandomAccess.FlushToDisk(_handle);
            return NTSTATUS.STATUS_SUCCESS;
        }
        catch (IOException)
        {
            return NTSTATUS.STATUS_IO_DEVICE_ERROR;
        }
    }

    public void Dispose() => _handle.Dispose();

    private bool IsValidRun(long firstSector, int length) =>
        firstSector >= 0 && length % SectorSize == 0 && firstSector + (length / SectorSize) <= SectorCount;
}
