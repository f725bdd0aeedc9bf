using System.Diagnostics;

namespace SharpNT.Kernel.Mm;

/// <summary>
/// One virtual address space: a PML4 page frame (what CR3 holds) with its page tables, and a software TLB.
/// The system address space maps the kernel half; each process's space has its own user half and shares
/// the kernel half through PML4 entries copied at creation, all pointing at the same kernel PDPTs.
/// </summary>
[DebuggerDisplay("AddressSpace CR3={DirectoryTableBase,h} system={IsSystem}")]
internal sealed class AddressSpace
{
    /// <summary>Direct-mapped TLB entries (power of two).</summary>
    internal const int TlbEntries = 4096;

    internal const int TlbMask = TlbEntries - 1;

    internal AddressSpace(int id, ulong pml4Frame, bool isSystem, ulong processAddress)
    {
        Id = id;
        Pml4Frame = pml4Frame;
        IsSystem = isSystem;
        ProcessAddress = processAddress;
    }

    internal int Id { get; }

    internal ulong Pml4Frame { get; }

    /// <summary>CR3: the physical address of the PML4 (KPROCESS.DirectoryTableBase).</summary>
    internal ulong DirectoryTableBase => Pml4Frame << MemoryManager.PAGE_SHIFT;

    internal bool IsSystem { get; }

    /// <summary>
    /// The process object this space belongs to, as MDL.Process and the bug checks name it. A placeholder
    /// address until the process manager sets its EPROCESS address.
    /// </summary>
    internal ulong ProcessAddress { get; set; }

    /// <summary>
    /// The software TLB: each entry packs the virtual page number (bits 24-59), the page frame number
    /// (bits 3-22) and access bits (bit 0 valid, bit 1 writable and already dirty, bit 2 user). Read without
    /// a lock; written under the PFN lock; cleared when a mapping changes.
    /// </summary>
    internal ulong[] Tlb { get; } = new ulong[TlbEntries];

    /// <summary>Committed user ranges, by start address.</summary>
    internal SortedList<ulong, Vad> Vads { get; } = [];

    /// <summary>Pages MDLs hold locked in this space (the process's locked-page count).</summary>
    internal long LockedPages { get; set; }

    /// <summary>Page frames holding this space's own page tables (the user half's).</summary>
    internal List<ulong> PageTableFrames { get; } = [];

    internal bool Destroyed { get; set; }

    internal void FlushTlb() => Array.Clear(Tlb);
}
