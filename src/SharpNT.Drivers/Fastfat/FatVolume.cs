using System.Diagnostics;
using SharpNT.Kernel;

namespace SharpNT.Drivers.Fastfat;

/// <summary>
/// A mounted FAT volume (fastfat's VCB) and the on-disk engine the IRP dispatch routines call: mount,
/// create/open, read, write, set end of file, delete, rename, directory enumeration, information, flush and
/// dismount. Every operation returns the NTSTATUS NT's FAT returns; no input makes it throw.
/// </summary>
/// <remarks>
/// Not thread-safe: the IRP layer serialises callers on the volume, as fastfat does with the VCB resource.
/// </remarks>
[DebuggerDisplay("FatVolume {BootSector.Type}, {Fat.FreeClusters} free clusters")]
internal sealed partial class FatVolume
{
    private readonly IFatBlockDevice _device;
    private readonly FatMountOptions _options;
    private readonly Dictionary<(uint Directory, int Slot), FatFcb> _fcbs = [];
    private readonly Dictionary<uint, FatDirectory> _directories = [];
    private bool _modified;
    private bool _dismounted;

    private FatVolume(IFatBlockDevice device, FatMountOptions options, FatBootSector bootSector, FatTable fat)
    {
        _device = device;
        _options = options;
        BootSector = bootSector;
        Fat = fat;
        IsReadOnly = options.ReadOnly || device.IsReadOnly;
        Cache = new FatBlockCache(device, options.CacheBytes, options.ReadAheadBytes);
        WasDirtyAtMount = bootSector.BootSectorDirty || !fat.CleanShutdownBit;
        RootDcb = null!;
    }

    public FatBootSector BootSector { get; }

    internal FatTable Fat { get; }

    internal FatBlockCache Cache { get; }

    /// <summary>The root directory's FCB (always open while mounted).</summary>
    public FatFcb RootDcb { get; private set; }

    public bool IsFat32 => BootSector.Type == FatType.Fat32;

    public bool IsReadOnly { get; }

    /// <summary>The volume was not dismounted cleanly last time (boot-sector dirty bit or FAT[1] clean bit clear).</summary>
    public bool WasDirtyAtMount { get; }

    public bool IsDismounted => _dismounted;

    /// <summary>First cluster of the root directory: BPB_RootClus on FAT32, 0 for the fixed root of FAT12/16.</summary>
    public uint RootFirstCluster => IsFat32 ? BootSector.RootCluster : 0;

    /// <summary>Number of FCBs currently known (open files and the directories above them).</summary>
    public int FcbCount => _fcbs.Count;

    /// <summary>
    /// Mounts the volume on <paramref name="device"/> (IRP_MN_MOUNT_VOLUME's work). Reads only: a refused
    /// volume is never written.
    /// </summary>
    /// <returns>
    /// STATUS_SUCCESS; STATUS_UNRECOGNIZED_VOLUME when sector 0 is not a FAT boot sector; STATUS_FILE_CORRUPT_ERROR
    /// when it is, but the volume it describes is inconsistent (truncated image, FAT too small, chains out of
    /// range, cross-linked or cyclic, root directory not allocated); the device's error when a read fails.
    /// </returns>
    public static NTSTATUS Mount(IFatBlockDevice device, FatMountOptions options, out FatVolume? volume)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(options);
        volume = null;
        if (device.SectorSize is not (512 or 1024 or 2048 or 4096) || device.SectorCount < 1)
        {
            return NTSTATUS.STATUS_UNRECOGNIZED_VOLUME;
        }

        var sector0 = new byte[device.SectorSize];
        var status = device.ReadSectors(0, sector0);
        if (!status.IsSuccess())
        {
            return status;
        }

        status = FatBootSector.Parse(sector0, device.SectorSize, device.SectorCount, out var bootSector);
        if (!status.IsSuccess())
        {
            return status;
        }

        status = FatTable.Load(device, bootSector!, out var fat);
        if (!status.IsSuccess())
        {
            return status;
        }

        var candidate = new FatVolume(device, options, bootSector!, fat!);
        FatDirectory? root;
        if (candidate.IsFat32)
        {
            status = FatDirectory.Open(candidate, bootSector!.RootCluster, isRoot: true, out root);
            if (!status.IsSuccess())
            {
                return NTSTATUS.STATUS_FILE_CORRUPT_ERROR;
            }
        }
        else
        {
            root = FatDirectory.CreateFixedRoot(candidate);
        }

