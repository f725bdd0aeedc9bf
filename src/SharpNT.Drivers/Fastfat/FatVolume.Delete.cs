using SharpNT.Kernel;

namespace SharpNT.Drivers.Fastfat;

internal sealed partial class FatVolume
{
    /// <summary>
    /// Deletes a file or an empty directory now (the IRP layer calls this at the last cleanup of a file
    /// marked delete-pending). The directory entries are marked deleted first, the chain is freed after them.
    /// </summary>
    /// <returns>STATUS_SUCCESS; STATUS_CANNOT_DELETE for the root or a read-only file (as FatSetDispositionInfo
    /// refuses); STATUS_DIRECTORY_NOT_EMPTY; STATUS_FILE_DELETED when already gone.</returns>
    public NTSTATUS Delete(FatFcb fcb)
    {
        ArgumentNullException.ThrowIfNull(fcb);
        var status = CheckDeletable(fcb);
        if (!status.IsSuccess())
        {
            return status;
        }

        status = BeginModify();
        if (!status.IsSuccess())
        {
            return status;
        }

        status = RemoveWithChain(fcb.Parent!.Directory!, fcb.ToEntry());
        if (!status.IsSuccess())
        {
            return EndModify(status);
        }

        fcb.IsDeleted = true;
        fcb.Map = null;
        RemoveFromTable(fcb);
        return EndModify(NTSTATUS.STATUS_SUCCESS);
    }

    /// <summary>
    /// FileDispositionInformation (FatSetDispositionInfo's checks): marks the file to be deleted at its last
    /// cleanup, or clears the mark. Nothing changes on disk until <see cref="Delete(FatFcb)"/>.
    /// </summary>
    /// <returns>STATUS_SUCCESS; STATUS_CANNOT_DELETE for the root or a read-only file; STATUS_DIRECTORY_NOT_EMPTY.</returns>
    public NTSTATUS SetDispositionInformation(FatFcb fcb, bool deleteFile)
    {
        ArgumentNullException.ThrowIfNull(fcb);
        if (!deleteFile)
        {
            var mounted = CheckMounted();
            if (mounted.IsSuccess())
            {
                fcb.DeletePending = false;
            }

            return mounted;
        }

        var status = CheckDeletable(fcb);
        if (status.IsSuccess())
        {
            fcb.DeletePending = true;
        }

        return status;
    }

    /// <summary>Deletes by path (open, delete, close).</summary>
    public NTSTATUS Delete(string path)
    {
        var status = Open(path, out var fcb);
        if (!status.IsSuccess())
        {
            return status;
        }

        status = Delete(fcb!);
        Close(fcb!);
        return status;
    }

    /// <summary>
    /// FileRenameInformation: gives <paramref name="fcb"/> the name <paramref name="newName"/> in
    /// <paramref name="targetDirectory"/> (the same directory or another), replacing an existing file when
    /// <paramref name="replaceIfExists"/>. A moved directory's ".." follows it. The old entries are marked
    /// deleted before the new ones are written, so an interruption loses at worst the name, never shares a chain.
    /// </summary>
    /// <returns>STATUS_SUCCESS; STATUS_OBJECT_NAME_COLLISION; STATUS_ACCESS_DENIED when the existing target is a
    /// directory, read-only or open; STATUS_OBJECT_NAME_INVALID; STATUS_INVALID_PARAMETER for the root or a
    /// directory moved under itself; STATUS_DISK_FULL.</returns>
    public NTSTATUS Rename(FatFcb fcb, FatFcb targetDirectory, string newName, bool replaceIfExists)
    {
        ArgumentNullException.ThrowIfNull(fcb);
        ArgumentNullException.ThrowIfNull(targetDirectory);
        var status = CheckMounted();
        if (!status.IsSuccess())
        {
            return status;
        }

        if (fcb.IsDeleted || targetDirectory.IsDeleted)
        {
            return NTSTATUS.STATUS_FILE_DELETED;
        }

        if (fcb.IsRoot || !targetDirectory.IsDirectory)
        {
            return NTSTATUS.STATUS_INVALID_PARAMETER;
        }

        status = FatNames.ValidateLongName(newName);
        if (!status.IsSuccess())
        {
            return status;
        }

        for (var ancestor = targetDirectory; ancestor is not null; ancestor = ancestor.Parent)
        {
            if (ancestor == fcb)
            {
                return NTSTATUS.STATUS_INVALID_PARAMETER;
            }
        }

        var source = fcb.Parent!.Directory!;
        var target = targetDirectory.Directory!;
        status = target.Lookup(newName, out var existing);
        if (!status.IsSuccess() && status != NTSTATUS.STATUS_OBJECT_NAME_NOT_FOUND)
        {
            return status;
        }

        var isSelf = existing is not null && target == source && existing.ShortSlot == fcb.DirentShortSlot;
        if (isSelf && string.Equals(existing!.Name, newName, StringComparison.Ordinal))
        {
            return NTSTATUS.STATUS_SUCCESS;
        }

        if (existing is not null && !isSelf)
        {
            status = CheckReplaceable(target, existing, replaceIfExists);
            if (!status.IsSuccess())
            {
                return status;
            }
        }

        status = BeginModify();
        if (!status.IsSuccess())
        {
            return status;
        }

        if (existing is not null && !isSelf)
        {
            status = RemoveWithChain(target, existing);
            if (!status.IsSuccess())
            {
                return EndModify(status);
            }
        }

        return EndModify(MoveEntry(fcb, targetDirectory, newName));
    }

