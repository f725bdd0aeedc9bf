using System.Diagnostics;
using SharpNT.Kernel.Io;

namespace SharpNT.Kernel.Pnp;

/// <summary>
/// A view of DEVICE_CAPABILITIES (wdm.h, 64 bytes on x64): Size, Version, the capability bit fields, Address,
/// UINumber, DeviceState[PowerSystemMaximum], SystemWake, DeviceWake and the D1-D3 latencies. The PnP manager
/// sends it with IRP_MN_QUERY_CAPABILITIES with Size and Version set and Address and UINumber at -1; the bus
/// driver fills it in on the way down and filters may adjust it on the way up.
/// </summary>
[DebuggerDisplay("DEVICE_CAPABILITIES {Address,h}")]
public readonly record struct DEVICE_CAPABILITIES(ulong Address)
{
    public const ushort SizeOf = 64;

    private const int BitsOffset = 4;

    public ushort Size
    {
        get => ViewMemory.Read<ushort>(Address);
        set => ViewMemory.Write(Address, value);
    }

    public ushort Version
    {
        get => ViewMemory.Read<ushort>(Address + 2);
        set => ViewMemory.Write(Address + 2, value);
    }

    public bool LockSupported { get => Bit(2); set => SetBit(2, value); }

    public bool EjectSupported { get => Bit(3); set => SetBit(3, value); }

    public bool Removable { get => Bit(4); set => SetBit(4, value); }

    public bool DockDevice { get => Bit(5); set => SetBit(5, value); }

    /// <summary>The device's instance ID is unique system-wide (else the PnP manager makes it unique under its parent).</summary>
    public bool UniqueID { get => Bit(6); set => SetBit(6, value); }

    public bool SilentInstall { get => Bit(7); set => SetBit(7, value); }

    /// <summary>The device can be used without a function driver (raw mode).</summary>
    public bool RawDeviceOK { get => Bit(8); set => SetBit(8, value); }

    /// <summary>The driver copes with surprise removal: no "unsafe removal" message is shown.</summary>
    public bool SurpriseRemovalOK { get => Bit(9); set => SetBit(9, value); }

    public bool HardwareDisabled { get => Bit(14); set => SetBit(14, value); }

    /// <summary>The device's address on its bus; 0xFFFFFFFF when unknown.</summary>
    public uint AddressOnBus
    {
        get => ViewMemory.Read<uint>(Address + 8);
        set => ViewMemory.Write(Address + 8, value);
    }

    /// <summary>The number a user sees on the device's slot; 0xFFFFFFFF when unknown.</summary>
    public uint UINumber
    {
        get => ViewMemory.Read<uint>(Address + 12);
        set => ViewMemory.Write(Address + 12, value);
    }

    /// <summary>The capability bit fields as one ULONG (bit 0 DeviceD1 ... bit 9 SurpriseRemovalOK ...).</summary>
    public uint Bits => ViewMemory.Read<uint>(Address + BitsOffset);

    private bool Bit(int bit) => (ViewMemory.Read<uint>(Address + BitsOffset) & (1u << bit)) != 0;

    private void SetBit(int bit, bool value)
    {
        var bits = ViewMemory.Read<uint>(Address + BitsOffset);
        ViewMemory.Write(Address + BitsOffset, value ? bits | (1u << bit) : bits & ~(1u << bit));
    }
}
