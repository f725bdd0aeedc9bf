namespace SharpNT.Kernel.Mm;

/// <summary>
/// The packing of a software TLB entry (see <see cref="AddressSpace.Tlb"/>): one 64-bit word, so a reader
/// on another processor sees an entry whole or not at all.
/// </summary>
internal static class Tlb
{
    public const ulong Valid = 1;

    /// <summary>The page may be written without a fault: R/W set and the dirty bit already set.</summary>
    public const ulong WriteOk = 2;

    /// <summary>The page is a user page (U/S set): user-mode accesses may use the entry.</summary>
    public const ulong UserOk = 4;

    public const int FrameShift = 3;
    public const ulong FrameMask = 0xF_FFFF;
    public const int VpnShift = 24;

    /// <summary>36 bits: the virtual page number of a 48-bit address.</summary>
    public const ulong VpnMask = (1UL << 36) - 1;

    public static ulong Make(ulong vpn, ulong pfn, ulong flags) => (vpn << VpnShift) | (pfn << FrameShift) | flags;
}
