namespace SharpNT.Kernel.Kd;

/// <summary>One IO_STACK_LOCATION as !irp shows it, with the name of the driver owning its device.</summary>
internal sealed record KdIrpStackLocation(
    byte MajorFunction,
    byte MinorFunction,
    byte Flags,
    byte Control,
    ulong DeviceObject,
    string? DriverName,
    ulong FileObject,
    KdRoutine CompletionRoutine,
    ulong Context,
    ulong Argument1,
    ulong Argument2,
    ulong Argument3,
    ulong Argument4);
