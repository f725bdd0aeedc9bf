using System.Diagnostics;
using SharpNT.Kernel.Io;

namespace SharpNT.Kernel.Pnp;

/// <summary>
/// A view of DEVICE_RELATIONS (wdm.h): ULONG Count, then PDEVICE_OBJECT Objects[Count] at offset 8. A driver
/// answering IRP_MN_QUERY_DEVICE_RELATIONS allocates it from paged pool, references each object, and the
/// PnP manager frees it.
/// </summary>
[DebuggerDisplay("DEVICE_RELATIONS {Address,h}")]
public readonly record struct DEVICE_RELATIONS(ulong Address)
{
    /// <summary>FIELD_OFFSET(DEVICE_RELATIONS, Objects).</summary>
    public const uint ObjectsOffset = 8;

    public bool IsNull => Address == 0;

    /// <summary>The bytes for <paramref name="count"/> objects: FIELD_OFFSET(DEVICE_RELATIONS, Objects) + count * sizeof(PDEVICE_OBJECT).</summary>
    public static ulong SizeFor(uint count) => ObjectsOffset + (8UL * count);

    public uint Count
    {
        get => ViewMemory.Read<uint>(Address);
        set => ViewMemory.Write(Address, value);
    }

    public DEVICE_OBJECT this[uint index]
    {
        get => new(ViewMemory.Read<ulong>(Address + ObjectsOffset + (8UL * index)));
        set => ViewMemory.Write(Address + ObjectsOffset + (8UL * index), value.Address);
    }
}
