using System.Diagnostics;
using SharpNT.Kernel.Io;

namespace SharpNT.Kernel.Pnp;

/// <summary>
/// A view of CM_RESOURCE_LIST (wdm.h, packed to 4 bytes): ULONG Count, then Count CM_FULL_RESOURCE_DESCRIPTORs,
/// each INTERFACE_TYPE InterfaceType, ULONG BusNumber and a CM_PARTIAL_RESOURCE_LIST (USHORT Version, USHORT
/// Revision, ULONG Count, then CM_PARTIAL_RESOURCE_DESCRIPTORs of 20 bytes: UCHAR Type, UCHAR ShareDisposition,
/// USHORT Flags and a 16-byte union; for CmResourceTypeMemory the union is PHYSICAL_ADDRESS Start, ULONG Length).
/// </summary>
[DebuggerDisplay("CM_RESOURCE_LIST {Address,h}")]
public readonly record struct CM_RESOURCE_LIST(ulong Address)
{
    public const byte CmResourceTypePort = 1;
    public const byte CmResourceTypeInterrupt = 2;
    public const byte CmResourceTypeMemory = 3;

    public const byte CmResourceShareDeviceExclusive = 1;
    public const byte CmResourceShareShared = 3;

    /// <summary>CM_RESOURCE_INTERRUPT_LEVEL_SENSITIVE (0) and CM_RESOURCE_INTERRUPT_LATCHED (1): a descriptor's Flags.</summary>
    public const ushort CM_RESOURCE_INTERRUPT_LEVEL_SENSITIVE = 0;
    public const ushort CM_RESOURCE_INTERRUPT_LATCHED = 1;

    /// <summary>sizeof(CM_PARTIAL_RESOURCE_DESCRIPTOR).</summary>
    public const uint PartialDescriptorSize = 20;

    /// <summary>FIELD_OFFSET(CM_FULL_RESOURCE_DESCRIPTOR, PartialResourceList.PartialDescriptors).</summary>
    public const uint FullDescriptorHeaderSize = 16;

    public bool IsNull => Address == 0;

    /// <summary>The bytes of a list with one full descriptor holding <paramref name="partialCount"/> partial descriptors.</summary>
    public static ulong SizeFor(uint partialCount) => 4 + FullDescriptorHeaderSize + (PartialDescriptorSize * partialCount);

    public uint Count => ViewMemory.Read<uint>(Address);

    /// <summary>The whole list's size in bytes, walking its full descriptors.</summary>
    public ulong SizeInBytes
    {
        get
        {
            var offset = 4UL;
            var count = Count;
            for (var i = 0u; i < count && i < 64; i++)
            {
                var partials = ViewMemory.Read<uint>(Address + offset + 12);
                offset += FullDescriptorHeaderSize + (PartialDescriptorSize * Math.Min(partials, 256u));
            }

            return offset;
        }
    }

    /// <summary>The first full descriptor's partial descriptor count (List[0].PartialResourceList.Count).</summary>
    public uint PartialCount => Count == 0 ? 0 : ViewMemory.Read<uint>(Address + 4 + 12);

    /// <summary>Writes a list of one full descriptor (InterfaceType Internal, bus 0) holding <paramref name="partialCount"/> descriptors.</summary>
    public void InitializeSingle(uint partialCount) => InitializeSingle(partialCount, 0, 0);

    /// <summary>Writes a list of one full descriptor for a bus (INTERFACE_TYPE, e.g. PCIBus 5, and bus number) holding <paramref name="partialCount"/> descriptors.</summary>
    public void InitializeSingle(uint partialCount, int interfaceType, uint busNumber)
    {
        ViewMemory.Write(Address, 1u);
        ViewMemory.Write(Address + 4, interfaceType);
        ViewMemory.Write(Address + 8, busNumber);
        ViewMemory.Write(Address + 12, (ushort)1);  // PartialResourceList.Version
        ViewMemory.Write(Address + 14, (ushort)1);  // PartialResourceList.Revision
        ViewMemory.Write(Address + 16, partialCount);
    }

    /// <summary>Sets List[0].PartialDescriptors[index] to a memory range (CmResourceTypeMemory, u.Memory.Start and Length).</summary>
    public void SetMemory(uint index, ulong start, uint length)
    {
        var d = PartialAt(index);
        ViewMemory.Write(d, CmResourceTypeMemory);
        ViewMemory.Write(d + 1, CmResourceShareDeviceExclusive);
        ViewMemory.Write(d + 2, (ushort)0);
        ViewMemory.Write(d + 4, start);
        ViewMemory.Write(d + 12, length);
    }

    /// <summary>List[0].InterfaceType: the bus the resources are on.</summary>
    public int InterfaceType => ViewMemory.Read<int>(Address + 4);

    /// <summary>List[0].BusNumber.</summary>
    public uint BusNumber => ViewMemory.Read<uint>(Address + 8);

    /// <summary>
    /// Sets List[0].PartialDescriptors[index] to an interrupt (CmResourceTypeInterrupt, shared, level-sensitive as PCI
    /// interrupts are): u.Interrupt.Level, Vector and Affinity. Raw, Level and Vector are the bus's line; translated,
    /// Level is the DIRQL and Vector the system vector.
    /// </summary>
    public void SetInterrupt(uint index, uint level, uint vector, ulong affinity)
    {
        var d = PartialAt(index);
        ViewMemory.Write(d, CmResourceTypeInterrupt);
        ViewMemory.Write(d + 1, CmResourceShareShared);
        ViewMemory.Write(d + 2, CM_RESOURCE_INTERRUPT_LEVEL_SENSITIVE);
        ViewMemory.Write(d + 4, level);
        ViewMemory.Write(d + 8, vector);
        ViewMemory.Write(d + 12, affinity);
    }

    /// <summary>List[0].PartialDescriptors[index].ShareDisposition.</summary>
    public byte ShareDispositionOf(uint index) => ViewMemory.Read<byte>(PartialAt(index) + 1);

    /// <summary>List[0].PartialDescriptors[index].Flags.</summary>
    public ushort FlagsOf(uint index) => ViewMemory.Read<ushort>(PartialAt(index) + 2);

    /// <summary>u.Interrupt.Level of List[0].PartialDescriptors[index].</summary>
    public uint InterruptLevelOf(uint index) => ViewMemory.Read<uint>(PartialAt(index) + 4);

    /// <summary>u.Interrupt.Vector of List[0].PartialDescriptors[index].</summary>
    public uint InterruptVectorOf(uint index) => ViewMemory.Read<uint>(PartialAt(index) + 8);

    /// <summary>u.Interrupt.Affinity of List[0].PartialDescriptors[index].</summary>
    public ulong InterruptAffinityOf(uint index) => ViewMemory.Read<ulong>(PartialAt(index) + 12);

    /// <summary>List[0].PartialDescriptors[index].Type.</summary>
    public byte TypeOf(uint index) => ViewMemory.Read<byte>(PartialAt(index));

    /// <summary>u.Memory.Start (u.Port.Start) of List[0].PartialDescriptors[index].</summary>
    public ulong StartOf(uint index) => ViewMemory.Read<ulong>(PartialAt(index) + 4);

    /// <summary>u.Memory.Length (u.Port.Length) of List[0].PartialDescriptors[index].</summary>
    public uint LengthOf(uint index) => ViewMemory.Read<uint>(PartialAt(index) + 12);

    private ulong PartialAt(uint index) => Address + 4 + FullDescriptorHeaderSize + (PartialDescriptorSize * index);
}
