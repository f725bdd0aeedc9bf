using SharpNT.Kernel;

namespace SharpNT.Drivers.Fastfat;

internal sealed partial class FatVolume
{
    /// <summary>
    /// IRP_MN_QUERY_DIRECTORY's work: returns up to <paramref name="maxEntries"/> entries after
    /// <paramref name="cursor"/> (a slot index the IRP layer keeps in its CCB; 0 to start) whose long or short
    /// name matches <paramref name="expression"/>. "." and ".." are returned as the directory holds them.
    /// </summary>
    /// <returns>STATUS_SUCCESS with at least one entry; STATUS_NO_SUCH_FILE when a first query matches nothing;
    /// STATUS_NO_MORE_FILES when a later one finds no more; STATUS_INVALID_PARAMETER for a file.</returns>
    public NTSTATUS QueryDirectory(FatFcb directory, FatNameExpression expression, ref int cursor, int maxEntries,
        List<FatDirectoryEntryInfo> entries)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(expression);
        ArgumentNullException.ThrowIfNull(entries);
        var status = CheckMounted();
        if (!status.IsSuccess())
        {
            return status;
        }

        if (directory.IsDeleted)
        {
            return NTSTATUS.STATUS_FILE_DELETED;
        }

        if (!directory.IsDirectory || maxEntries <= 0 || cursor < 0)
        {
            return NTSTATUS.STATUS_INVALID_PARAMETER;
        }

        var initial = cursor == 0;
        var slot = cursor;
        var found = 0;
        while (found < maxEntries)
        {
            status = directory.Directory!.NextEntry(slot, out var entry, out var next);
            if (!status.IsSuccess())
            {
                return status;
            }

            if (entry is null)
            {
                break;
            }

            slot = next;
            if (entry.Dirent.IsVolumeLabel || !(expression.IsMatch(entry.Name) || expression.IsMatch(entry.ShortName)))
            {
                continue;
            }

            entries.Add(ToInfo(entry));
            found++;
        }

        cursor = slot;
        if (found == 0)
        {
            return initial ? NTSTATUS.STATUS_NO_SUCH_FILE : NTSTATUS.STATUS_NO_MORE_FILES;
        }

