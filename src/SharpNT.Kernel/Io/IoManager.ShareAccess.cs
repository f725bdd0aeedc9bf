using SharpNT.Kernel.Io.Layout;

namespace SharpNT.Kernel.Io;

// IoCheckShareAccess and its relatives: the sharing rule every file system applies at IRP_MJ_CREATE and
// IRP_MJ_CLEANUP. The file object records what this open asked for and allowed; SHARE_ACCESS counts them
// over every open of the file.
internal sealed partial class IoManager
{
    internal const uint FILE_SHARE_READ = 0x1;
    internal const uint FILE_SHARE_WRITE = 0x2;
    internal const uint FILE_SHARE_DELETE = 0x4;

    /// <summary>
    /// IoCheckShareAccess: STATUS_SHARING_VIOLATION when this open's access conflicts with what earlier opens
    /// share, or what it shares conflicts with their access; otherwise STATUS_SUCCESS, counted in
    /// <paramref name="shareAccess"/> when <paramref name="update"/>. Only read, write and delete access
    /// take part (FILE_READ_DATA/FILE_EXECUTE, FILE_WRITE_DATA/FILE_APPEND_DATA, DELETE).
    /// </summary>
    internal static NTSTATUS CheckShareAccess(uint desiredAccess, uint desiredShareAccess, FILE_OBJECT file, SHARE_ACCESS shareAccess, bool update)
    {
        var (read, write, delete) = Accesses(desiredAccess);
        SetFileAccess(file, read, write, delete);
        if (!read && !write && !delete)
        {
            return NTSTATUS.STATUS_SUCCESS;
        }

        var sharedRead = (desiredShareAccess & FILE_SHARE_READ) != 0;
        var sharedWrite = (desiredShareAccess & FILE_SHARE_WRITE) != 0;
        var sharedDelete = (desiredShareAccess & FILE_SHARE_DELETE) != 0;
        SetFileSharing(file, sharedRead, sharedWrite, sharedDelete);
        var openCount = shareAccess.OpenCount;
        if ((read && shareAccess.SharedRead < openCount)
            || (write && shareAccess.SharedWrite < openCount)
            || (delete && shareAccess.SharedDelete < openCount)
            || (shareAccess.Readers != 0 && !sharedRead)
            || (shareAccess.Writers != 0 && !sharedWrite)
            || (shareAccess.Deleters != 0 && !sharedDelete))
        {
            return NTSTATUS.STATUS_SHARING_VIOLATION;
        }

        if (update)
        {
            UpdateShareAccess(file, shareAccess);
        }

        return NTSTATUS.STATUS_SUCCESS;
    }

    /// <summary>IoSetShareAccess: the first open of a file: the counters become this open's access and sharing.</summary>
    internal static void SetShareAccess(uint desiredAccess, uint desiredShareAccess, FILE_OBJECT file, SHARE_ACCESS shareAccess)
    {
        var (read, write, delete) = Accesses(desiredAccess);
        SetFileAccess(file, read, write, delete);
        var sharedRead = (desiredShareAccess & FILE_SHARE_READ) != 0;
        var sharedWrite = (desiredShareAccess & FILE_SHARE_WRITE) != 0;
        var sharedDelete = (desiredShareAccess & FILE_SHARE_DELETE) != 0;
        SetFileSharing(file, sharedRead, sharedWrite, sharedDelete);
        var any = read || write || delete;
        shareAccess.OpenCount = any ? 1u : 0u;
        shareAccess.Readers = read ? 1u : 0u;
        shareAccess.Writers = write ? 1u : 0u;
        shareAccess.Deleters = delete ? 1u : 0u;
        shareAccess.SharedRead = any && sharedRead ? 1u : 0u;
        shareAccess.SharedWrite = any && sharedWrite ? 1u : 0u;
        shareAccess.SharedDelete = any && sharedDelete ? 1u : 0u;
    }

