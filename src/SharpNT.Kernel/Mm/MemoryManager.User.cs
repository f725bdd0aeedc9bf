using SharpNT.Kernel.Ke;

namespace SharpNT.Kernel.Mm;

/// <summary>
/// Process address spaces: creation and deletion, and committing, protecting and releasing user memory
/// (the work of NtAllocateVirtualMemory, NtProtectVirtualMemory and NtFreeVirtualMemory).
/// </summary>
internal sealed partial class MemoryManager
{
    /// <summary>Allocation granularity of user ranges: 64 KiB.</summary>
    internal const ulong AllocationGranularity = 0x10000;

    /// <summary>
    /// Where the placeholder process addresses start (inside the reserved head of the nonpaged pool range)
    /// until the process manager gives each space its EPROCESS.
    /// </summary>
    private const ulong PlaceholderProcessBase = 0xFFFFFA80_02000000UL;

    /// <summary>
    /// A new process address space: its own PML4, whose kernel half is copied from the system PML4 (so every
    /// process shares the kernel's lower tables). Null when no frame is free for the PML4.
    /// </summary>
    internal AddressSpace? CreateProcessAddressSpace()
    {
        lock (_pfnLock)
        {
            var frame = AllocateFrameLocked(zero: true, pageable: false);
            if (frame is null || !ChargeCommit(1))
            {
                if (frame is not null)
                {
                    FreeFrameLocked((ulong)frame.Value);
                }

                return null;
            }

            var pml4 = (ulong)frame.Value;
            _pfn[pml4].State = PfnState.PageTable;
            var system = SystemSpace.DirectoryTableBase;
            for (var i = 256; i < 512; i++)
            {
                var entry = ReadPte(system + ((ulong)i * 8));
                if (entry != 0)
                {
                    WritePte((pml4 << PAGE_SHIFT) + ((ulong)i * 8), entry);
                }
            }

            var id = _nextSpaceId++;
            var space = new AddressSpace(id, pml4, isSystem: false, PlaceholderProcessBase + ((ulong)id << 12));
            _processSpaces.Add(space);
            return space;
        }
    }

    /// <summary>
    /// Deletes a process address space: all its user memory, its page tables and its PML4. Pages MDLs still
    /// hold locked are PROCESS_HAS_LOCKED_PAGES (0, process, count, 0), as at process exit on NT.
    /// </summary>
    internal void DeleteProcessAddressSpace(AddressSpace space)
    {
        if (space.IsSystem || space.Destroyed)
        {
            throw new InvalidOperationException("Only a live process address space can be deleted.");
        }

        if (space.LockedPages > 0)
        {
            _machine.BugCheck.Raise(BugCheckCode.PROCESS_HAS_LOCKED_PAGES, 0, space.ProcessAddress, (ulong)space.LockedPages, 0);
        }

        lock (_pfnLock)
        {
            foreach (var vad in space.Vads.Values)
            {
                ReleaseVadLocked(space, vad);
            }

            space.Vads.Clear();
            foreach (var table in space.PageTableFrames)
            {
                FreeFrameLocked(table);
            }

            ReturnCommit(space.PageTableFrames.Count + 1);
            space.PageTableFrames.Clear();
            FreeFrameLocked(space.Pml4Frame);
            space.FlushTlb();
            space.Destroyed = true;
            _processSpaces.Remove(space);
        }
    }

    /// <summary>
    /// Reserves and commits <paramref name="size"/> bytes of user address space (rounded up to pages) at
    /// a 64 KiB-aligned address, lowest free first, or at <paramref name="preferredBase"/> if given. The
    /// pages are demand-zero: a frame arrives on first touch.
    /// </summary>
    internal NTSTATUS AllocateUserMemory(AddressSpace space, ulong size, uint protection, out ulong baseAddress, ulong preferredBase = 0)
    {
        baseAddress = 0;
        if (space.IsSystem || space.Destroyed || size == 0 || size > HighestUserAddress)
        {
            return NTSTATUS.STATUS_INVALID_PARAMETER;
        }

        if (!MmProtection.TryFromPageProtection(protection, out var mm))
        {
            return NTSTATUS.STATUS_INVALID_PAGE_PROTECTION;
        }

        size = (size + PageOffsetMask) & ~PageOffsetMask;
        lock (_pfnLock)
        {
            ulong start;
            if (preferredBase != 0)
            {
                start = preferredBase & ~(AllocationGranularity - 1);
                if (start < LowestUserAddress || start + size - 1 > HighestUserAddress || Overlaps(space, start, size))
                {
                    return NTSTATUS.STATUS_CONFLICTING_ADDRESSES;
                }
            }
            else if (!FindFreeUserRange(space, size, out start))
            {
                return NTSTATUS.STATUS_NO_MEMORY;
            }

            var vad = new Vad(start, size, protection);
            if (!ChargeCommit(vad.Pages))
            {
                return NTSTATUS.STATUS_COMMITMENT_LIMIT;
            }

            for (var i = 0; i < vad.Pages; i++)
            {
                WritePte(PteAddress(space, start + ((ulong)i << PAGE_SHIFT), create: true), Pte.MakeSoftware(mm, 0));
            }

            space.Vads.Add(start, vad);
            baseAddress = start;
            return NTSTATUS.STATUS_SUCCESS;
        }
    }

