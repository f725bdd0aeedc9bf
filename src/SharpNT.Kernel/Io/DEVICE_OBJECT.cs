using System.Diagnostics;
using SharpNT.Kernel.Io.Layout;

namespace SharpNT.Kernel.Io;

/// <summary>A view of a DEVICE_OBJECT in nonpaged pool, in the x64 layout.</summary>
[DebuggerDisplay("DEVICE_OBJECT {Address,h}")]
public readonly record struct DEVICE_OBJECT(ulong Address) : Ob.IKernelObjectView
{
    public static DEVICE_OBJECT NULL => default;

    public bool IsNull => Address == 0;

    public short Type => ViewMemory.Read<short>(Address + DeviceObjectLayout.Type);

    public ushort Size => ViewMemory.Read<ushort>(Address + DeviceObjectLayout.SizeField);

    public int ReferenceCount
    {
        get => ViewMemory.Read<int>(Address + DeviceObjectLayout.ReferenceCount);
        internal set => ViewMemory.Write(Address + DeviceObjectLayout.ReferenceCount, value);
    }

    public DRIVER_OBJECT DriverObject
    {
        get => new(ViewMemory.Read<ulong>(Address + DeviceObjectLayout.DriverObject));
        internal set => ViewMemory.Write(Address + DeviceObjectLayout.DriverObject, value.Address);
    }

    /// <summary>The next device object created by the same driver.</summary>
    public DEVICE_OBJECT NextDevice
    {
        get => new(ViewMemory.Read<ulong>(Address + DeviceObjectLayout.NextDevice));
        internal set => ViewMemory.Write(Address + DeviceObjectLayout.NextDevice, value.Address);
    }

    /// <summary>The device attached directly above this one in its stack, if any.</summary>
    public DEVICE_OBJECT AttachedDevice
    {
        get => new(ViewMemory.Read<ulong>(Address + DeviceObjectLayout.AttachedDevice));
        internal set => ViewMemory.Write(Address + DeviceObjectLayout.AttachedDevice, value.Address);
    }

    /// <summary>The IRP StartIo is processing (IoStartPacket / IoStartNextPacket).</summary>
    public IRP CurrentIrp
    {
        get => new(ViewMemory.Read<ulong>(Address + DeviceObjectLayout.CurrentIrp));
        set => ViewMemory.Write(Address + DeviceObjectLayout.CurrentIrp, value.Address);
    }

    /// <summary>DO_* flags: DO_BUFFERED_IO, DO_DIRECT_IO, DO_DEVICE_INITIALIZING, ...</summary>
    public uint Flags
    {
        get => ViewMemory.Read<uint>(Address + DeviceObjectLayout.Flags);
        set => ViewMemory.Write(Address + DeviceObjectLayout.Flags, value);
    }

    /// <summary>FILE_DEVICE_SECURE_OPEN and the other device characteristics.</summary>
    public uint Characteristics
    {
        get => ViewMemory.Read<uint>(Address + DeviceObjectLayout.Characteristics);
        set => ViewMemory.Write(Address + DeviceObjectLayout.Characteristics, value);
    }

    public ulong Vpb
    {
        get => ViewMemory.Read<ulong>(Address + DeviceObjectLayout.Vpb);
        set => ViewMemory.Write(Address + DeviceObjectLayout.Vpb, value);
    }

    /// <summary>PIO_TIMER Timer: the device's IO_TIMER once IoInitializeTimer has given it one, else NULL.</summary>
    public ulong Timer => ViewMemory.Read<ulong>(Address + DeviceObjectLayout.Timer);

    /// <summary>PVOID DeviceExtension: the driver's per-device storage, right after the object.</summary>
    public ulong DeviceExtension => ViewMemory.Read<ulong>(Address + DeviceObjectLayout.DeviceExtension);

    public uint DeviceType
    {
        get => ViewMemory.Read<uint>(Address + DeviceObjectLayout.DeviceType);
        internal set => ViewMemory.Write(Address + DeviceObjectLayout.DeviceType, value);
    }

    /// <summary>How many stack locations an IRP sent to this device needs (one per device at and below it).</summary>
    public sbyte StackSize
    {
        get => ViewMemory.Read<sbyte>(Address + DeviceObjectLayout.StackSize);
        set => ViewMemory.Write(Address + DeviceObjectLayout.StackSize, value);
    }

    public uint AlignmentRequirement
    {
        get => ViewMemory.Read<uint>(Address + DeviceObjectLayout.AlignmentRequirement);
        set => ViewMemory.Write(Address + DeviceObjectLayout.AlignmentRequirement, value);
    }

    public ushort SectorSize
    {
        get => ViewMemory.Read<ushort>(Address + DeviceObjectLayout.SectorSize);
        set => ViewMemory.Write(Address + DeviceObjectLayout.SectorSize, value);
    }

    /// <summary>The KDPC embedded in the device object (IoInitializeDpcRequest).</summary>
    public ulong Dpc => Address + DeviceObjectLayout.Dpc;

    public override string ToString() => $"DEVICE_OBJECT 0x{Address:x16}";
}
