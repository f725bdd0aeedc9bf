using System.Buffers;
using SharpNT.Kernel;

namespace SharpNT.Drivers.Fastfat;

internal sealed partial class FatVolume
{
    /// <summary>FAT's DIR_FileSize is 32 bits: no file reaches 4 GiB.</summary>
    public const long MaxFileSize = uint.MaxValue;

    private const int ZeroChunkBytes = 256 * 1024;

    /// <summary>
    /// IRP_MJ_READ's work: copies file bytes from <paramref name="offset"/> into <paramref name="buffer"/>. Each
    /// contiguous cluster run becomes one transfer: large ones one device call, small ones through the cache
    /// with read-ahead along the run.
    /// </summary>
    /// <returns>STATUS_SUCCESS with the count read (short at end of file); STATUS_END_OF_FILE when
    /// <paramref name="offset"/> is at or past the end; STATUS_INVALID_DEVICE_REQUEST for a directory;
    /// STATUS_FILE_CORRUPT_ERROR when the chain is shorter than the file.</returns>
    public NTSTATUS Read(FatFcb fcb, long offset, Span<byte> buffer, out int bytesRead)
    {
        ArgumentNullException.ThrowIfNull(fcb);
        bytesRead = 0;
        var status = CheckFile(fcb);
        if (!status.IsSuccess())
        {
            return status;
        }

        if (offset < 0)
        {
            return NTSTATUS.STATUS_INVALID_PARAMETER;
        }

        if (buffer.IsEmpty)
        {
            return NTSTATUS.STATUS_SUCCESS;
        }

        var size = fcb.FileSize;
        if (offset >= size)
        {
            return NTSTATUS.STATUS_END_OF_FILE;
        }

        var count = (int)Math.Min(buffer.Length, size - offset);
        status = ReadFileRange(fcb, offset, buffer[..count]);
        if (!status.IsSuccess())
        {
            return status;
        }

        bytesRead = count;
        return TouchAccessDate(fcb);
    }

    /// <summary>
    /// The non-cached part of a large read: when the bytes at <paramref name="offset"/> start on a sector and lie
    /// in one contiguous cluster run of at least <see cref="FatBlockCache.DirectTransferBytes"/>, as many whole
    /// sectors of them as <paramref name="length"/> allows (up to the end of the run and of the file) go from the
    /// device into memory at <paramref name="address"/> in one transfer. <paramref name="bytesRead"/> 0 with
    /// STATUS_SUCCESS means this range does not qualify: read it through <see cref="Read"/>.
    /// </summary>
    /// <returns>As <see cref="Read"/>.</returns>
    public NTSTATUS ReadDirect(FatFcb fcb, long offset, long length, IFatAddressTransfer target, ulong address, out int bytesRead)
    {
        ArgumentNullException.ThrowIfNull(fcb);
        ArgumentNullException.ThrowIfNull(target);
        bytesRead = 0;
        var status = CheckFile(fcb);
        if (!status.IsSuccess())
        {
            return status;
        }

        if (offset < 0)
        {
            return NTSTATUS.STATUS_INVALID_PARAMETER;
        }

        var size = fcb.FileSize;
        if (offset >= size)
        {
            return NTSTATUS.STATUS_END_OF_FILE;
        }

        if (Math.Min(length, size - offset) < FatBlockCache.DirectTransferBytes)
        {
            // Too little left to be worth a transfer of its own (a small file): the cache serves it.
            return NTSTATUS.STATUS_SUCCESS;
        }

        long deviceByte = 0, runBytes = 0;
        status = EnsureMap(fcb, out var map);
        if (status.IsSuccess())
        {
            status = MapOffset(map, offset, out deviceByte, out runBytes, out _);
        }

        if (!status.IsSuccess())
        {
            return status;
        }

        var sectorSize = BootSector.BytesPerSector;
        var whole = Math.Min(Math.Min(length, runBytes), Math.Min(size - offset, int.MaxValue / 2)) / sectorSize * sectorSize;
        if (deviceByte % sectorSize != 0 || whole < FatBlockCache.DirectTransferBytes)
        {
            return NTSTATUS.STATUS_SUCCESS;
        }

        status = Cache.ReadDirectTo(deviceByte / sectorSize, (int)whole, target, address);
        if (!status.IsSuccess())
        {
            return status;
        }

        bytesRead = (int)whole;
        return TouchAccessDate(fcb);
    }

