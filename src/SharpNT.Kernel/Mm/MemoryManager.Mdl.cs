using SharpNT.Kernel.Ke;
using SharpNT.Kernel.Io.Layout;
using static SharpNT.Kernel.Io.MDL_FLAGS;
using static SharpNT.Kernel.Mm.MdlFlags;

namespace SharpNT.Kernel.Mm;

/// <summary>
/// Memory descriptor lists: the MDL lives in nonpaged pool in its x64 layout (see <see cref="MdlLayout"/>)
/// and every routine reads and writes it there, so a driver that looks at the fields sees what it would see
/// on NT.
/// </summary>
internal sealed partial class MemoryManager
{
    /// <summary>The pool tag of MDLs ("Mdl ").</summary>
    private static readonly uint MdlPoolTag = PoolTags.FromString("Mdl ");

    /// <summary>
    /// MDL.AllocationProcessorNumber and MDL.Reserved, in the padding after MdlFlags; the WDK names them
    /// but mingw's headers (which the layout test checks against) do not, so they live here.
    /// </summary>
    private const int MdlAllocationProcessorNumber = 0x0C;

    private const int MdlReserved = 0x0E;

    /// <summary>
    /// The largest buffer one MDL can describe: its Size field (a 16-bit count of bytes) must hold the header
    /// and the PFN array.
    /// </summary>
    internal const ulong MaxMdlByteCount = ((ushort.MaxValue - MdlLayout.Size) / 8) * (ulong)PAGE_SIZE - PAGE_SIZE;

    /// <summary>ADDRESS_AND_SIZE_TO_SPAN_PAGES: how many pages a buffer touches.</summary>
    internal static ulong SpanPages(ulong va, ulong size) =>
        size == 0 ? 0 : (((va & PageOffsetMask) + size + PageOffsetMask) >> PAGE_SHIFT);

    /// <summary>MmSizeOfMdl: the bytes an MDL for the buffer needs.</summary>
    internal static ulong SizeOfMdl(ulong baseVa, ulong length) => MdlLayout.Size + (SpanPages(baseVa, length) * 8);

    /// <summary>
    /// IoAllocateMdl: an MDL from nonpaged pool describing the buffer (not yet locked). With an IRP, the MDL
    /// becomes Irp->MdlAddress, or is chained at the end of that list when SecondaryBuffer is true. NULL when
    /// the buffer is too large or pool is short. IRQL &lt;= DISPATCH_LEVEL.
    /// </summary>
    internal ulong AllocateMdl(ulong virtualAddress, uint length, bool secondaryBuffer, bool chargeQuota, ulong irp)
    {
        if (length > MaxMdlByteCount)
        {
            return 0;
        }

        var size = SizeOfMdl(virtualAddress, length);
        var mdl = AllocatePoolWithTag(POOL_TYPE.NonPagedPoolNx, size, MdlPoolTag);
        if (mdl == 0)
        {
            return 0;
        }

        InitializeMdl(mdl, virtualAddress, length);
        Write(mdl + MdlLayout.MdlFlags, MDL_ALLOCATED_FIXED_SIZE);
        Write(mdl + MdlAllocationProcessorNumber, (ushort)(KTHREAD.Current?.Processor?.Number ?? 0));

        // ChargeQuota is documented as reserved (drivers pass FALSE): no quota is charged for it.
        _ = chargeQuota;
        if (irp != 0)
        {
            if (!secondaryBuffer)
            {
                Write(irp + IrpLayout.MdlAddress, mdl);
            }
            else
            {
                var link = irp + IrpLayout.MdlAddress;
                var next = Read<ulong>(link);
                while (next != 0)
                {
                    link = next + MdlLayout.Next;
                    next = Read<ulong>(link);
                }

                Write(link, mdl);
            }
        }

        return mdl;
    }

    /// <summary>MmInitializeMdl: fills in the header of a caller-allocated MDL for a buffer.</summary>
    internal void InitializeMdl(ulong mdl, ulong baseVa, ulong length)
    {
        Write(mdl + MdlLayout.Next, 0UL);
        Write(mdl + MdlLayout.SizeField, (ushort)SizeOfMdl(baseVa, length));
        Write(mdl + MdlLayout.MdlFlags, (ushort)0);
        Write(mdl + MdlAllocationProcessorNumber, (ushort)0);
        Write(mdl + MdlReserved, (ushort)0);
        Write(mdl + MdlLayout.Process, 0UL);
        Write(mdl + MdlLayout.MappedSystemVa, 0UL);
        Write(mdl + MdlLayout.StartVa, baseVa & ~PageOffsetMask);
        Write(mdl + MdlLayout.ByteCount, (uint)length);
        Write(mdl + MdlLayout.ByteOffset, (uint)(baseVa & PageOffsetMask));
    }

