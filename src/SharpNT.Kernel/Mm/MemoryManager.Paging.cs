using System.Diagnostics;
using SharpNT.Kernel.Ke;

namespace SharpNT.Kernel.Mm;

internal sealed partial class MemoryManager
{
    /// <summary>
    /// Forces every resident, unlocked page of system pageable memory (paged pool) out to the pagefile and
    /// returns how many went: NT's MmTrimAllSystemPagableMemory, which the verifier's "force IRQL checking"
    /// calls so that a driver touching paged memory at DISPATCH_LEVEL faults every time.
    /// </summary>
    internal int TrimWorkingSet()
    {
        _machine.Ke.ThrowIfStopping(KTHREAD.Current);
        lock (_pfnLock)
        {
            return TrimLocked(int.MaxValue, forced: true);
        }
    }

    /// <summary>
    /// Pages out up to <paramref name="wanted"/> pages, oldest first (the working set is a FIFO list).
    /// Forced trims take only system pages; pressure trims take process pages too. Locked pages stay.
    /// </summary>
    private int TrimLocked(int wanted, bool forced)
    {
        var trimmed = 0;
        var pfn = _workingSetHead;
        while (pfn >= 0 && trimmed < wanted && _pagefile.FreeSlots > 0)
        {
            var next = _pfn[pfn].WorkingSetNext;
            if (_pfn[pfn].LockCount == 0 && (!forced || _pfnOwner[pfn] is null) && PageOutLocked(pfn))
            {
                trimmed++;
            }

            pfn = next;
        }

        return trimmed;
    }

    /// <summary>Writes a resident pageable page to a new pagefile slot and frees its frame.</summary>
    private bool PageOutLocked(int pfn)
    {
        var slot = _pagefile.AllocateSlot();
        if (slot == 0)
        {
            return false;
        }

        ref var entry = ref _pfn[pfn];
        var space = _pfnOwner[pfn] ?? SystemSpace;
        var pte = ReadPte(entry.PteAddress);
        Debug.Assert((Pte.IsPresent(pte) || Pte.IsTransition(pte)) && Pte.Frame(pte) == (ulong)pfn, "a working-set page's PTE does not map it");

        // Not present first, TLB entry dropped, and no accessor left holding it: only then is the
        // page's content final and safe to copy out.
        var protection = Pte.IsPresent(pte) ? Pte.ProtectionOfValid(pte) : Pte.SoftwareProtection(pte);
        WritePte(entry.PteAddress, Pte.MakeSoftware(protection, slot));
        InvalidateTlb(space, entry.VirtualAddress);
        QuiesceAccessors();
        _pagefile.Write(slot, _physical.Frame((ulong)pfn));
        FreeFrameLocked((ulong)pfn);
        PageOuts++;
        return true;
    }

    /// <summary>
    /// Makes a not-present, committed page resident (caller holds the PFN lock and has checked the IRQL):
    /// reads it back from its pagefile slot, or gives a zeroed frame to a demand-zero page. Returns the new
    /// PTE.
    /// </summary>
    private ulong PageInLocked(AddressSpace space, ulong va, ulong pteAddress, ulong pte)
    {
        var slot = Pte.PagefileSlot(pte);
        var protection = Pte.SoftwareProtection(pte);
        var frame = AllocateFrameLocked(zero: slot == 0, pageable: true);
        if (frame is null && slot != 0)
        {
            // Memory is full and the trimmer had no pagefile slot to write to: this page's own slot is
            // the one it can use, so take the contents out first and give the slot up.
            _pagefile.Read(slot, _pageScratch);
            _pagefile.FreeSlot(slot);
            WritePte(pteAddress, Pte.MakeSoftware(protection, 0));
            frame = AllocateFrameLocked(zero: false, pageable: true);
            if (frame is null)
            {
                slot = _pagefile.AllocateSlot();
                _pagefile.Write(slot, _pageScratch);
                WritePte(pteAddress, Pte.MakeSoftware(protection, slot));
                return RaiseInPageError(va, pteAddress, pte);
            }

            _pageScratch.CopyTo(_physical.Frame((ulong)frame.Value));
            PageIns++;
        }
        else if (frame is null)
        {
            return RaiseInPageError(va, pteAddress, pte);
        }
        else if (slot != 0)
        {
            _pagefile.Read(slot, _physical.Frame((ulong)frame.Value));
            _pagefile.FreeSlot(slot);
            PageIns++;
        }

        MapFrameLocked(space, va & ~PageOffsetMask, frame.Value, protection);
        return ReadPte(pteAddress);
    }