        candidate._directories[root!.FirstCluster] = root;
        candidate.RootDcb = new FatFcb(candidate, null, null, root);
        volume = candidate;
        return NTSTATUS.STATUS_SUCCESS;
    }

    /// <summary>Ends one open of <paramref name="fcb"/> (IRP_MJ_CLOSE); the FCB goes when nothing references it.</summary>
    public void Close(FatFcb fcb)
    {
        ArgumentNullException.ThrowIfNull(fcb);
        if (fcb.OpenCount <= 0)
        {
            Debug.Fail("Close without a matching open.");
            return;
        }

        fcb.OpenCount--;
        Release(fcb);
    }

    /// <summary>Allocates clusters; when only frees still waiting for a flush stand in the way, flushes and retries.</summary>
    internal NTSTATUS AllocateClusters(uint count, uint hint, List<FatRun> runs)
    {
        var status = Fat.Allocate(count, hint, runs);
        if (status == NTSTATUS.STATUS_DISK_FULL && Fat.HasDeferredFrees && count <= Fat.FreeClusters)
        {
            // The flush ends the epoch; the operation in progress starts the next one.
            status = Flush();
            if (status.IsSuccess())
            {
                status = BeginModify();
            }

            if (status.IsSuccess())
            {
                status = Fat.Allocate(count, hint, runs);
            }
        }

        return status;
    }

    private NTSTATUS CheckMounted() => _dismounted ? NTSTATUS.STATUS_VOLUME_DISMOUNTED : NTSTATUS.STATUS_SUCCESS;

    /// <summary>
    /// Called before the first change of an epoch: clears the FAT[1] clean-shutdown bit on disk so that an
    /// interruption before the next flush is visible at the next mount.
    /// </summary>
    private NTSTATUS BeginModify()
    {
        if (_dismounted)
        {
            return NTSTATUS.STATUS_VOLUME_DISMOUNTED;
        }

        if (IsReadOnly)
        {
            return NTSTATUS.STATUS_MEDIA_WRITE_PROTECTED;
        }

        if (_modified)
        {
            return NTSTATUS.STATUS_SUCCESS;
        }

        var status = Fat.WriteCleanShutdownBit(_device, clean: false);
        if (status.IsSuccess())
        {
            _modified = true;
        }

        return status;
    }

    /// <summary>Ends a modifying operation: flushes when the dirty blocks pass the threshold.</summary>
    private NTSTATUS EndModify(NTSTATUS status)
    {
        if (Cache.DirtyBytes > _options.DirtyFlushThreshold)
        {
            var flush = Flush();
            if (status.IsSuccess())
            {
                status = flush;
            }
        }

        return status;
    }

    private NTSTATUS GetDirectory(uint firstCluster, out FatDirectory? directory)
    {
        if (_directories.TryGetValue(firstCluster, out directory))
        {
            return NTSTATUS.STATUS_SUCCESS;
        }

        var status = FatDirectory.Open(this, firstCluster, isRoot: false, out directory);
        if (status.IsSuccess())
        {
            _directories[firstCluster] = directory!;
        }

        return status;
    }

    /// <summary>The FCB for an entry of <paramref name="parent"/>, shared with earlier opens of the same entry.</summary>
    private NTSTATUS GetOrCreateFcb(FatFcb parent, FatDirectoryEntry entry, out FatFcb? fcb)
    {
        var key = (parent.Directory!.FirstCluster, entry.ShortSlot);
        if (_fcbs.TryGetValue(key, out fcb))
        {
            return NTSTATUS.STATUS_SUCCESS;
        }

        FatDirectory? directory = null;
        if (entry.Dirent.IsDirectory)
        {
            // A directory entry must name its own chain; cluster 0 or the root's would make a loop.
            var cluster = entry.Dirent.FirstCluster;
            if (cluster == 0 || cluster == RootFirstCluster)
            {
                return NTSTATUS.STATUS_FILE_CORRUPT_ERROR;
            }

            var status = GetDirectory(cluster, out directory);
            if (!status.IsSuccess())
            {
                return status;
            }
        }

        fcb = new FatFcb(this, parent, entry, directory) { InTable = true };
        AddReference(parent);
        _fcbs[key] = fcb;
        return NTSTATUS.STATUS_SUCCESS;
    }

    /// <summary>One more reference on an FCB; the root is permanent and not counted.</summary>
    private static void AddReference(FatFcb fcb)
    {
        if (!fcb.IsRoot)
        {
            fcb.References++;
        }
    }

    private void Release(FatFcb fcb)
    {
        for (var current = fcb; current is not null && !current.IsRoot;)
        {
            current.References--;
            if (current.References > 0)
            {
                return;
            }

            RemoveFromTable(current);
            current = current.Parent;
        }
    }

    private void RemoveFromTable(FatFcb fcb)
    {
        if (fcb.InTable)
        {
            _fcbs.Remove((fcb.Parent!.Directory!.FirstCluster, fcb.DirentShortSlot));
            fcb.InTable = false;
        }
    }

    private void StampTimes(ref FatDirent dirent, bool creation, bool write, bool access)
    {
        FatTime.FromSystemTime(_options.SystemTime(), _options.TimeZoneBias, out var date, out var time, out var tenths);
        if (creation)
        {
            dirent.CreateDate = date;
            dirent.CreateTime = time;
            dirent.CreateTimeTenth = tenths;
        }

        if (write)
        {
            dirent.WriteDate = date;
            dirent.WriteTime = time;
        }

        if (access)
        {
            dirent.LastAccessDate = date;
        }
    }

    /// <summary>Writes the FCB's short entry back into its parent directory.</summary>
    private NTSTATUS UpdateDirent(FatFcb fcb) =>
        fcb.IsRoot ? NTSTATUS.STATUS_SUCCESS : fcb.Parent!.Directory!.WriteDirent(fcb.DirentShortSlot, fcb.Dirent);

    private NTSTATUS EnsureMap(FatFcb fcb, out FatClusterMap map)
    {
        if (fcb.Map is not null)
        {
            map = fcb.Map;
            return NTSTATUS.STATUS_SUCCESS;
        }

        var status = FatClusterMap.Build(Fat, fcb.FirstCluster, out map);
        if (status.IsSuccess())
        {
            fcb.Map = map;
        }

        return status;
    }

    /// <summary>FILE_ATTRIBUTE_* bits for a directory entry: FAT's bits, or FILE_ATTRIBUTE_NORMAL when none is set.</summary>
    private static uint ToFileAttributes(FatAttributes attributes)
    {
        var bits = (uint)(attributes & (FatAttributes.ReadOnly | FatAttributes.Hidden | FatAttributes.System
            | FatAttributes.Directory | FatAttributes.Archive));
        return bits == 0 ? FileAttributeNormal : bits;
    }

    private const uint FileAttributeNormal = 0x80;
}
