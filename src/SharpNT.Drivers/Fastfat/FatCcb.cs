namespace SharpNT.Drivers.Fastfat;

/// <summary>
/// The context block of one open (FILE_OBJECT.FsContext2): which FCB it opened, what access it was
/// granted, and where a directory enumeration stands.
/// </summary>
internal sealed class FatCcb
{
    /// <summary>The pool block FsContext2 points at, the CCB's identity in kernel memory.</summary>
    public required ulong Address { get; init; }

    /// <summary>The file or directory; null for an open of the volume itself.</summary>
    public FatFcb? Fcb { get; init; }

    public bool IsVolumeOpen => Fcb is null;

    /// <summary>The access IRP_MJ_CREATE was asked for (IO_SECURITY_CONTEXT.DesiredAccess).</summary>
    public uint GrantedAccess { get; init; }

    /// <summary>FILE_DELETE_ON_CLOSE: the file goes at this open's cleanup.</summary>
    public bool DeleteOnClose { get; init; }

    /// <summary>The search expression of IRP_MN_QUERY_DIRECTORY, fixed by the first query (null before it).</summary>
    public FatNameExpression? QueryExpression { get; set; }

    /// <summary>The engine's enumeration cursor (a slot index in the directory).</summary>
    public int QueryCursor { get; set; }

    public bool CleanupDone { get; set; }

    /// <summary>The per-open cache map block (FILE_OBJECT.PrivateCacheMap) once caching is set up on this open; 0 before.</summary>
    public ulong PrivateCacheMap { get; set; }
}
