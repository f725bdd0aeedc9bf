namespace SharpNT.Kernel.Mm;

/// <summary>
/// Page table entries as x64 defines them (Intel SDM vol. 3, 4-level paging), and the software formats NT
/// gives a not-present entry.
/// <para>
/// Hardware (valid) entry: bit 0 P, 1 R/W, 2 U/S, 3 PWT, 4 PCD, 5 A (accessed), 6 D (dirty), 7 PAT/PS,
/// 8 G (global), 9-11 available to software, 12-51 page frame number, 63 XD (no execute).
/// </para>
/// <para>
/// Software (not-present) entry, after NT's MMPTE_SOFTWARE on x64: bit 0 Valid = 0, bits 1-4 PageFileLow
/// (the pagefile number, always 0 here: one pagefile), bits 5-9 Protection (an MM_* protection code),
/// bit 10 Prototype = 0, bit 11 Transition = 0, bits 32-63 PageFileHigh (the slot in the pagefile).
/// A transition entry (bit 11 set) keeps its frame in bits 12-51: here that is a resident page made
/// PAGE_NOACCESS, which faults on every access but keeps its contents.
/// A committed page that was never touched has PageFileHigh 0 ("demand zero"); an entry of 0 means nothing
/// is committed there.
/// </para>
/// </summary>
internal static class Pte
{
    public const ulong Present = 1UL << 0;
    public const ulong Writable = 1UL << 1;
    public const ulong User = 1UL << 2;
    public const ulong WriteThrough = 1UL << 3;
    public const ulong CacheDisable = 1UL << 4;
    public const ulong Accessed = 1UL << 5;
    public const ulong Dirty = 1UL << 6;
    public const ulong LargePage = 1UL << 7;
    public const ulong Global = 1UL << 8;
    public const ulong NoExecute = 1UL << 63;

    /// <summary>Software bit 11 of a not-present entry: the frame is still held (here: a PAGE_NOACCESS page).</summary>
    public const ulong Transition = 1UL << 11;

    /// <summary>Bits 12-51: the page frame number, shifted into place.</summary>
    public const ulong FrameMask = 0x000F_FFFF_FFFF_F000UL;

    private const int ProtectionShift = 5;
    private const ulong ProtectionMask = 0x1FUL << ProtectionShift;
    private const int PageFileHighShift = 32;

    public static bool IsPresent(ulong pte) => (pte & Present) != 0;

    /// <summary>Not present but still holding its frame (bits 12-51), as NT's transition PTEs do.</summary>
    public static bool IsTransition(ulong pte) => (pte & (Present | Transition)) == Transition;

    public static ulong MakeTransition(ulong pfn, uint mmProtection) =>
        Transition | ((ulong)(mmProtection & 0x1F) << ProtectionShift) | (pfn << MemoryManager.PAGE_SHIFT);

    public static ulong Frame(ulong pte) => (pte & FrameMask) >> MemoryManager.PAGE_SHIFT;

    /// <summary>A valid entry for a page: present, with R/W, U/S, G and XD from the MM protection.</summary>
    public static ulong MakeValid(ulong pfn, uint mmProtection, bool user)
    {
        var pte = Present | Accessed | (pfn << MemoryManager.PAGE_SHIFT);
        if (MmProtection.IsWritable(mmProtection))
        {
            pte |= Writable;
        }

        if (!MmProtection.IsExecutable(mmProtection))
        {
            pte |= NoExecute;
        }

        pte |= user ? User : Global;
        return pte;
    }

    /// <summary>An entry of an upper-level table (PML4E, PDPTE, PDE) pointing at the next table.</summary>
    public static ulong MakeTable(ulong pfn, bool user) =>
        Present | Writable | Accessed | (user ? User : 0) | (pfn << MemoryManager.PAGE_SHIFT);

    /// <summary>The MM protection a valid entry's hardware bits express.</summary>
    public static uint ProtectionOfValid(ulong pte) =>
        ((pte & Writable) != 0, (pte & NoExecute) != 0) switch
        {
            (true, true) => MmProtection.MM_READWRITE,
            (false, true) => MmProtection.MM_READONLY,
            (true, false) => MmProtection.MM_EXECUTE_READWRITE,
            (false, false) => MmProtection.MM_EXECUTE_READ,
        };

    public static ulong MakeSoftware(uint mmProtection, uint pagefileSlot) =>
        ((ulong)(mmProtection & 0x1F) << ProtectionShift) | ((ulong)pagefileSlot << PageFileHighShift);

    public static uint SoftwareProtection(ulong pte) => (uint)((pte & ProtectionMask) >> ProtectionShift);

    public static uint PagefileSlot(ulong pte) => (uint)(pte >> PageFileHighShift);
}
