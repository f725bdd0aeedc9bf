using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using SharpNT.Kernel.Ke;

namespace SharpNT.Kernel.Mm;

/// <summary>
/// The checked access path: every read and write of simulated memory goes through here. Each page is
/// translated through the current address space (kernel addresses: the system space; user addresses: the
/// current thread's process) and checked for bounds, protection, residency and IRQL; within a page the
/// bytes move as one span copy.
/// </summary>
internal sealed partial class MemoryManager
{
    /// <summary>Reads <paramref name="destination"/>.Length bytes at <paramref name="va"/>.</summary>
    internal void Read(ulong va, Span<byte> destination, KPROCESSOR_MODE accessMode = KPROCESSOR_MODE.KernelMode)
    {
        EnterAccess();
        while (!destination.IsEmpty)
        {
            var offset = (int)(va & PageOffsetMask);
            var count = Math.Min(destination.Length, PAGE_SIZE - offset);
            PageFor(va, write: false, accessMode).Slice(offset, count).CopyTo(destination);
            destination = destination[count..];
            va += (ulong)count;
        }

        ExitAccess();
    }

    /// <summary>Writes <paramref name="source"/> at <paramref name="va"/>.</summary>
    internal void Write(ulong va, ReadOnlySpan<byte> source, KPROCESSOR_MODE accessMode = KPROCESSOR_MODE.KernelMode)
    {
        EnterAccess();
        while (!source.IsEmpty)
        {
            var offset = (int)(va & PageOffsetMask);
            var count = Math.Min(source.Length, PAGE_SIZE - offset);
            source[..count].CopyTo(PageFor(va, write: true, accessMode).Slice(offset, count));
            source = source[count..];
            va += (ulong)count;
        }

        ExitAccess();
    }

    /// <summary>Reads a value of an unmanaged type (little-endian, as x64 stores it).</summary>
    internal T Read<T>(ulong va, KPROCESSOR_MODE accessMode = KPROCESSOR_MODE.KernelMode)
        where T : unmanaged
    {
        var offset = (int)(va & PageOffsetMask);
        if (offset + Unsafe.SizeOf<T>() <= PAGE_SIZE)
        {
            EnterAccess();
            // offset + size is within the page, checked above: no second bounds check on the frame.
            var value = Unsafe.ReadUnaligned<T>(ref Unsafe.Add(ref MemoryMarshal.GetReference(PageFor(va, write: false, accessMode)), offset));
            ExitAccess();
            return value;
        }

        T result = default;
        Read(va, MemoryMarshal.AsBytes(new Span<T>(ref result)), accessMode);
        return result;
    }

