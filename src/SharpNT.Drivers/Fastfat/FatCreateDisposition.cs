namespace SharpNT.Drivers.Fastfat;

/// <summary>IO_STACK_LOCATION Create.Options high byte: what to do when the file does or does not exist (ntifs.h values).</summary>
internal enum FatCreateDisposition
{
    FILE_SUPERSEDE = 0,
    FILE_OPEN = 1,
    FILE_CREATE = 2,
    FILE_OPEN_IF = 3,
    FILE_OVERWRITE = 4,
    FILE_OVERWRITE_IF = 5,
}