    /// <summary>IoUpdateShareAccess: counts an open whose file object IoCheckShareAccess already filled in.</summary>
    internal static void UpdateShareAccess(FILE_OBJECT file, SHARE_ACCESS shareAccess)
    {
        var mm = ViewMemory.Mm;
        var read = mm.Read<byte>(file.Address + FileObjectLayout.ReadAccess) != 0;
        var write = mm.Read<byte>(file.Address + FileObjectLayout.WriteAccess) != 0;
        var delete = mm.Read<byte>(file.Address + FileObjectLayout.DeleteAccess) != 0;
        if (!read && !write && !delete)
        {
            return;
        }

        shareAccess.OpenCount++;
        shareAccess.Readers += read ? 1u : 0u;
        shareAccess.Writers += write ? 1u : 0u;
        shareAccess.Deleters += delete ? 1u : 0u;
        shareAccess.SharedRead += mm.Read<byte>(file.Address + FileObjectLayout.SharedRead) != 0 ? 1u : 0u;
        shareAccess.SharedWrite += mm.Read<byte>(file.Address + FileObjectLayout.SharedWrite) != 0 ? 1u : 0u;
        shareAccess.SharedDelete += mm.Read<byte>(file.Address + FileObjectLayout.SharedDelete) != 0 ? 1u : 0u;
    }

    /// <summary>IoRemoveShareAccess: at IRP_MJ_CLEANUP, takes this open's access and sharing out of the counters.</summary>
    internal static void RemoveShareAccess(FILE_OBJECT file, SHARE_ACCESS shareAccess)
    {
        var mm = ViewMemory.Mm;
        var read = mm.Read<byte>(file.Address + FileObjectLayout.ReadAccess) != 0;
        var write = mm.Read<byte>(file.Address + FileObjectLayout.WriteAccess) != 0;
        var delete = mm.Read<byte>(file.Address + FileObjectLayout.DeleteAccess) != 0;
        if ((!read && !write && !delete) || shareAccess.OpenCount == 0)
        {
            return;
        }

        shareAccess.OpenCount--;
        shareAccess.Readers -= read ? 1u : 0u;
        shareAccess.Writers -= write ? 1u : 0u;
        shareAccess.Deleters -= delete ? 1u : 0u;
        shareAccess.SharedRead -= mm.Read<byte>(file.Address + FileObjectLayout.SharedRead) != 0 ? 1u : 0u;
        shareAccess.SharedWrite -= mm.Read<byte>(file.Address + FileObjectLayout.SharedWrite) != 0 ? 1u : 0u;
        shareAccess.SharedDelete -= mm.Read<byte>(file.Address + FileObjectLayout.SharedDelete) != 0 ? 1u : 0u;
    }

    private static (bool Read, bool Write, bool Delete) Accesses(uint desiredAccess) => (
        (desiredAccess & (AccessMask.FILE_READ_DATA | AccessMask.FILE_EXECUTE)) != 0,
        (desiredAccess & (AccessMask.FILE_WRITE_DATA | AccessMask.FILE_APPEND_DATA)) != 0,
        (desiredAccess & AccessMask.DELETE) != 0);

    private static void SetFileAccess(FILE_OBJECT file, bool read, bool write, bool delete)
    {
        var mm = ViewMemory.Mm;
        mm.Write(file.Address + FileObjectLayout.ReadAccess, (byte)(read ? 1 : 0));
        mm.Write(file.Address + FileObjectLayout.WriteAccess, (byte)(write ? 1 : 0));
        mm.Write(file.Address + FileObjectLayout.DeleteAccess, (byte)(delete ? 1 : 0));
    }

    private static void SetFileSharing(FILE_OBJECT file, bool read, bool write, bool delete)
    {
        var mm = ViewMemory.Mm;
        mm.Write(file.Address + FileObjectLayout.SharedRead, (byte)(read ? 1 : 0));
        mm.Write(file.Address + FileObjectLayout.SharedWrite, (byte)(write ? 1 : 0));
        mm.Write(file.Address + FileObjectLayout.SharedDelete, (byte)(delete ? 1 : 0));
    }
}
