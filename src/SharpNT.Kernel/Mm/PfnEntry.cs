using System.Runtime.InteropServices;

namespace SharpNT.Kernel.Mm;

/// <summary>
/// One entry of the PFN database (MMPFN): the state of one physical page frame. The working-set links make
/// the FIFO list the trimmer pages out from; they are frame numbers, -1 for none.
/// </summary>
[StructLayout(LayoutKind.Auto)]
internal struct PfnEntry
{
    /// <summary>Physical address of the PTE that maps this frame (PteAddress of MMPFN); 0 once orphaned.</summary>
    public ulong PteAddress;

    /// <summary>The virtual address the frame is mapped at by its owning PTE.</summary>
    public ulong VirtualAddress;

    /// <summary>MDL locks on the frame (the reference count MmProbeAndLockPages takes).</summary>
    public int LockCount;

    public int WorkingSetNext;

    public int WorkingSetPrevious;

    public PfnState State;

    /// <summary>True when the frame's contents may be paged out (paged pool, user memory).</summary>
    public bool Pageable;

    /// <summary>True while the frame is on the working-set list.</summary>
    public bool InWorkingSet;

    /// <summary>
    /// True when the owning mapping was removed while MDLs still held the frame locked: the frame is freed
    /// when the last lock goes, as NT defers freeing a page whose reference count is not zero.
    /// </summary>
    public bool Orphaned;
}