    /// <summary>Renames by paths: <paramref name="newPath"/> is "\dir\name"; its directory must exist.</summary>
    public NTSTATUS Rename(FatFcb fcb, string newPath, bool replaceIfExists)
    {
        ArgumentNullException.ThrowIfNull(fcb);
        ArgumentNullException.ThrowIfNull(newPath);
        var split = newPath.LastIndexOf('\\');
        if (split < 0 || split == newPath.Length - 1)
        {
            return NTSTATUS.STATUS_OBJECT_NAME_INVALID;
        }

        var parentPath = split == 0 ? "\\" : newPath[..split];
        var status = Create(null, parentPath, FatCreateDisposition.FILE_OPEN, FatCreateOptions.FILE_DIRECTORY_FILE, FatAttributes.None,
            out var parent, out _);
        if (status == NTSTATUS.STATUS_OBJECT_NAME_NOT_FOUND || status == NTSTATUS.STATUS_NOT_A_DIRECTORY)
        {
            return NTSTATUS.STATUS_OBJECT_PATH_NOT_FOUND;
        }

        if (!status.IsSuccess())
        {
            return status;
        }

        status = Rename(fcb, parent!, newPath[(split + 1)..], replaceIfExists);
        Close(parent!);
        return status;
    }

    private NTSTATUS CheckDeletable(FatFcb fcb)
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

        if (IsReadOnly)
        {
            return NTSTATUS.STATUS_MEDIA_WRITE_PROTECTED;
        }

        if (fcb.IsRoot || (fcb.Attributes & FatAttributes.ReadOnly) != 0)
        {
            return NTSTATUS.STATUS_CANNOT_DELETE;
        }

        if (fcb.IsDirectory)
        {
            status = fcb.Directory!.IsEmpty(out var empty);
            if (!status.IsSuccess())
            {
                return status;
            }

            if (!empty)
            {
                return NTSTATUS.STATUS_DIRECTORY_NOT_EMPTY;
            }
        }

        return NTSTATUS.STATUS_SUCCESS;
    }

    private NTSTATUS CheckReplaceable(FatDirectory directory, FatDirectoryEntry existing, bool replaceIfExists)
    {
        if (!replaceIfExists)
        {
            return NTSTATUS.STATUS_OBJECT_NAME_COLLISION;
        }

        // NT's FAT never replaces a directory or a read-only file, nor a file someone has open.
        if (existing.Dirent.IsDirectory || (existing.Dirent.Attributes & FatAttributes.ReadOnly) != 0)
        {
            return NTSTATUS.STATUS_ACCESS_DENIED;
        }

        if (_fcbs.TryGetValue((directory.FirstCluster, existing.ShortSlot), out var open) && open.OpenCount > 0)
        {
            return NTSTATUS.STATUS_ACCESS_DENIED;
        }

        return NTSTATUS.STATUS_SUCCESS;
    }

    /// <summary>Marks an entry set deleted, then frees its chain (deferred until the directory is on disk).</summary>
    private NTSTATUS RemoveWithChain(FatDirectory directory, FatDirectoryEntry entry)
    {
        var status = directory.RemoveEntry(entry);
        if (!status.IsSuccess())
        {
            return status;
        }

        var cluster = entry.Dirent.FirstCluster;
        if (entry.Dirent.IsDirectory)
        {
            _directories.Remove(cluster);
        }

        if (Fat.IsAllocated(cluster))
        {
            Fat.FreeChain(cluster);
        }

        if (_fcbs.TryGetValue((directory.FirstCluster, entry.ShortSlot), out var stale))
        {
            stale.IsDeleted = true;
            stale.Map = null;
            RemoveFromTable(stale);
        }

        return NTSTATUS.STATUS_SUCCESS;
    }

    private NTSTATUS MoveEntry(FatFcb fcb, FatFcb targetDirectory, string newName)
    {
        var oldParent = fcb.Parent!;
        var source = oldParent.Directory!;
        var target = targetDirectory.Directory!;
        var oldEntry = fcb.ToEntry();
        var saved = new byte[(oldEntry.ShortSlot - oldEntry.FirstSlot + 1) * FatDirent.Size];
        var status = source.ReadSlots(oldEntry.FirstSlot, saved);
        if (!status.IsSuccess())
        {
            return status;
        }

        status = source.RemoveEntry(oldEntry);
        if (!status.IsSuccess())
        {
            return status;
        }

        status = MakeNames(target, newName, out var names, out var longName);
        FatDirectoryEntry? newEntry = null;
        if (status.IsSuccess())
        {
            var dirent = fcb.Dirent;
            dirent.RawName = names.RawName;
            dirent.NtFlags = names.NtFlags;
            status = target.AddEntry(longName, dirent, out newEntry);
        }

        if (!status.IsSuccess())
        {
            source.RestoreEntry(oldEntry, saved);
            return status;
        }

        if (fcb.IsDirectory && oldParent != targetDirectory)
        {
            status = fcb.Directory!.SetDotDotCluster(targetDirectory.IsRoot ? 0 : targetDirectory.FirstCluster);
        }

        RemoveFromTable(fcb);
        fcb.SetEntry(newEntry!);
        if (oldParent != targetDirectory)
        {
            AddReference(targetDirectory);
            fcb.Parent = targetDirectory;
            Release(oldParent);
        }

        _fcbs[(target.FirstCluster, fcb.DirentShortSlot)] = fcb;
        fcb.InTable = true;
        return status;
    }
}
