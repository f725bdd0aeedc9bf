using SharpNT.Kernel.Io;

namespace SharpNT.Kernel.Hal;

/// <summary>
/// A view of a SCATTER_GATHER_LIST in nonpaged pool, in its x64 layout (wdm.h): ULONG NumberOfElements at 0,
/// ULONG_PTR Reserved at 8, then SCATTER_GATHER_ELEMENTs of 24 bytes from 16 (PHYSICAL_ADDRESS Address at 0,
/// ULONG Length at 8, ULONG_PTR Reserved at 16).
/// </summary>
public readonly record struct SCATTER_GATHER_LIST(ulong Address)
{
    internal const int ElementsOffset = 16;
    internal const int ElementSize = 24;

    public bool IsNull => Address == 0;

    public uint NumberOfElements => ViewMemory.Read<uint>(Address);

    /// <summary>Elements[Index].Address: the physical (logical) address of the element.</summary>
    public LARGE_INTEGER ElementAddress(uint Index) => new(ViewMemory.Read<long>(Address + ElementsOffset + (Index * ElementSize)));

    /// <summary>Elements[Index].Length in bytes.</summary>
    public uint ElementLength(uint Index) => ViewMemory.Read<uint>(Address + ElementsOffset + (Index * ElementSize) + 8);

    internal static ulong SizeFor(int elements) => ElementsOffset + ((ulong)elements * ElementSize);
}