    /// <summary>
    /// IRP_MJ_WRITE's work: writes at <paramref name="offset"/>, allocating clusters (contiguous when it can)
    /// and zero-filling a gap past the old end. The chain is linked before the data is written and the
    /// directory entry's size is updated after it.
    /// </summary>
    /// <returns>STATUS_SUCCESS; STATUS_DISK_FULL (nothing written) when the clusters cannot be had or the file
    /// would pass 4 GiB; STATUS_ACCESS_DENIED for a read-only file; STATUS_INVALID_DEVICE_REQUEST for a directory.</returns>
    public NTSTATUS Write(FatFcb fcb, long offset, ReadOnlySpan<byte> data, out int bytesWritten)
    {
        ArgumentNullException.ThrowIfNull(fcb);
        bytesWritten = 0;
        var status = CheckWritableFile(fcb);
        if (!status.IsSuccess())
        {
            return status;
        }

        if (offset < 0)
        {
            return NTSTATUS.STATUS_INVALID_PARAMETER;
        }

        if (data.IsEmpty)
        {
            return NTSTATUS.STATUS_SUCCESS;
        }

        var end = offset + data.Length;
        if (end > MaxFileSize)
        {
            return NTSTATUS.STATUS_DISK_FULL;
        }

        status = BeginModify();
        if (!status.IsSuccess())
        {
            return status;
        }

        var oldSize = fcb.FileSize;
        status = ExtendAllocation(fcb, end);
        if (status.IsSuccess() && offset > oldSize)
        {
            status = ZeroFileRange(fcb, oldSize, offset);
        }

        if (status.IsSuccess())
        {
            status = WriteFileRange(fcb, offset, data);
        }

        if (!status.IsSuccess())
        {
            return EndModify(status);
        }

        if (end > oldSize)
        {
            fcb.Dirent.FileSize = (uint)end;
        }

        fcb.Dirent.Attributes |= FatAttributes.Archive;
        StampTimes(ref fcb.Dirent, creation: false, write: true, access: true);
        status = UpdateDirent(fcb);
        if (status.IsSuccess())
        {
            bytesWritten = data.Length;
        }

        return EndModify(status);
    }

    /// <summary>Writes at the end of file (FILE_APPEND_DATA / FILE_WRITE_TO_END_OF_FILE).</summary>
    public NTSTATUS Append(FatFcb fcb, ReadOnlySpan<byte> data, out int bytesWritten)
    {
        ArgumentNullException.ThrowIfNull(fcb);
        return Write(fcb, fcb.FileSize, data, out bytesWritten);
    }

    /// <summary>
    /// FileEndOfFileInformation: truncates (the directory entry first, the freed clusters after it) or extends
    /// with zeros.
    /// </summary>
    public NTSTATUS SetEndOfFile(FatFcb fcb, long endOfFile)
    {
        ArgumentNullException.ThrowIfNull(fcb);
        var status = CheckWritableFile(fcb);
        if (!status.IsSuccess())
        {
            return status;
        }

        if (endOfFile < 0)
        {
            return NTSTATUS.STATUS_INVALID_PARAMETER;
        }

        if (endOfFile > MaxFileSize)
        {
            return NTSTATUS.STATUS_DISK_FULL;
        }

        var size = fcb.FileSize;
        if (endOfFile == size)
        {
            return NTSTATUS.STATUS_SUCCESS;
        }

        status = BeginModify();
        if (!status.IsSuccess())
        {
            return status;
        }

        if (endOfFile < size)
        {
            status = TruncateTo(fcb, endOfFile);
        }
        else
        {
            status = ExtendAllocation(fcb, endOfFile);
            if (status.IsSuccess())
            {
                status = ZeroFileRange(fcb, size, endOfFile);
            }

            if (status.IsSuccess())
            {
                fcb.Dirent.FileSize = (uint)endOfFile;
            }
        }

        if (!status.IsSuccess())
        {
            return EndModify(status);
        }

        fcb.Dirent.Attributes |= FatAttributes.Archive;
        StampTimes(ref fcb.Dirent, creation: false, write: true, access: true);
        return EndModify(UpdateDirent(fcb));
    }

    private NTSTATUS CheckFile(FatFcb fcb)
    {
        var status = CheckMounted();
        if (!status.IsSuccess())
        {
            return status;
        }

        if (fcb.IsDeleted)
        {
            return NTSTATUS.STATUS_FILE_DELETED;
        }

        return fcb.IsDirectory ? NTSTATUS.STATUS_INVALID_DEVICE_REQUEST : NTSTATUS.STATUS_SUCCESS;
    }

