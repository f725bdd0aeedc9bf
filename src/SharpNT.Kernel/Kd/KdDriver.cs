namespace SharpNT.Kernel.Kd;

/// <summary>
/// What !drvobj shows of a DRIVER_OBJECT: its fields, the device list (NextDevice chain) and its routines, the
/// fast I/O ones (the non-NULL entries of its FAST_IO_DISPATCH, by entry name) included.
/// </summary>
internal sealed record KdDriver(
    ulong Address,
    string Name,
    string ImageName,
    uint Flags,
    ulong DriverStart,
    uint DriverSize,
    ulong DriverExtension,
    IReadOnlyList<ulong> Devices,
    KdRoutine DriverInit,
    KdRoutine DriverStartIo,
    KdRoutine DriverUnload,
    KdRoutine AddDevice,
    IReadOnlyList<KdRoutine> MajorFunction,
    IReadOnlyList<KdFastIoRoutine> FastIo);
