namespace SharpNT.Drivers.Fastfat;

/// <summary>What a create did, returned in IoStatus.Information (wdm.h values).</summary>
internal enum FatCreateAction
{
    FILE_SUPERSEDED = 0,
    FILE_OPENED = 1,
    FILE_CREATED = 2,
    FILE_OVERWRITTEN = 3,
}
