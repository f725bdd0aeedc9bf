namespace SharpNT.Kernel.Kd;

/// <summary>What !irp shows of an IRP: its header fields and every stack location (array order, location 1 first).</summary>
internal sealed record KdIrp(
    ulong Address,
    short Type,
    ushort Size,
    sbyte StackCount,
    sbyte CurrentLocation,
    uint Flags,
    ulong MdlAddress,
    ulong SystemBuffer,
    ulong Thread,
    ulong UserBuffer,
    ulong UserIosb,
    ulong UserEvent,
    int Status,
    ulong Information,
    byte RequestorMode,
    bool PendingReturned,
    bool Cancel,
    KdRoutine CancelRoutine,
    IReadOnlyList<KdIrpStackLocation> Locations)
{
    /// <summary>The stack location the current driver sees (1-based CurrentLocation), or null once past the top or bottom.</summary>
    public KdIrpStackLocation? Current =>
        CurrentLocation >= 1 && CurrentLocation <= Locations.Count ? Locations[CurrentLocation - 1] : null;
}