    /// <summary>Writes a value of an unmanaged type.</summary>
    internal void Write<T>(ulong va, T value, KPROCESSOR_MODE accessMode = KPROCESSOR_MODE.KernelMode)
        where T : unmanaged
    {
        var offset = (int)(va & PageOffsetMask);
        if (offset + Unsafe.SizeOf<T>() <= PAGE_SIZE)
        {
            EnterAccess();
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref MemoryMarshal.GetReference(PageFor(va, write: true, accessMode)), offset), value);
            ExitAccess();
            return;
        }

        Write(va, MemoryMarshal.AsBytes(new ReadOnlySpan<T>(in value)), accessMode);
    }

    /// <summary>
    /// Translates a kernel range that lies within one page, once, with every check of the checked path,
    /// and returns its bytes for the caller to use directly for the rest of one operation (as a processor
    /// translates a page once and then accesses it). For the kernel's own nonpaged objects (IRPs); empty if
    /// the range crosses a page, so the caller uses the per-access path instead.
    /// </summary>
    internal Span<byte> MapKernelRange(ulong va, int length, bool write)
    {
        var offset = (int)(va & PageOffsetMask);
        if (offset + length > PAGE_SIZE || length <= 0)
        {
            return default;
        }

        EnterAccess();
        var page = PageFor(va, write, KPROCESSOR_MODE.KernelMode);
        ExitAccess();
        return page.Slice(offset, length);
    }

    /// <summary>Sets <paramref name="length"/> bytes at <paramref name="va"/> to <paramref name="value"/>.</summary>
    internal void Fill(ulong va, ulong length, byte value, KPROCESSOR_MODE accessMode = KPROCESSOR_MODE.KernelMode)
    {
        EnterAccess();
        while (length > 0)
        {
            var offset = (int)(va & PageOffsetMask);
            var count = (int)Math.Min(length, (ulong)(PAGE_SIZE - offset));
            PageFor(va, write: true, accessMode).Slice(offset, count).Fill(value);
            length -= (ulong)count;
            va += (ulong)count;
        }

        ExitAccess();
    }

    /// <summary>
    /// Copies <paramref name="length"/> bytes between two virtual ranges with memmove semantics (overlap
    /// allowed): RtlMoveMemory, and RtlCopyMemory.
    /// </summary>
    internal void Copy(ulong destination, ulong source, ulong length, KPROCESSOR_MODE accessMode = KPROCESSOR_MODE.KernelMode)
    {
        if (length == 0)
        {
            return;
        }

        var backward = destination > source && destination - source < length;
        EnterAccess();
        while (length > 0)
        {
            int count;
            ulong s, d;
            if (backward)
            {
                var sEnd = source + length;
                var dEnd = destination + length;
                count = (int)Math.Min(length, Math.Min(((sEnd - 1) & PageOffsetMask) + 1, ((dEnd - 1) & PageOffsetMask) + 1));
                s = sEnd - (ulong)count;
                d = dEnd - (ulong)count;
            }
            else
            {
                count = (int)Math.Min(length, (ulong)Math.Min(PAGE_SIZE - (int)(source & PageOffsetMask), PAGE_SIZE - (int)(destination & PageOffsetMask)));
                s = source;
                d = destination;
            }

            CopyChunk(d, s, count, accessMode);
            length -= (ulong)count;
            if (!backward)
            {
                source += (ulong)count;
                destination += (ulong)count;
            }
        }

        ExitAccess();
    }

    /// <summary>RtlCompareMemory: the number of leading bytes that match.</summary>
    internal ulong Compare(ulong first, ulong second, ulong length)
    {
        Span<byte> a = stackalloc byte[256];
        Span<byte> b = stackalloc byte[256];
        ulong matched = 0;
        while (matched < length)
        {
            var count = (int)Math.Min(256UL, length - matched);
            Read(first + matched, a[..count]);
            Read(second + matched, b[..count]);
            var same = a[..count].CommonPrefixLength(b[..count]);
            matched += (ulong)same;
            if (same < count)
            {
                break;
            }
        }

        return matched;
    }

    /// <summary>
    /// MmIsAddressValid: true if a read of <paramref name="va"/> would not fault (the page is resident).
    /// Never faults itself.
    /// </summary>
    internal bool IsAddressValid(ulong va)
    {
        if (!IsCanonical(va))
        {
            return false;
        }

        var space = IsUserAddress(va) ? CurrentProcessSpace() : SystemSpace;
        return space is not null && Pte.IsPresent(QueryPte(space, va));
    }

    /// <summary>
    /// Reads what is resident without faulting, paging or bug checking (the debugger's view of memory).
    /// Returns the number of bytes read: it stops at the first page that is not resident.
    /// </summary>
    internal int ReadNoFault(AddressSpace? space, ulong va, Span<byte> destination)
    {
        var done = 0;
        while (done < destination.Length)
        {
            var target = IsUserAddress(va) ? space ?? CurrentProcessSpace() : SystemSpace;
            if (target is null || !TryTranslate(target, va, out var physical))
            {
                break;
            }

            var offset = (int)(va & PageOffsetMask);
            var count = Math.Min(destination.Length - done, PAGE_SIZE - offset);
            _physical.Frame(physical >> PAGE_SHIFT).Slice(offset, count).CopyTo(destination[done..]);
            done += count;
            va += (ulong)count;
        }

        return done;
    }

    /// <summary>The calling thread's process address space, or null (a system thread).</summary>
    internal AddressSpace? CurrentProcessSpace()
    {
        var thread = KTHREAD.Current;
        return thread is not null && thread.Machine == _machine ? thread.AddressSpace : null;
    }

    private void CopyChunk(ulong destination, ulong source, int count, KPROCESSOR_MODE accessMode)
    {
        var sOffset = (int)(source & PageOffsetMask);
        var dOffset = (int)(destination & PageOffsetMask);
        for (var attempt = 0; attempt < 4; attempt++)
        {
            var from = PageFor(source, write: false, accessMode);
            var to = PageFor(destination, write: true, accessMode);

            // Translating the destination can page the source out under memory pressure: use the source
            // frame only if its translation still stands.
            if (TryFastPage(source, write: false, accessMode, out var again) && Unsafe.AreSame(ref from[0], ref again[0]))
            {
                from.Slice(sOffset, count).CopyTo(to.Slice(dOffset, count));
                return;
            }
        }

        Span<byte> staging = stackalloc byte[count];
        PageFor(source, write: false, accessMode).Slice(sOffset, count).CopyTo(staging);
        staging.CopyTo(PageFor(destination, write: true, accessMode).Slice(dOffset, count));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void EnterAccess()
    {
        if (_parallel)
        {
            Interlocked.Increment(ref _activeAccessors);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void ExitAccess()
    {
        if (_parallel)
        {
            Interlocked.Decrement(ref _activeAccessors);
        }
    }

    /// <summary>The frame holding <paramref name="va"/>, translated for the access (inside Enter/ExitAccess).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Span<byte> PageFor(ulong va, bool write, KPROCESSOR_MODE accessMode) =>
        TryFastPage(va, write, accessMode, out var page) ? page : PageForSlow(va, write, accessMode);

    /// <summary>The TLB hit path: no lock, no fault.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool TryFastPage(ulong va, bool write, KPROCESSOR_MODE accessMode, out Span<byte> page)
    {
        ulong[]? tlb;
        var need = Tlb.Valid | (write ? Tlb.WriteOk : 0);
        if ((long)va < 0)
        {
            // Upper half: canonical only if bits 63..47 are all ones; user mode never uses system entries.
            tlb = (long)va >> 47 == -1 && accessMode == KPROCESSOR_MODE.KernelMode ? _systemTlb : null;
        }
        else
        {
            tlb = va >> 47 == 0 ? KTHREAD.Current?.AddressSpace?.Tlb : null;
            need |= accessMode == KPROCESSOR_MODE.UserMode ? Tlb.UserOk : 0;
        }

        if (tlb is not null)
        {
            var vpn = (va >> PAGE_SHIFT) & Tlb.VpnMask;
            // Every TLB has AddressSpace.TlbEntries (a power of two) entries and the index is masked to it.
            var entry = Volatile.Read(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(tlb), (nint)(vpn & AddressSpace.TlbMask)));
            if ((entry >> Tlb.VpnShift) == vpn && (entry & need) == need)
            {
                page = _physical.Frame((entry >> Tlb.FrameShift) & Tlb.FrameMask);
                return true;
            }
        }

        page = default;
        return false;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private Span<byte> PageForSlow(ulong va, bool write, KPROCESSOR_MODE accessMode)
    {
        // Leave the fast-path count while faulting: a trimmer holding the PFN lock may be waiting for it.
        ExitAccess();
        lock (_pfnLock)
        {
            var pfn = ResolveLocked(va, write, accessMode);
            EnterAccess();
            return _physical.Frame(pfn);
        }
    }

    /// <summary>
    /// The page fault handler (MmAccessFault) for one access: returns the frame of a resident, permitted
    /// page after paging it in if needed, or raises what NT raises. Caller holds the PFN lock.
    /// </summary>
    private ulong ResolveLocked(ulong va, bool write, KPROCESSOR_MODE accessMode)
    {
        var thread = KTHREAD.Current;
        if (thread is not null && thread.Machine != _machine)
        {
            thread = null;
        }

        var user = IsUserAddress(va);
        if (!IsCanonical(va))
        {
            // A non-canonical address is a general-protection fault, not a page fault: no IRQL rule applies.
            if (accessMode == KPROCESSOR_MODE.UserMode)
            {
                throw new NtException(NTSTATUS.STATUS_ACCESS_VIOLATION, va, write);
            }

            RaisePageFaultInNonPagedArea(thread, va, write, NonPagedBugCheckVaNotCanonical);
        }

        if (!user && accessMode == KPROCESSOR_MODE.UserMode)
        {
            throw new NtException(NTSTATUS.STATUS_ACCESS_VIOLATION, va, write);
        }

        var space = user ? thread?.AddressSpace : SystemSpace;
        while (true)
        {
            var pteAddress = space is null || space.Destroyed ? 0 : PteAddress(space, va, create: false);
            var pte = pteAddress == 0 ? 0 : ReadPte(pteAddress);
            if (Pte.IsPresent(pte))
            {
                if (accessMode == KPROCESSOR_MODE.UserMode && (pte & Pte.User) == 0)
                {
                    throw new NtException(NTSTATUS.STATUS_ACCESS_VIOLATION, va, write);
                }

                if (write && (pte & Pte.Writable) == 0)
                {
                    if (user)
                    {
                        throw new NtException(NTSTATUS.STATUS_ACCESS_VIOLATION, va, write);
                    }

                    // Kernel code wrote to a read-only system page: ATTEMPTED_WRITE_TO_READONLY_MEMORY with the
                    // address and the PTE.
                    _machine.BugCheck.Raise(BugCheckCode.ATTEMPTED_WRITE_TO_READONLY_MEMORY, va, pte, 0, 0);
                }

                // The processor sets the accessed bit on a TLB fill and the dirty bit on the first write.
                var updated = pte | Pte.Accessed | (write ? Pte.Dirty : 0);
                if (updated != pte)
                {
                    WritePte(pteAddress, updated);
                }

                var flags = Tlb.Valid
                    | ((updated & (Pte.Writable | Pte.Dirty)) == (Pte.Writable | Pte.Dirty) ? Tlb.WriteOk : 0)
                    | ((updated & Pte.User) != 0 ? Tlb.UserOk : 0);
                var vpn = (va >> PAGE_SHIFT) & Tlb.VpnMask;
                Volatile.Write(ref space!.Tlb[(int)vpn & AddressSpace.TlbMask], Tlb.Make(vpn, Pte.Frame(updated), flags));
                return Pte.Frame(updated);
            }

            // Special pool's guard and freed pages are never mapped: the fault handler names the overrun or
            // the use after free before any IRQL rule (MmAccessFault checks special pool first).
            if (pte == 0 && _specialRegion is { } special && special.Contains(va))
            {
                RaiseSpecialPoolFault(thread, va, write);
            }

            // Not present: a page fault. Above APC_LEVEL the fault handler cannot run at all (it may have to
            // wait for the disk), whatever the address: 0xD1 from driver code, 0x0A otherwise.
            var irql = thread?.Processor?.Irql ?? Irql.PASSIVE_LEVEL;
            if (irql >= Irql.DISPATCH_LEVEL)
            {
                RaiseIrqlFault(thread!, va, irql, write);
            }

            if (pte == 0 || !MmProtection.IsAccessible(Pte.SoftwareProtection(pte)))
            {
                if (user)
                {
                    throw new NtException(NTSTATUS.STATUS_ACCESS_VIOLATION, va, write);
                }

                RaisePageFaultInNonPagedArea(thread, va, write, NonPagedBugCheckNotPresentPageTable);
            }

            PageInLocked(space!, va, pteAddress, pte);
        }
    }

    /// <summary>Parameter 4 of 0x50: the address has no valid active page table entry.</summary>
    private const ulong NonPagedBugCheckNotPresentPageTable = 0x2;

    /// <summary>Parameter 4 of 0x50: the address is not canonical.</summary>
    private const ulong NonPagedBugCheckVaNotCanonical = 0x4;

    /// <summary>
    /// PAGE_FAULT_IN_NONPAGED_AREA: parameter 1 the address referenced, 2 the access (x64 since Windows 10
    /// 1507: 0 read, 2 write), 3 the faulting instruction, 4 the kind of fault.
    /// </summary>
    private void RaisePageFaultInNonPagedArea(KTHREAD? thread, ulong va, bool write, ulong kind)
    {
        var pc = thread?.InnermostDriverFrame()?.Address ?? thread?.InnermostFrame()?.Address ?? 0;
        _machine.BugCheck.Raise(BugCheckCode.PAGE_FAULT_IN_NONPAGED_AREA, va, write ? 2UL : 0UL, pc, kind);
    }

    /// <summary>
    /// A page fault at IRQL >= DISPATCH_LEVEL: DRIVER_IRQL_NOT_LESS_OR_EQUAL when driver code made the access,
    /// IRQL_NOT_LESS_OR_EQUAL otherwise; parameters: address, IRQL, 0 read / 1 write, faulting instruction.
    /// </summary>
    private void RaiseIrqlFault(KTHREAD thread, ulong va, byte irql, bool write)
    {
        var access = write ? 1UL : 0UL;
        if (thread.InnermostDriverFrame() is { } driver)
        {
            _machine.BugCheck.Raise(BugCheckCode.DRIVER_IRQL_NOT_LESS_OR_EQUAL, va, irql, access, driver.Address);
        }

        _machine.BugCheck.Raise(BugCheckCode.IRQL_NOT_LESS_OR_EQUAL, va, irql, access, thread.InnermostFrame()?.Address ?? 0);
    }
}
