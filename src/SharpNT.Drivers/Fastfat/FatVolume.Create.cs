using SharpNT.Kernel;

namespace SharpNT.Drivers.Fastfat;

internal sealed partial class FatVolume
{
    /// <summary>
    /// IRP_MJ_CREATE's work: opens or creates <paramref name="path"/> ("\dir\name", or relative to
    /// <paramref name="relatedDirectory"/>), applying the disposition as NT's FAT does. A trailing backslash
    /// means the target must be a directory.
    /// </summary>
    /// <returns>
    /// STATUS_SUCCESS with the FCB opened once (match with <see cref="Close"/>); STATUS_OBJECT_NAME_INVALID,
    /// STATUS_OBJECT_PATH_NOT_FOUND, STATUS_OBJECT_NAME_NOT_FOUND, STATUS_OBJECT_NAME_COLLISION,
    /// STATUS_FILE_IS_A_DIRECTORY, STATUS_NOT_A_DIRECTORY, STATUS_ACCESS_DENIED, STATUS_DISK_FULL,
    /// STATUS_INVALID_PARAMETER, STATUS_MEDIA_WRITE_PROTECTED, STATUS_DELETE_PENDING.
    /// </returns>
    public NTSTATUS Create(FatFcb? relatedDirectory, string path, FatCreateDisposition disposition, FatCreateOptions options,
        FatAttributes attributes, out FatFcb? fcb, out FatCreateAction action)
    {
        fcb = null;
        action = FatCreateAction.FILE_OPENED;
        var status = CheckMounted();
        if (!status.IsSuccess())
        {
            return status;
        }

        if ((options & FatCreateOptions.FILE_DIRECTORY_FILE) != 0 && (options & FatCreateOptions.FILE_NON_DIRECTORY_FILE) != 0)
        {
            return NTSTATUS.STATUS_INVALID_PARAMETER;
        }

        status = ParsePath(relatedDirectory, path, out var start, out var components, out var trailingBackslash);
        if (!status.IsSuccess())
        {
            return status;
        }

        // A trailing backslash can only name a directory (NT answers STATUS_OBJECT_NAME_INVALID for a file).
        if (trailingBackslash && (options & FatCreateOptions.FILE_NON_DIRECTORY_FILE) != 0)
        {
            return NTSTATUS.STATUS_OBJECT_NAME_INVALID;
        }

        // Temporary references keep the directories of the walk alive until the target holds its own.
        var held = new List<FatFcb>();
        try
        {
            var directory = start!;
            Hold(directory, held);
            for (var i = 0; i < components.Count - 1; i++)
            {
                status = directory.Directory!.Lookup(components[i], out var entry);
                if (status == NTSTATUS.STATUS_OBJECT_NAME_NOT_FOUND || (status.IsSuccess() && !entry!.Dirent.IsDirectory))
                {
                    return NTSTATUS.STATUS_OBJECT_PATH_NOT_FOUND;
                }

                if (!status.IsSuccess())
                {
                    return status;
                }

                status = GetOrCreateFcb(directory, entry!, out var child);
                if (!status.IsSuccess())
                {
                    return status;
                }

                directory = child!;
                Hold(directory, held);
            }

            if (components.Count == 0)
            {
                return OpenExisting(directory, disposition, options, attributes, out fcb, out action);
            }

            status = directory.Directory!.Lookup(components[^1], out var target);
            if (status.IsSuccess())
            {
                if (trailingBackslash && !target!.Dirent.IsDirectory)
                {
                    return NTSTATUS.STATUS_OBJECT_NAME_INVALID;
                }

                status = GetOrCreateFcb(directory, target!, out var existing);
                if (!status.IsSuccess())
                {
                    return status;
                }

                // Held like the directories, so a refused open does not leave an unreferenced FCB behind.
                Hold(existing!, held);
                return OpenExisting(existing!, disposition, options, attributes, out fcb, out action);
            }

            if (status != NTSTATUS.STATUS_OBJECT_NAME_NOT_FOUND)
            {
                return status;
            }

            if (disposition is FatCreateDisposition.FILE_OPEN or FatCreateDisposition.FILE_OVERWRITE)
            {
                return NTSTATUS.STATUS_OBJECT_NAME_NOT_FOUND;
            }

            var isDirectory = (options & FatCreateOptions.FILE_DIRECTORY_FILE) != 0;
            if (trailingBackslash && !isDirectory)
            {
                return NTSTATUS.STATUS_OBJECT_NAME_INVALID;
            }

            if (isDirectory && disposition is not (FatCreateDisposition.FILE_CREATE or FatCreateDisposition.FILE_OPEN_IF))
            {
                return NTSTATUS.STATUS_INVALID_PARAMETER;
            }

            status = isDirectory
                ? CreateDirectoryEntry(directory, components[^1], attributes, out fcb)
                : CreateFileEntry(directory, components[^1], attributes, out fcb);
            if (status.IsSuccess())
            {
                fcb!.OpenCount++;
                AddReference(fcb);
                action = FatCreateAction.FILE_CREATED;
            }

            return EndModify(status);
        }
        finally
        {
            foreach (var fcbHeld in held)
            {
                Release(fcbHeld);
            }
        }
    }

