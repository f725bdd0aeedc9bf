namespace SharpNT.Kernel.Kd;

/// <summary>
/// What !devobj and !devstack show of a DEVICE_OBJECT: the fields of its bytes, its name, its driver, and the
/// device it is attached to (which NT keeps in the private part of DEVOBJ_EXTENSION).
/// </summary>
internal sealed record KdDevice(
    ulong Address,
    string? Name,
    short Type,
    ushort Size,
    int ReferenceCount,
    ulong DriverObject,
    string DriverName,
    ulong NextDevice,
    ulong AttachedDevice,
    ulong AttachedTo,
    ulong CurrentIrp,
    uint Flags,
    uint Characteristics,
    ulong Vpb,
    ulong DeviceExtension,
    uint DeviceType,
    sbyte StackSize,
    uint AlignmentRequirement,
    ushort SectorSize,
    ulong DevObjExtension,
    bool DeletePending,
    bool DeviceQueueBusy,
    int DeviceQueueLength);
