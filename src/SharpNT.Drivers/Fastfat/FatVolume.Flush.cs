using System.Buffers.Binary;
using SharpNT.Kernel;

namespace SharpNT.Drivers.Fastfat;

internal sealed partial class FatVolume
{
    private const uint FsInfoLeadSignature = 0x41615252;
    private const uint FsInfoStructSignature = 0x61417272;
    private const uint FsInfoTrailSignature = 0xAA550000;

    /// <summary>
    /// Writes everything back in the order that keeps the volume consistent at every step: FAT growth (new
    /// chains and links, to every FAT copy), file data, new directory clusters, then changed directory
    /// entries in the order they were changed, then the deferred frees, FSInfo, and the clean-shutdown bit.
    /// An interruption between steps leaves at worst lost clusters.
    /// </summary>
    public NTSTATUS Flush()
    {
        var status = CheckMounted();
        if (!status.IsSuccess() || IsReadOnly || !_modified)
        {
            return status;
        }

        status = Fat.WriteGrowth(_device);
        if (status.IsSuccess())
        {
            status = Cache.FlushSectors(metadata: false, include: null, inDirtyOrder: false);
        }

        if (status.IsSuccess())
        {
            status = Cache.FlushSectors(metadata: true, include: IsFreshSector, inDirtyOrder: false);
        }

        if (status.IsSuccess())
        {
            status = Cache.FlushSectors(metadata: true, include: null, inDirtyOrder: true);
        }

        if (status.IsSuccess())
        {
            status = Fat.WriteDeferred(_device);
        }

        if (status.IsSuccess())
        {
            status = WriteFsInfo();
        }

        if (status.IsSuccess())
        {
            status = Fat.WriteCleanShutdownBit(_device, clean: true);
        }

        if (status.IsSuccess())
        {
            status = _device.Flush();
        }

        if (status.IsSuccess())
        {
            _modified = false;
        }

        return status;
    }

    /// <summary>FSCTL_DISMOUNT_VOLUME's work: flushes, then refuses every later request with STATUS_VOLUME_DISMOUNTED.</summary>
    public NTSTATUS Dismount()
    {
        var status = Flush();
        _dismounted = true;
        Cache.DropClean();
        return status;
    }

    /// <summary>A sector of a cluster allocated since the last flush: nothing on disk points at it yet.</summary>
    private bool IsFreshSector(long sector)
    {
        if (sector < BootSector.FirstDataSector)
        {
            return false;
        }

        var cluster = (uint)((sector - BootSector.FirstDataSector) / BootSector.SectorsPerCluster) + 2;
        return Fat.IsFresh(cluster);
    }

    /// <summary>Updates FSI_Free_Count and FSI_Nxt_Free when the FSInfo sector carries its three signatures.</summary>
    private NTSTATUS WriteFsInfo()
    {
        if (!IsFat32 || BootSector.FsInfoSector == 0)
        {
            return NTSTATUS.STATUS_SUCCESS;
        }

        var sector = new byte[BootSector.BytesPerSector];
        var status = _device.ReadSectors(BootSector.FsInfoSector, sector);
        if (!status.IsSuccess())
        {
            return status;
        }

        if (BinaryPrimitives.ReadUInt32LittleEndian(sector) != FsInfoLeadSignature
            || BinaryPrimitives.ReadUInt32LittleEndian(sector.AsSpan(484)) != FsInfoStructSignature
            || BinaryPrimitives.ReadUInt32LittleEndian(sector.AsSpan(508)) != FsInfoTrailSignature)
        {
            return NTSTATUS.STATUS_SUCCESS;
        }

        var free = Fat.FreeClusters;
        var next = Fat.NextFreeHint;
        if (BinaryPrimitives.ReadUInt32LittleEndian(sector.AsSpan(488)) == free
            && BinaryPrimitives.ReadUInt32LittleEndian(sector.AsSpan(492)) == next)
        {
            return NTSTATUS.STATUS_SUCCESS;
        }

        BinaryPrimitives.WriteUInt32LittleEndian(sector.AsSpan(488), free);
        BinaryPrimitives.WriteUInt32LittleEndian(sector.AsSpan(492), next);
        return _device.WriteSectors(BootSector.FsInfoSector, sector);
    }
}