    /// <summary>
    /// IoFreeMdl: releases an MDL IoAllocateMdl made. A partial MDL's mapping is released first, as
    /// MmPrepareMdlForReuse does; pages the MDL still holds locked stay locked (the leak NT reports when the
    /// process ends: PROCESS_HAS_LOCKED_PAGES).
    /// </summary>
    internal void FreeMdl(ulong mdl)
    {
        var flags = Read<ushort>(mdl + MdlLayout.MdlFlags);
        if ((flags & MDL_PARTIAL_HAS_BEEN_MAPPED) != 0)
        {
            UnmapLockedPages(Read<ulong>(mdl + MdlLayout.MappedSystemVa), mdl);
        }

        FreePool(mdl, MdlPoolTag);
    }

    /// <summary>
    /// MmProbeAndLockPages: checks that the caller may access the buffer (for UserMode, that it lies in user
    /// space and each page allows the access, raising STATUS_ACCESS_VIOLATION otherwise), makes each page
    /// resident, locks it so no trim can take it, and fills the PFN array. IRQL &lt;= APC_LEVEL for pageable
    /// memory, &lt;= DISPATCH_LEVEL for nonpaged.
    /// </summary>
    internal void ProbeAndLockPages(ulong mdl, KPROCESSOR_MODE accessMode, LOCK_OPERATION operation)
    {
        CheckMdlIrql(mdl);
        var startVa = Read<ulong>(mdl + MdlLayout.StartVa);
        var byteOffset = Read<uint>(mdl + MdlLayout.ByteOffset);
        var byteCount = Read<uint>(mdl + MdlLayout.ByteCount);
        var flags = Read<ushort>(mdl + MdlLayout.MdlFlags);
        var va = startVa + byteOffset;
        var write = operation != LOCK_OPERATION.IoReadAccess;
        if (accessMode == KPROCESSOR_MODE.UserMode && (va + byteCount > UserProbeAddress || va + byteCount < va))
        {
            // ProbeForRead/ProbeForWrite semantics: the whole range must lie below MmUserProbeAddress.
            throw new NtException(NTSTATUS.STATUS_ACCESS_VIOLATION, va + byteCount > UserProbeAddress ? UserProbeAddress : va, write);
        }

        var pages = (int)SpanPages(va, byteCount);
        var user = IsUserAddress(va);
        var space = user ? CurrentProcessSpace() : SystemSpace;
        lock (_pfnLock)
        {
            for (var i = 0; i < pages; i++)
            {
                ulong pfn;
                try
                {
                    pfn = ResolveLocked(startVa + ((ulong)i << PAGE_SHIFT), write, accessMode);
                }
                catch (NtException)
                {
                    // Pages locked so far are released before the exception reaches the caller's handler.
                    for (var j = 0; j < i; j++)
                    {
                        UnlockFrameLocked(Read<ulong>(mdl + MdlLayout.Size + ((ulong)j * 8)));
                    }

                    throw;
                }

                _pfn[pfn].LockCount++;
                Write(mdl + MdlLayout.Size + ((ulong)i * 8), pfn);
            }

            if (user && space is not null)
            {
                space.LockedPages += pages;
            }
        }

        flags |= MDL_PAGES_LOCKED;
        flags = write ? (ushort)(flags | MDL_WRITE_OPERATION) : (ushort)(flags & ~MDL_WRITE_OPERATION);
        Write(mdl + MdlLayout.Process, user ? space?.ProcessAddress ?? 0 : 0UL);
        Write(mdl + MdlLayout.MdlFlags, flags);
    }