        return NTSTATUS.STATUS_SUCCESS;
    }

    /// <summary>Lists a whole directory by path (open, enumerate, close).</summary>
    public NTSTATUS QueryDirectory(string path, string? pattern, List<FatDirectoryEntryInfo> entries)
    {
        var status = Create(null, path, FatCreateDisposition.FILE_OPEN, FatCreateOptions.FILE_DIRECTORY_FILE, FatAttributes.None,
            out var directory, out _);
        if (!status.IsSuccess())
        {
            return status;
        }

        var expression = new FatNameExpression(pattern);
        var cursor = 0;
        do
        {
            status = QueryDirectory(directory!, expression, ref cursor, 256, entries);
        }
        while (status.IsSuccess());

        Close(directory!);
        return status is NTSTATUS.STATUS_NO_MORE_FILES or NTSTATUS.STATUS_NO_SUCH_FILE ? NTSTATUS.STATUS_SUCCESS : status;
    }

    /// <summary>FileBasicInformation: NT times and FILE_ATTRIBUTE_* bits from the directory entry.</summary>
    public FatBasicInformation QueryBasicInformation(FatFcb fcb)
    {
        ArgumentNullException.ThrowIfNull(fcb);
        if (fcb.IsRoot)
        {
            return new FatBasicInformation(0, 0, 0, 0, (uint)FatAttributes.Directory);
        }

        var dirent = fcb.Dirent;
        var write = FatTime.ToSystemTime(dirent.WriteDate, dirent.WriteTime, 0, _options.TimeZoneBias);
        return new FatBasicInformation(
            FatTime.ToSystemTime(dirent.CreateDate, dirent.CreateTime, dirent.CreateTimeTenth, _options.TimeZoneBias),
            FatTime.DateToSystemTime(dirent.LastAccessDate, _options.TimeZoneBias),
            write,
            write,
            ToFileAttributes(dirent.Attributes));
    }

    /// <summary>
    /// FileBasicInformation set: times that are 0 or -1 stay as they are, an attribute value of 0 leaves the
    /// attributes alone; FILE_ATTRIBUTE_DIRECTORY on a file is refused.
    /// </summary>
    public NTSTATUS SetBasicInformation(FatFcb fcb, FatBasicInformation information)
    {
        ArgumentNullException.ThrowIfNull(fcb);
        var status = CheckMounted();
        if (!status.IsSuccess())
        {
            return status;
        }

        if (fcb.IsDeleted)
        {
            return NTSTATUS.STATUS_FILE_DELETED;
        }

        if (fcb.IsRoot)
        {
            return NTSTATUS.STATUS_INVALID_PARAMETER;
        }

        if ((information.FileAttributes & (uint)FatAttributes.Directory) != 0 && !fcb.IsDirectory)
        {
            return NTSTATUS.STATUS_INVALID_PARAMETER;
        }

        status = BeginModify();
        if (!status.IsSuccess())
        {
            return status;
        }

        var dirent = fcb.Dirent;
        if (information.CreationTime is not (0 or -1))
        {
            FatTime.FromSystemTime(information.CreationTime, _options.TimeZoneBias, out dirent.CreateDate, out dirent.CreateTime, out dirent.CreateTimeTenth);
        }

        if (information.LastWriteTime is not (0 or -1))
        {
            FatTime.FromSystemTime(information.LastWriteTime, _options.TimeZoneBias, out dirent.WriteDate, out dirent.WriteTime, out _);
        }

        if (information.LastAccessTime is not (0 or -1))
        {
            FatTime.FromSystemTime(information.LastAccessTime, _options.TimeZoneBias, out dirent.LastAccessDate, out _, out _);
        }

        if (information.FileAttributes != 0)
        {
            var settable = FatAttributes.ReadOnly | FatAttributes.Hidden | FatAttributes.System | FatAttributes.Archive;
            var requested = (FatAttributes)(byte)(information.FileAttributes & (uint)settable);
            dirent.Attributes = (dirent.Attributes & ~settable) | requested;
        }

        fcb.Dirent = dirent;
        return EndModify(UpdateDirent(fcb));
    }

    /// <summary>FileFsVolumeInformation/FileFsSizeInformation: label (the root's volume-label entry, else the boot sector's), serial, sizes.</summary>
    public NTSTATUS QueryVolumeInformation(out FatVolumeInformation? information)
    {
        information = null;
        var status = CheckMounted();
        if (!status.IsSuccess())
        {
            return status;
        }

        var label = BootSector.Label ?? string.Empty;
        var root = RootDcb.Directory!;
        for (var slot = 0; ;)
        {
            status = root.NextEntry(slot, out var entry, out slot);
            if (!status.IsSuccess())
            {
                return status;
            }

            if (entry is null)
            {
                break;
            }

            if (entry.Dirent.IsVolumeLabel)
            {
                label = entry.Dirent.RawName.TrimEnd(' ');
                break;
            }
        }

        information = new FatVolumeInformation(label, BootSector.SerialNumber, BootSector.Type, BootSector.BytesPerSector,
            BootSector.SectorsPerCluster, Fat.ClusterCount, Fat.FreeClusters);
        return NTSTATUS.STATUS_SUCCESS;
    }

    private FatDirectoryEntryInfo ToInfo(FatDirectoryEntry entry)
    {
        var dirent = entry.Dirent;
        var write = FatTime.ToSystemTime(dirent.WriteDate, dirent.WriteTime, 0, _options.TimeZoneBias);
        var size = dirent.IsDirectory ? 0L : dirent.FileSize;
        var clusterBytes = BootSector.BytesPerCluster;
        return new FatDirectoryEntryInfo(
            (uint)(entry.ShortSlot * FatDirent.Size),
            FatTime.ToSystemTime(dirent.CreateDate, dirent.CreateTime, dirent.CreateTimeTenth, _options.TimeZoneBias),
            FatTime.DateToSystemTime(dirent.LastAccessDate, _options.TimeZoneBias),
            write,
            write,
            size,
            (size + clusterBytes - 1) / clusterBytes * clusterBytes,
            ToFileAttributes(dirent.Attributes),
            entry.Name,
            entry.ShortName);
    }
}
