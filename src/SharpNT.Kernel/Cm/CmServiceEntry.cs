namespace SharpNT.Kernel.Cm;

/// <summary>
/// What HKLM\SYSTEM\CurrentControlSet\Services\<see cref="Name"/> says about a driver: how and when to load
/// it (Start, Type, ErrorControl), its image (ImagePath), and its load order group (Group, Tag).
/// </summary>
internal sealed record CmServiceEntry
{
    /// <summary>The service key's name: the driver's name (\Driver\Name).</summary>
    public required string Name { get; init; }

    public required SERVICE_LOAD_TYPE Start { get; init; }

    public required SERVICE_NODE_TYPE Type { get; init; }

    /// <summary>ErrorControl; SERVICE_ERROR_NORMAL when the key has none.</summary>
    public SERVICE_ERROR_TYPE ErrorControl { get; init; } = SERVICE_ERROR_TYPE.SERVICE_ERROR_NORMAL;

    /// <summary>ImagePath as stored (REG_EXPAND_SZ or REG_SZ), or null when the key has none.</summary>
    public string? ImagePath { get; init; }

    /// <summary>Group: the load order group of ServiceGroupOrder the driver belongs to.</summary>
    public string? Group { get; init; }

    /// <summary>Tag: the driver's place inside its group.</summary>
    public uint? Tag { get; init; }

    /// <summary>
    /// The image the I/O manager loads: ImagePath, or by default \SystemRoot\System32\drivers\Name.sys (what
    /// NT uses for a driver service without an ImagePath).
    /// </summary>
    public string DriverImagePath => ImagePath ?? $@"\SystemRoot\System32\drivers\{Name}.sys";
}