    /// <summary>
    /// MmUnlockPages: releases the system mapping if there is one, then unlocks the pages. Unlocking a
    /// process MDL that is not locked is PROCESS_HAS_LOCKED_PAGES (1); unlocking a frame more times than it
    /// was locked is PFN_LIST_CORRUPT (7). IRQL &lt;= DISPATCH_LEVEL.
    /// </summary>
    internal void UnlockPages(ulong mdl)
    {
        CheckMdlIrql(mdl);
        var flags = Read<ushort>(mdl + MdlLayout.MdlFlags);
        if ((flags & MDL_SOURCE_IS_NONPAGED_POOL) != 0)
        {
            // Built by MmBuildMdlForNonPagedPool: nothing was locked.
            return;
        }

        if ((flags & MDL_MAPPED_TO_SYSTEM_VA) != 0)
        {
            UnmapLockedPages(Read<ulong>(mdl + MdlLayout.MappedSystemVa), mdl);
            flags = Read<ushort>(mdl + MdlLayout.MdlFlags);
        }

        var process = Read<ulong>(mdl + MdlLayout.Process);
        var space = process == 0 ? null : FindProcessSpace(process);
        var startVa = Read<ulong>(mdl + MdlLayout.StartVa);
        var pages = (int)SpanPages(startVa + Read<uint>(mdl + MdlLayout.ByteOffset), Read<uint>(mdl + MdlLayout.ByteCount));
        if ((flags & MDL_PAGES_LOCKED) == 0 && space is not null)
        {
            _machine.BugCheck.Raise(BugCheckCode.PROCESS_HAS_LOCKED_PAGES, 1, mdl, (ulong)space.LockedPages, 0);
        }

        lock (_pfnLock)
        {
            for (var i = 0; i < pages; i++)
            {
                UnlockFrameLocked(Read<ulong>(mdl + MdlLayout.Size + ((ulong)i * 8)));
            }

            if (space is not null)
            {
                space.LockedPages -= pages;
            }
        }

        Write(mdl + MdlLayout.MdlFlags, (ushort)(flags & ~(MDL_PAGES_LOCKED | MDL_WRITE_OPERATION)));
    }

    /// <summary>
    /// MmBuildMdlForNonPagedPool: fills the PFN array of an MDL describing nonpaged memory and gives it its
    /// system address (the buffer's own); the MDL is not locked and needs no unlocking.
    /// </summary>
    internal void BuildMdlForNonPagedPool(ulong mdl)
    {
        var startVa = Read<ulong>(mdl + MdlLayout.StartVa);
        var byteOffset = Read<uint>(mdl + MdlLayout.ByteOffset);
        var pages = (int)SpanPages(startVa + byteOffset, Read<uint>(mdl + MdlLayout.ByteCount));
        lock (_pfnLock)
        {
            for (var i = 0; i < pages; i++)
            {
                var pfn = ResolveLocked(startVa + ((ulong)i << PAGE_SHIFT), write: false, KPROCESSOR_MODE.KernelMode);
                Write(mdl + MdlLayout.Size + ((ulong)i * 8), pfn);
            }
        }

        var flags = Read<ushort>(mdl + MdlLayout.MdlFlags);
        Write(mdl + MdlLayout.MdlFlags, (ushort)(flags | MDL_SOURCE_IS_NONPAGED_POOL));
        Write(mdl + MdlLayout.MappedSystemVa, startVa + byteOffset);
        Write(mdl + MdlLayout.Process, 0UL);
    }