    private NTSTATUS CheckWritableFile(FatFcb fcb)
    {
        var status = CheckFile(fcb);
        if (!status.IsSuccess())
        {
            return status;
        }

        if (IsReadOnly)
        {
            return NTSTATUS.STATUS_MEDIA_WRITE_PROTECTED;
        }

        return (fcb.Attributes & FatAttributes.ReadOnly) != 0 ? NTSTATUS.STATUS_ACCESS_DENIED : NTSTATUS.STATUS_SUCCESS;
    }

    /// <summary>Records today's date as the last access date, when it changes (FAT keeps only the date).</summary>
    private NTSTATUS TouchAccessDate(FatFcb fcb)
    {
        if (IsReadOnly || fcb.IsRoot)
        {
            return NTSTATUS.STATUS_SUCCESS;
        }

        FatTime.FromSystemTime(_options.SystemTime(), _options.TimeZoneBias, out var date, out _, out _);
        if (fcb.Dirent.LastAccessDate == date)
        {
            return NTSTATUS.STATUS_SUCCESS;
        }

        var status = BeginModify();
        if (!status.IsSuccess())
        {
            return status;
        }

        fcb.Dirent.LastAccessDate = date;
        return EndModify(UpdateDirent(fcb));
    }

    /// <summary>Makes the chain cover <paramref name="bytes"/>: new clusters are allocated and linked (growth, written first).</summary>
    private NTSTATUS ExtendAllocation(FatFcb fcb, long bytes)
    {
        var status = EnsureMap(fcb, out var map);
        if (!status.IsSuccess())
        {
            return status;
        }

        var clusterBytes = BootSector.BytesPerCluster;
        var needed = (uint)((bytes + clusterBytes - 1) / clusterBytes);
        if (needed <= map.ClusterCount)
        {
            return NTSTATUS.STATUS_SUCCESS;
        }

        var runs = new List<FatRun>();
        var hint = map.ClusterCount == 0 ? 0 : map.LastCluster + 1;
        status = AllocateClusters(needed - map.ClusterCount, hint, runs);
        if (!status.IsSuccess())
        {
            return status;
        }

        if (map.ClusterCount == 0)
        {
            fcb.Dirent.FirstCluster = runs[0].StartCluster;
        }
        else
        {
            Fat.Link(map.LastCluster, runs[0].StartCluster);
        }

        foreach (var run in runs)
        {
            map.Append(run);
        }

        return NTSTATUS.STATUS_SUCCESS;
    }

    /// <summary>Sets the size and frees the clusters past it; a size of 0 leaves no chain (first cluster 0).</summary>
    private NTSTATUS TruncateTo(FatFcb fcb, long size)
    {
        var status = EnsureMap(fcb, out var map);
        if (!status.IsSuccess())
        {
            return status;
        }

        var clusterBytes = BootSector.BytesPerCluster;
        var keep = (uint)((size + clusterBytes - 1) / clusterBytes);
        if (keep < map.ClusterCount)
        {
            if (keep == 0)
            {
                Fat.FreeChain(map.FirstCluster);
                fcb.Dirent.FirstCluster = 0;
            }
            else
            {
                map.TryMap(keep - 1, out var last, out _);
                Fat.TruncateAfter(last);
            }

            map.Truncate(keep);
        }

        fcb.Dirent.FileSize = (uint)size;
        return NTSTATUS.STATUS_SUCCESS;
    }

    private NTSTATUS ZeroFileRange(FatFcb fcb, long from, long to)
    {
        var zeros = ArrayPool<byte>.Shared.Rent((int)Math.Min(ZeroChunkBytes, to - from));
        try
        {
            Array.Clear(zeros);
            for (var position = from; position < to;)
            {
                var n = (int)Math.Min(zeros.Length, to - position);
                var status = WriteFileRange(fcb, position, zeros.AsSpan(0, n));
                if (!status.IsSuccess())
                {
                    return status;
                }

                position += n;
            }

            return NTSTATUS.STATUS_SUCCESS;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(zeros);
        }
    }

    private NTSTATUS ReadFileRange(FatFcb fcb, long offset, Span<byte> destination)
    {
        var status = EnsureMap(fcb, out var map);
        for (var done = 0; status.IsSuccess() && done < destination.Length;)
        {
            status = MapOffset(map, offset + done, out var deviceByte, out var runBytes, out var runEndSector);
            if (!status.IsSuccess())
            {
                break;
            }

            var n = (int)Math.Min(destination.Length - done, runBytes);
            status = ReadDeviceBytes(deviceByte, destination.Slice(done, n), runEndSector);
            done += n;
        }

        return status;
    }