    /// <summary>
    /// Decommits and releases the range that starts at <paramref name="baseAddress"/>. Pages still locked by
    /// an MDL keep their frames until unlocked.
    /// </summary>
    internal NTSTATUS FreeUserMemory(AddressSpace space, ulong baseAddress)
    {
        lock (_pfnLock)
        {
            if (!space.Vads.TryGetValue(baseAddress, out var vad))
            {
                return FindVad(space, baseAddress) is null ? NTSTATUS.STATUS_MEMORY_NOT_ALLOCATED : NTSTATUS.STATUS_FREE_VM_NOT_AT_BASE;
            }

            ReleaseVadLocked(space, vad);
            space.Vads.Remove(baseAddress);
            return NTSTATUS.STATUS_SUCCESS;
        }
    }

    /// <summary>
    /// Changes the protection of committed user pages (all inside one allocation) and returns the old
    /// protection of the first. A resident page made PAGE_NOACCESS keeps its frame in a transition PTE.
    /// </summary>
    internal NTSTATUS ProtectUserMemory(AddressSpace space, ulong address, ulong size, uint newProtection, out uint oldProtection)
    {
        oldProtection = 0;
        if (!MmProtection.TryFromPageProtection(newProtection, out var mm))
        {
            return NTSTATUS.STATUS_INVALID_PAGE_PROTECTION;
        }

        var start = address & ~PageOffsetMask;
        var end = (address + Math.Max(size, 1) + PageOffsetMask) & ~PageOffsetMask;
        lock (_pfnLock)
        {
            var vad = FindVad(space, start);
            if (vad is null || end > vad.End)
            {
                return vad is null ? NTSTATUS.STATUS_MEMORY_NOT_ALLOCATED : NTSTATUS.STATUS_CONFLICTING_ADDRESSES;
            }

            for (var va = start; va < end; va += PAGE_SIZE)
            {
                var pteAddress = PteAddress(space, va, create: true);
                var pte = ReadPte(pteAddress);
                var old = Pte.IsPresent(pte) ? Pte.ProtectionOfValid(pte) : Pte.SoftwareProtection(pte);
                if (va == start)
                {
                    oldProtection = MmProtection.ToPageProtection(old);
                }

                if (Pte.IsPresent(pte) || Pte.IsTransition(pte))
                {
                    var frame = Pte.Frame(pte);
                    // A page coming back from PAGE_NOACCESS may have been written before: count it dirty.
                    var dirty = Pte.IsPresent(pte) ? pte & Pte.Dirty : Pte.Dirty;
                    var updated = !MmProtection.IsAccessible(mm)
                        ? Pte.MakeTransition(frame, mm)
                        : Pte.MakeValid(frame, mm, user: true) | dirty;
                    WritePte(pteAddress, updated);
                    InvalidateTlb(space, va);
                }
                else
                {
                    WritePte(pteAddress, Pte.MakeSoftware(mm, Pte.PagefileSlot(pte)));
                }
            }

            return NTSTATUS.STATUS_SUCCESS;
        }
    }

    /// <summary>The process address space whose process object is at <paramref name="processAddress"/>.</summary>
    internal AddressSpace? FindProcessSpace(ulong processAddress)
    {
        lock (_pfnLock)
        {
            return _processSpaces.Find(s => s.ProcessAddress == processAddress);
        }
    }

    private static Vad? FindVad(AddressSpace space, ulong va)
    {
        foreach (var vad in space.Vads.Values)
        {
            if (va >= vad.Start && va < vad.End)
            {
                return vad;
            }
        }

        return null;
    }

    private static bool Overlaps(AddressSpace space, ulong start, ulong size)
    {
        foreach (var vad in space.Vads.Values)
        {
            if (start < vad.End && vad.Start < start + size)
            {
                return true;
            }
        }

        return false;
    }

    private static bool FindFreeUserRange(AddressSpace space, ulong size, out ulong start)
    {
        start = LowestUserAddress;
        foreach (var vad in space.Vads.Values)
        {
            if (start + size <= vad.Start)
            {
                return true;
            }

            start = Math.Max(start, (vad.End + AllocationGranularity - 1) & ~(AllocationGranularity - 1));
        }

        return start + size - 1 <= HighestUserAddress;
    }

    private void ReleaseVadLocked(AddressSpace space, Vad vad)
    {
        for (var i = 0; i < vad.Pages; i++)
        {
            UnmapPageLocked(space, vad.Start + ((ulong)i << PAGE_SHIFT));
        }

        ReturnCommit(vad.Pages);
    }
}
