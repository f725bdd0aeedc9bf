namespace SharpNT.Kernel.Mm;

/// <summary>What a physical page frame is used for (the PFN database's page location, simplified).</summary>
internal enum PfnState : byte
{
    /// <summary>On the free list.</summary>
    Free,

    /// <summary>Mapped by a PTE as a data page (pool, user memory).</summary>
    Active,

    /// <summary>Holds a page table of some level (PML4, PDPT, PD or PT).</summary>
    PageTable,

    /// <summary>Never handed out (frame 0, as NT keeps physical page 0 out of use).</summary>
    Reserved,
}