    private ulong RaiseInPageError(ulong va, ulong pteAddress, ulong pte)
    {
        if (IsUserAddress(va))
        {
            // A user page that cannot be brought in: the faulting access fails with an in-page error.
            throw new NtException(NTSTATUS.STATUS_IN_PAGE_ERROR, va, write: false);
        }

        _machine.BugCheck.Raise(BugCheckCode.KERNEL_DATA_INPAGE_ERROR, pteAddress,
            (ulong)(uint)NTSTATUS.STATUS_INSUFFICIENT_RESOURCES, pte, va);
        return 0;
    }

    /// <summary>
    /// Removes the mapping of one page (caller holds the PFN lock): frees its frame (deferred while MDLs
    /// hold it locked) or its pagefile slot, and clears the PTE. Returns true if anything was mapped.
    /// </summary>
    private bool UnmapPageLocked(AddressSpace space, ulong va)
    {
        var pteAddress = PteAddress(space, va, create: false);
        if (pteAddress == 0)
        {
            return false;
        }

        var pte = ReadPte(pteAddress);
        WritePte(pteAddress, 0);
        if (Pte.IsPresent(pte) || Pte.IsTransition(pte))
        {
            InvalidateTlb(space, va);
            var pfn = Pte.Frame(pte);
            ref var entry = ref _pfn[pfn];
            if (entry.PteAddress != pteAddress)
            {
                // A second mapping of a frame (a system PTE of an MDL mapping): the frame stays with its owner.
                return true;
            }

            if (entry.LockCount > 0)
            {
                if (entry.InWorkingSet)
                {
                    RemoveFromWorkingSet((int)pfn);
                }

                entry.Orphaned = true;
                entry.PteAddress = 0;
            }
            else
            {
                FreeFrameLocked(pfn);
            }

            return true;
        }

        var slot = Pte.PagefileSlot(pte);
        if (slot != 0)
        {
            _pagefile.FreeSlot(slot);
        }

        return pte != 0;
    }

    // ---- The working set: a FIFO list threaded through the PFN database --------------------------------

    private void InsertWorkingSet(int pfn)
    {
        ref var entry = ref _pfn[pfn];
        Debug.Assert(!entry.InWorkingSet, "a frame is inserted in the working set twice");
        entry.InWorkingSet = true;
        entry.WorkingSetNext = -1;
        entry.WorkingSetPrevious = _workingSetTail;
        if (_workingSetTail >= 0)
        {
            _pfn[_workingSetTail].WorkingSetNext = pfn;
        }
        else
        {
            _workingSetHead = pfn;
        }

        _workingSetTail = pfn;
        ResidentPageablePages++;
    }

    private void RemoveFromWorkingSet(int pfn)
    {
        ref var entry = ref _pfn[pfn];
        if (entry.WorkingSetPrevious >= 0)
        {
            _pfn[entry.WorkingSetPrevious].WorkingSetNext = entry.WorkingSetNext;
        }
        else
        {
            _workingSetHead = entry.WorkingSetNext;
        }

        if (entry.WorkingSetNext >= 0)
        {
            _pfn[entry.WorkingSetNext].WorkingSetPrevious = entry.WorkingSetPrevious;
        }
        else
        {
            _workingSetTail = entry.WorkingSetPrevious;
        }

        entry.InWorkingSet = false;
        entry.WorkingSetNext = -1;
        entry.WorkingSetPrevious = -1;
        ResidentPageablePages--;
    }
}