    /// <summary>
    /// MmGetSystemAddressForMdlSafe (MmMapLockedPagesSpecifyCache, KernelMode): the MDL's system address,
    /// mapping its pages into system PTE space the first time. NULL when no system PTEs are left or the PFN
    /// array names frames the machine does not have. IRQL &lt;= DISPATCH_LEVEL.
    /// </summary>
    internal ulong GetSystemAddressForMdl(ulong mdl, uint priority)
    {
        CheckMdlIrql(mdl);
        var flags = Read<ushort>(mdl + MdlLayout.MdlFlags);
        if ((flags & (MDL_MAPPED_TO_SYSTEM_VA | MDL_SOURCE_IS_NONPAGED_POOL)) != 0)
        {
            return Read<ulong>(mdl + MdlLayout.MappedSystemVa);
        }

        var startVa = Read<ulong>(mdl + MdlLayout.StartVa);
        var byteOffset = Read<uint>(mdl + MdlLayout.ByteOffset);
        var pages = (int)SpanPages(startVa + byteOffset, Read<uint>(mdl + MdlLayout.ByteCount));
        var protection = (priority & MdlMappingNoWrite) != 0 ? MmProtection.MM_READONLY : MmProtection.MM_READWRITE;
        ulong va;
        lock (_pfnLock)
        {
            for (var i = 0; i < pages; i++)
            {
                var pfn = Read<ulong>(mdl + MdlLayout.Size + ((ulong)i * 8));
                if (pfn == 0 || pfn >= (ulong)TotalFrames)
                {
                    return 0;
                }
            }

            var index = SystemPteRegion.Allocate(Math.Max(pages, 1));
            if (index < 0)
            {
                return 0;
            }

            va = SystemPteRegion.PageAddress(index);
            for (var i = 0; i < pages; i++)
            {
                // A second PTE for a frame its owner still maps: the PFN keeps naming the owner's PTE.
                var pfn = Read<ulong>(mdl + MdlLayout.Size + ((ulong)i * 8));
                var pteAddress = PteAddress(SystemSpace, va + ((ulong)i << PAGE_SHIFT), create: true);
                WritePte(pteAddress, Pte.MakeValid(pfn, protection, user: false));
            }
        }

        var systemVa = va + byteOffset;
        Write(mdl + MdlLayout.MappedSystemVa, systemVa);
        Write(mdl + MdlLayout.MdlFlags, (ushort)(flags | ((flags & MDL_PARTIAL) != 0 ? MDL_PARTIAL_HAS_BEEN_MAPPED : MDL_MAPPED_TO_SYSTEM_VA)));
        return systemVa;
    }

    /// <summary>MmUnmapLockedPages for a system mapping: removes the system PTEs and clears the MDL's mapping flag.</summary>
    internal void UnmapLockedPages(ulong baseAddress, ulong mdl)
    {
        var byteOffset = Read<uint>(mdl + MdlLayout.ByteOffset);
        var pages = (int)SpanPages(baseAddress, Read<uint>(mdl + MdlLayout.ByteCount));
        var va = baseAddress - byteOffset;
        if (!SystemPteRegion.Contains(va))
        {
            // Not a mapping this routine made: SYSTEM_PTE_MISUSE would follow on NT; the MDL is left alone.
            _machine.BugCheck.Raise(BugCheckCode.DRIVER_UNMAPPING_INVALID_VIEW, baseAddress, 1, 0, 0);
        }

        lock (_pfnLock)
        {
            for (var i = 0; i < Math.Max(pages, 1); i++)
            {
                var pageVa = va + ((ulong)i << PAGE_SHIFT);
                var pteAddress = PteAddress(SystemSpace, pageVa, create: false);
                if (pteAddress != 0)
                {
                    WritePte(pteAddress, 0);
                    InvalidateTlb(SystemSpace, pageVa);
                }
            }

            SystemPteRegion.Free(SystemPteRegion.PageIndex(va), Math.Max(pages, 1));
        }

        var flags = Read<ushort>(mdl + MdlLayout.MdlFlags);
        Write(mdl + MdlLayout.MdlFlags, (ushort)(flags & ~(MDL_MAPPED_TO_SYSTEM_VA | MDL_PARTIAL_HAS_BEEN_MAPPED)));
    }

    /// <summary>The MDL routines run at IRQL &lt;= DISPATCH_LEVEL; above it, IRQL_NOT_LESS_OR_EQUAL.</summary>
    private void CheckMdlIrql(ulong mdl)
    {
        var irql = CurrentIrql();
        if (irql > Irql.DISPATCH_LEVEL)
        {
            _machine.BugCheck.Raise(BugCheckCode.IRQL_NOT_LESS_OR_EQUAL, mdl, irql, 0, CallerAddress());
        }
    }

    private void UnlockFrameLocked(ulong pfn)
    {
        if (pfn >= (ulong)TotalFrames || _pfn[pfn].LockCount == 0)
        {
            _machine.BugCheck.Raise(BugCheckCode.PFN_LIST_CORRUPT, 7, pfn, pfn < (ulong)TotalFrames ? (ulong)_pfn[pfn].LockCount : 0, 0);
        }

        ref var entry = ref _pfn[pfn];
        entry.LockCount--;
        if (entry.LockCount == 0 && entry.Orphaned)
        {
            FreeFrameLocked(pfn);
        }
    }
}
