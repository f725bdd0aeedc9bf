namespace SharpNT.Drivers.Fastfat;

/// <summary>
/// The SHARE_ACCESS counters of an FCB. The IRP layer applies IoCheckShareAccess/IoUpdateShareAccess/
/// IoRemoveShareAccess to them at IRP_MJ_CREATE and IRP_MJ_CLEANUP; the engine only keeps them with the file.
/// </summary>
internal sealed class FatShareAccess
{
    public int OpenCount { get; set; }

    public int Readers { get; set; }

    public int Writers { get; set; }

    public int Deleters { get; set; }

    public int SharedRead { get; set; }

    public int SharedWrite { get; set; }

    public int SharedDelete { get; set; }
}