    /// <summary>Opens an existing file or directory: FILE_OPEN semantics, no creation.</summary>
    public NTSTATUS Open(string path, out FatFcb? fcb) =>
        Create(null, path, FatCreateDisposition.FILE_OPEN, FatCreateOptions.None, FatAttributes.None, out fcb, out _);

    /// <summary>Creates a directory (FILE_CREATE with FILE_DIRECTORY_FILE) and returns it opened.</summary>
    public NTSTATUS CreateDirectory(string path, out FatFcb? fcb) =>
        Create(null, path, FatCreateDisposition.FILE_CREATE, FatCreateOptions.FILE_DIRECTORY_FILE, FatAttributes.None, out fcb, out _);

    /// <summary>Splits a path into validated components and the directory to start from.</summary>
    private NTSTATUS ParsePath(FatFcb? relatedDirectory, string path, out FatFcb? start, out List<string> components, out bool trailingBackslash)
    {
        components = [];
        trailingBackslash = false;
        start = relatedDirectory ?? RootDcb;
        if (relatedDirectory is not null)
        {
            if (!relatedDirectory.IsDirectory || relatedDirectory.IsDeleted)
            {
                return NTSTATUS.STATUS_INVALID_PARAMETER;
            }

            if (path.StartsWith('\\'))
            {
                return NTSTATUS.STATUS_OBJECT_NAME_INVALID;
            }
        }
        else
        {
            if (!path.StartsWith('\\'))
            {
                return NTSTATUS.STATUS_OBJECT_NAME_INVALID;
            }

            path = path[1..];
        }

        if (path.Length == 0)
        {
            return NTSTATUS.STATUS_SUCCESS;
        }

        if (path.EndsWith('\\'))
        {
            trailingBackslash = true;
            path = path[..^1];
        }

        foreach (var component in path.Split('\\'))
        {
            var status = FatNames.ValidateLongName(component);
            if (!status.IsSuccess())
            {
                return status;
            }

            components.Add(component);
        }

        return NTSTATUS.STATUS_SUCCESS;
    }

    private static void Hold(FatFcb fcb, List<FatFcb> held)
    {
        if (!fcb.IsRoot)
        {
            fcb.References++;
            held.Add(fcb);
        }
    }

    private NTSTATUS OpenExisting(FatFcb fcb, FatCreateDisposition disposition, FatCreateOptions options, FatAttributes attributes,
        out FatFcb? opened, out FatCreateAction action)
    {
        opened = null;
        action = FatCreateAction.FILE_OPENED;
        if (fcb.DeletePending)
        {
            return NTSTATUS.STATUS_DELETE_PENDING;
        }

        // FILE_CREATE collides with whatever exists, file or directory (CreateDirectory over a file is
        // ERROR_ALREADY_EXISTS, not a type mismatch).
        if (disposition == FatCreateDisposition.FILE_CREATE)
        {
            return fcb.IsRoot ? NTSTATUS.STATUS_ACCESS_DENIED : NTSTATUS.STATUS_OBJECT_NAME_COLLISION;
        }

        if (fcb.IsDirectory)
        {
            if ((options & FatCreateOptions.FILE_NON_DIRECTORY_FILE) != 0)
            {
                return NTSTATUS.STATUS_FILE_IS_A_DIRECTORY;
            }

            // A directory can only be opened; creating, overwriting or superseding it collides with it.
            if (disposition is not (FatCreateDisposition.FILE_OPEN or FatCreateDisposition.FILE_OPEN_IF))
            {
                return fcb.IsRoot ? NTSTATUS.STATUS_ACCESS_DENIED : NTSTATUS.STATUS_OBJECT_NAME_COLLISION;
            }
        }
        else
        {
            if ((options & FatCreateOptions.FILE_DIRECTORY_FILE) != 0)
            {
                return NTSTATUS.STATUS_NOT_A_DIRECTORY;
            }

            switch (disposition)
            {
                case FatCreateDisposition.FILE_OVERWRITE:
                case FatCreateDisposition.FILE_OVERWRITE_IF:
                case FatCreateDisposition.FILE_SUPERSEDE:
                    var status = EndModify(Overwrite(fcb, attributes));
                    if (!status.IsSuccess())
                    {
                        return status;
                    }

                    action = disposition == FatCreateDisposition.FILE_SUPERSEDE ? FatCreateAction.FILE_SUPERSEDED : FatCreateAction.FILE_OVERWRITTEN;
                    break;
            }
        }

        fcb.OpenCount++;
        AddReference(fcb);
        opened = fcb;
        return NTSTATUS.STATUS_SUCCESS;
    }

