using System.Buffers;
using SharpNT.Kernel;
using SharpNT.Kernel.Io;
using static SharpNT.Kernel.Ddi.Wdm;
using static SharpNT.Kernel.NTSTATUS;

namespace SharpNT.Drivers.Fastfat;

/// <summary>
/// Caching of file data, as fastfat arranges it with the cache manager. There is no separate cache manager
/// here: the volume's block cache holds file data, so fastfat plays Cc's part for its own files. At the
/// first cached read or write on an open it calls <see cref="FatInitializeCacheMap"/> (CcInitializeCacheMap):
/// the stream's SECTION_OBJECT_POINTERS gets its SharedCacheMap and the file object its PrivateCacheMap, which
/// is what tells the I/O manager it may try fast I/O. <see cref="FatCopyRead"/> and <see cref="FatCopyWrite"/>
/// (CcCopyRead, CcCopyWrite) move bytes between that cache and a caller's buffer; at cleanup
/// <see cref="FatUninitializeCacheMap"/> (CcUninitializeCacheMap) takes the open's cache map away.
/// </summary>
public sealed partial class FatDriver
{
    private static readonly uint TagPrivateCacheMap = PoolTag("FatP");

    /// <summary>Bytes of the per-open cache map block (NT's PRIVATE_CACHE_MAP is Cc's; this one only marks the open as cached).</summary>
    private const uint PrivateCacheMapBytes = 0x10;

    /// <summary>Bytes copied between the engine and the request's buffer at a time.</summary>
    private const int CopyChunkBytes = 1024 * 1024;

    /// <summary>
    /// CcInitializeCacheMap for one open: a no-op when the open is cached already. Caching the stream the
    /// first time sets SECTION_OBJECT_POINTERS.SharedCacheMap (the FCB's block stands for the shared cache
    /// map: the file's data lives in the volume's block cache); each open gets its own PrivateCacheMap.
    /// </summary>
    /// <returns>False when pool for the open's cache map cannot be had: the request then goes on uncached by fast I/O.</returns>
    private static bool FatInitializeCacheMap(FatVcb vcb, FILE_OBJECT file, FatCcb ccb)
    {
        if (ccb.PrivateCacheMap != 0)
        {
            return true;
        }

        // Only data streams are cached, and not an open that asked for no intermediate buffering.
        if (ccb.Fcb is not { IsDirectory: false } fcb || !vcb.Fcbs.TryGetValue(fcb, out var block)
            || (file.Flags & FO_FLAGS.FO_NO_INTERMEDIATE_BUFFERING) != 0)
        {
            return false;
        }

        var map = ExAllocatePool2(POOL_FLAG_NON_PAGED, PrivateCacheMapBytes, TagPrivateCacheMap);
        if (map == 0)
        {
            return false;
        }

        RtlZeroMemory(map, PrivateCacheMapBytes);
        if (block.CachedOpens++ == 0)
        {
            WriteMemory(block.SectionObjectPointers + SectionObjectPointersSharedCacheMap, block.Address);
        }

        ccb.PrivateCacheMap = map;
        file.PrivateCacheMap = map;
        return true;
    }

    /// <summary>CcUninitializeCacheMap: the open's cache map goes; the shared one with the stream's last cached open.</summary>
    private static void FatUninitializeCacheMap(FILE_OBJECT file, FatCcb ccb, FatFcbBlock block)
    {
        if (ccb.PrivateCacheMap == 0)
        {
            return;
        }

        file.PrivateCacheMap = 0;
        ExFreePoolWithTag(ccb.PrivateCacheMap, TagPrivateCacheMap);
        ccb.PrivateCacheMap = 0;
        if (--block.CachedOpens == 0)
        {
            WriteMemory(block.SectionObjectPointers + SectionObjectPointersSharedCacheMap, 0UL);
        }
    }

    /// <summary>SECTION_OBJECT_POINTERS.SharedCacheMap (x64).</summary>
    private const ulong SectionObjectPointersSharedCacheMap = 0x08;

    /// <summary>
    /// CcCopyRead: up to <paramref name="length"/> bytes of the file at <paramref name="offset"/> from the
    /// volume's cache into <paramref name="buffer"/> (an address the caller may write). Short at end of file;
    /// STATUS_END_OF_FILE with nothing read at or past it. A bad buffer raises as the memory access does.
    /// </summary>
    private static NTSTATUS FatCopyRead(FatVcb vcb, FatFcb fcb, long offset, uint length, ulong buffer, out ulong information)
    {
        information = 0;
        var status = STATUS_SUCCESS;
        var chunk = ArrayPool<byte>.Shared.Rent((int)Math.Min(length, CopyChunkBytes));
        try
        {
            while (information < length)
            {
                // A large aligned stretch goes from the disk into the caller's buffer in one transfer (the data
                // lands once); what is left, through the volume's cache and the chunk.
                if (length - information >= FatBlockCache.DirectTransferBytes)
                {
                    status = vcb.Volume.ReadDirect(fcb, offset + (long)information, (long)(length - information), vcb.Device,
                        buffer + information, out var direct);
                    if (!status.IsSuccess())
                    {
                        break;
                    }

                    if (direct > 0)
                    {
                        information += (ulong)direct;
                        continue;
                    }
                }

                var piece = (int)Math.Min(length - information, (ulong)chunk.Length);
                status = vcb.Volume.Read(fcb, offset + (long)information, chunk.AsSpan(0, piece), out var read);
                if (!status.IsSuccess())
                {
                    break;
                }

                CopyFromHost(buffer + information, chunk.AsSpan(0, read));
                information += (ulong)read;
                if (read < piece)
                {
                    break;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        // End of file after some bytes is a short read, not an error.
        return status == STATUS_END_OF_FILE && information != 0 ? STATUS_SUCCESS : status;
    }

    /// <summary>CcCopyWrite: <paramref name="length"/> bytes from <paramref name="buffer"/> into the file at <paramref name="offset"/>, through the volume's cache.</summary>
    private static NTSTATUS FatCopyWrite(FatVcb vcb, FatFcb fcb, long offset, uint length, ulong buffer, out ulong information)
    {
        information = 0;
        var status = STATUS_SUCCESS;
        var chunk = ArrayPool<byte>.Shared.Rent((int)Math.Min(length, CopyChunkBytes));
        try
        {
            while (information < length)
            {
                var piece = (int)Math.Min(length - information, (ulong)chunk.Length);
                CopyToHost(buffer + information, chunk.AsSpan(0, piece));
                status = vcb.Volume.Write(fcb, offset + (long)information, chunk.AsSpan(0, piece), out var written);
                information += (ulong)written;
                if (!status.IsSuccess())
                {
                    break;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        return status;
    }
}
