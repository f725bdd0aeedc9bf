namespace SharpNT.Kernel.Kd;

/// <summary>
/// What !object shows of an object: its body and header addresses, type, counts, name and directory; a
/// directory's entries; a symbolic link's target.
/// </summary>
internal sealed record KdObject(
    ulong Address,
    ulong HeaderAddress,
    string TypeName,
    ulong TypeAddress,
    long HandleCount,
    long PointerCount,
    string? Path,
    string? Name,
    ulong DirectoryAddress,
    bool Permanent,
    string? LinkTarget,
    IReadOnlyList<KdDirectoryEntry>? Entries);