    /// <summary>
    /// Overwrite/supersede: the file is truncated to nothing and takes the new attributes (plus ARCHIVE). NT
    /// refuses a read-only file, and a hidden or system file unless the caller asks for those attributes too.
    /// </summary>
    private NTSTATUS Overwrite(FatFcb fcb, FatAttributes attributes)
    {
        var current = fcb.Dirent.Attributes;
        if ((current & FatAttributes.ReadOnly) != 0
            || ((current & FatAttributes.Hidden) != 0 && (attributes & FatAttributes.Hidden) == 0)
            || ((current & FatAttributes.System) != 0 && (attributes & FatAttributes.System) == 0))
        {
            return NTSTATUS.STATUS_ACCESS_DENIED;
        }

        var status = BeginModify();
        if (!status.IsSuccess())
        {
            return status;
        }

        status = TruncateTo(fcb, 0);
        if (!status.IsSuccess())
        {
            return status;
        }

        fcb.Dirent.Attributes = SettableAttributes(attributes) | FatAttributes.Archive;
        StampTimes(ref fcb.Dirent, creation: false, write: true, access: true);
        return UpdateDirent(fcb);
    }

    private static FatAttributes SettableAttributes(FatAttributes attributes) =>
        attributes & (FatAttributes.ReadOnly | FatAttributes.Hidden | FatAttributes.System | FatAttributes.Archive);

    /// <summary>
    /// The short entry for a new name: the name itself when it fits 8.3 in one case per part (no long-name
    /// entries, NT's lowercase flags), otherwise a generated NAME~N.EXT with the long name beside it.
    /// </summary>
    private static NTSTATUS MakeNames(FatDirectory directory, string name, out FatDirent dirent, out string? longName)
    {
        dirent = default;
        longName = null;
        if (FatNames.TryMakeShortName(name, out var raw, out var flags) && !directory.IsShortNameTaken(raw))
        {
            dirent.RawName = raw;
            dirent.NtFlags = flags;
            return NTSTATUS.STATUS_SUCCESS;
        }

        var generated = FatNames.GenerateShortName(name, directory.IsShortNameTaken);
        if (generated is null)
        {
            return NTSTATUS.STATUS_OBJECT_NAME_COLLISION;
        }

        dirent.RawName = generated;
        longName = name;
        return NTSTATUS.STATUS_SUCCESS;
    }

    private NTSTATUS CreateFileEntry(FatFcb parent, string name, FatAttributes attributes, out FatFcb? fcb)
    {
        fcb = null;
        var status = BeginModify();
        if (!status.IsSuccess())
        {
            return status;
        }

        var directory = parent.Directory!;
        status = MakeNames(directory, name, out var dirent, out var longName);
        if (!status.IsSuccess())
        {
            return status;
        }

        dirent.Attributes = SettableAttributes(attributes) | FatAttributes.Archive;
        StampTimes(ref dirent, creation: true, write: true, access: true);
        status = directory.AddEntry(longName, dirent, out var entry);
        if (!status.IsSuccess())
        {
            return status;
        }

        status = GetOrCreateFcb(parent, entry!, out fcb);
        if (status.IsSuccess())
        {
            fcb!.Map = new FatClusterMap();
        }

        return status;
    }

    /// <summary>
    /// mkdir: a zeroed cluster with "." and "..", then the entry in the parent, so an interruption leaves at
    /// worst a lost cluster.
    /// </summary>
    private NTSTATUS CreateDirectoryEntry(FatFcb parent, string name, FatAttributes attributes, out FatFcb? fcb)
    {
        fcb = null;
        var status = BeginModify();
        if (!status.IsSuccess())
        {
            return status;
        }

        var directory = parent.Directory!;
        status = MakeNames(directory, name, out var dirent, out var longName);
        if (!status.IsSuccess())
        {
            return status;
        }

        var runs = new List<FatRun>(1);
        status = AllocateClusters(1, 0, runs);
        if (!status.IsSuccess())
        {
            return status;
        }

        var cluster = runs[0].StartCluster;
        dirent.Attributes = (SettableAttributes(attributes) & ~FatAttributes.Archive) | FatAttributes.Directory;
        dirent.FirstCluster = cluster;
        StampTimes(ref dirent, creation: true, write: true, access: true);
        status = Cache.Zero(BootSector.ClusterToSector(cluster), BootSector.SectorsPerCluster, metadata: true);
        if (!status.IsSuccess())
        {
            Fat.FreeChain(cluster);
            return status;
        }

        _directories.Remove(cluster);
        status = GetDirectory(cluster, out var created);
        if (status.IsSuccess())
        {
            status = created!.WriteDotEntries(dirent, parent.IsRoot ? 0 : parent.FirstCluster);
        }

        if (status.IsSuccess())
        {
            status = directory.AddEntry(longName, dirent, out var entry);
            if (status.IsSuccess())
            {
                return GetOrCreateFcb(parent, entry!, out fcb);
            }
        }

        _directories.Remove(cluster);
        Fat.FreeChain(cluster);
        return status;
    }
}