    private NTSTATUS WriteFileRange(FatFcb fcb, long offset, ReadOnlySpan<byte> source)
    {
        var status = EnsureMap(fcb, out var map);
        for (var done = 0; status.IsSuccess() && done < source.Length;)
        {
            status = MapOffset(map, offset + done, out var deviceByte, out var runBytes, out _);
            if (!status.IsSuccess())
            {
                break;
            }

            var n = (int)Math.Min(source.Length - done, runBytes);
            status = WriteDeviceBytes(deviceByte, source.Slice(done, n));
            done += n;
        }

        return status;
    }

    /// <summary>Device byte of a file offset and how many bytes follow it contiguously on disk.</summary>
    private NTSTATUS MapOffset(FatClusterMap map, long fileOffset, out long deviceByte, out long runBytes, out long runEndSector)
    {
        var clusterBytes = BootSector.BytesPerCluster;
        if (!map.TryMap((uint)(fileOffset / clusterBytes), out var cluster, out var contiguous))
        {
            deviceByte = runBytes = runEndSector = 0;
            return NTSTATUS.STATUS_FILE_CORRUPT_ERROR;
        }

        var within = fileOffset % clusterBytes;
        var firstSector = BootSector.ClusterToSector(cluster);
        deviceByte = (firstSector * BootSector.BytesPerSector) + within;
        runBytes = ((long)contiguous * clusterBytes) - within;
        runEndSector = firstSector + ((long)contiguous * BootSector.SectorsPerCluster);
        return NTSTATUS.STATUS_SUCCESS;
    }

    private NTSTATUS ReadDeviceBytes(long deviceByte, Span<byte> destination, long readAheadEnd)
    {
        var sectorSize = BootSector.BytesPerSector;
        var sector = deviceByte / sectorSize;
        var done = 0;
        var within = (int)(deviceByte % sectorSize);
        if (within != 0 || destination.Length < sectorSize)
        {
            var status = Cache.PinSector(sector, readAheadEnd, out var buffer, out var offset);
            if (!status.IsSuccess())
            {
                return status;
            }

            done = Math.Min(sectorSize - within, destination.Length);
            buffer.AsSpan(offset + within, done).CopyTo(destination);
            sector++;
        }

        var whole = (destination.Length - done) / sectorSize;
        if (whole > 0)
        {
            var status = Cache.Read(sector, destination.Slice(done, whole * sectorSize), readAheadEnd);
            if (!status.IsSuccess())
            {
                return status;
            }

            done += whole * sectorSize;
            sector += whole;
        }

        if (done < destination.Length)
        {
            var status = Cache.PinSector(sector, readAheadEnd, out var buffer, out var offset);
            if (!status.IsSuccess())
            {
                return status;
            }

            buffer.AsSpan(offset, destination.Length - done).CopyTo(destination[done..]);
        }

        return NTSTATUS.STATUS_SUCCESS;
    }

    private NTSTATUS WriteDeviceBytes(long deviceByte, ReadOnlySpan<byte> source)
    {
        var sectorSize = BootSector.BytesPerSector;
        var sector = deviceByte / sectorSize;
        var done = 0;
        var within = (int)(deviceByte % sectorSize);
        if (within != 0 || source.Length < sectorSize)
        {
            var status = Cache.PinSector(sector, sector + 1, out var buffer, out var offset);
            if (!status.IsSuccess())
            {
                return status;
            }

            done = Math.Min(sectorSize - within, source.Length);
            source[..done].CopyTo(buffer.AsSpan(offset + within));
            Cache.MarkSectorDirty(sector, metadata: false);
            sector++;
        }

        var whole = (source.Length - done) / sectorSize;
        if (whole > 0)
        {
            var status = Cache.Write(sector, source.Slice(done, whole * sectorSize), metadata: false);
            if (!status.IsSuccess())
            {
                return status;
            }

            done += whole * sectorSize;
            sector += whole;
        }

        if (done < source.Length)
        {
            var status = Cache.PinSector(sector, sector + 1, out var buffer, out var offset);
            if (!status.IsSuccess())
            {
                return status;
            }

            source[done..].CopyTo(buffer.AsSpan(offset));
            Cache.MarkSectorDirty(sector, metadata: false);
        }

        return NTSTATUS.STATUS_SUCCESS;
    }
}
