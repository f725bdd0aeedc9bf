using System.Diagnostics;
using SharpNT.Kernel.Ke;

namespace SharpNT.Kernel.Mm;

/// <summary>
/// The memory manager (Mm): physical page frames and the PFN database, x64 page tables held in those frames,
/// the system and per-process address spaces, nonpaged and paged pool, paging to the pagefile with a
/// working-set trimmer, the checked access path every driver-visible byte goes through, and MDLs.
/// <para>
/// Locking: the PFN lock guards frames, page tables, the pagefile and the working set; each pool has its own
/// lock, taken before the PFN lock when both are needed. Checked accesses that hit the software TLB take no
/// lock at all.
/// </para>
/// </summary>
internal sealed partial class MemoryManager
{
    internal const int PAGE_SIZE = 0x1000;
    internal const int PAGE_SHIFT = 12;
    internal const ulong PageOffsetMask = PAGE_SIZE - 1;

    /// <summary>MmSystemRangeStart on x64 (Windows 7): the lowest address of system space.</summary>
    internal const ulong SystemRangeStart = 0xFFFF0800_00000000UL;

    /// <summary>MM_HIGHEST_USER_ADDRESS on x64.</summary>
    internal const ulong HighestUserAddress = 0x0000_7FFF_FFFE_FFFFUL;

    /// <summary>MM_LOWEST_USER_ADDRESS: the first 64 KiB are never mapped.</summary>
    internal const ulong LowestUserAddress = 0x0000_0000_0001_0000UL;

    /// <summary>MmUserProbeAddress: ProbeForRead/ProbeForWrite fail at or above it.</summary>
    internal const ulong UserProbeAddress = 0x0000_7FFF_FFFF_0000UL;

    /// <summary>
    /// Nonpaged pool, as on Windows 7 x64 at 0xFFFFFA80`00000000 after the PFN database; the first 64 MiB
    /// stay reserved for the PFN database and the kernel objects the Ke model addresses there.
    /// </summary>
    internal const ulong NonPagedPoolStart = 0xFFFFFA80_04000000UL;

    /// <summary>Paged pool, at its Windows 7 x64 base.</summary>
    internal const ulong PagedPoolStart = 0xFFFFF8A0_00000000UL;

    /// <summary>
    /// System PTEs (MDL mappings): in the Windows 7 system PTE area 0xFFFFF880`xxxxxxxx, above the 1 GiB
    /// the module list places driver images in.
    /// </summary>
    internal const ulong SystemPteStart = 0xFFFFF880_40000000UL;

    internal const int SystemPtePages = (1 << 30) / PAGE_SIZE;

    /// <summary>
    /// The kernel PML4 slots whose PDPTs are created at boot (0xFFFFF800`00000000-0xFFFFFAFF`FFFFFFFF:
    /// kernel image, system PTEs, paged pool, nonpaged pool). Every address space copies these entries, so
    /// all share the kernel half's lower tables.
    /// </summary>
    private const int FirstKernelPml4Index = 0x1F0;
    private const int LastKernelPml4Index = 0x1F5;

    private readonly Machine _machine;
    private readonly PhysicalMemory _physical;

    /// <summary>The system address space's TLB, held here so a kernel access reaches it in one load.</summary>
    private readonly ulong[] _systemTlb;
    private readonly PfnEntry[] _pfn;

    /// <summary>The process address space a pageable user frame belongs to; null for system pages.</summary>
    private readonly AddressSpace?[] _pfnOwner;
    private readonly int[] _freeFrames;
    private readonly Pagefile _pagefile;
    private readonly Lock _pfnLock = new();
    private readonly List<AddressSpace> _processSpaces = [];
    private readonly byte[] _pageScratch = new byte[PAGE_SIZE];
    private readonly bool _parallel;
    private readonly int _lowFrames;
    private readonly int _highFrames;
    private int _freeCount;
    private int _workingSetHead = -1;
    private int _workingSetTail = -1;
    private int _nextSpaceId = 1;
    private long _commitLimit;
    private long _committed;

    /// <summary>Fast-path accesses in progress (parallel mode): a frame is not reused while any run.</summary>
    private int _activeAccessors;
    private bool _quiesceBeforeReuse;

    internal MemoryManager(Machine machine, MachineDescription description)
    {
        _machine = machine;
        _parallel = description.Scheduling == SchedulingMode.Parallel;
        _physical = new PhysicalMemory(description.MemoryMiB);
        _pagefile = new Pagefile(description.PagefileMiB);
        var frames = _physical.FrameCount;
        _pfn = new PfnEntry[frames];
        _pfnOwner = new AddressSpace?[frames];
        _freeFrames = new int[frames];

        // Frame 0 stays out of use. The free list is a stack: the lowest frame is handed out first.
        _pfn[0].State = PfnState.Reserved;
        for (var f = frames - 1; f >= 1; f--)
        {
            _pfn[f].WorkingSetNext = -1;
            _pfn[f].WorkingSetPrevious = -1;
            _freeFrames[_freeCount++] = f;
        }

        // The trimmer starts below 1/64 of memory free and stops at 1/32 (MmMinimumFreePages' role).
        _lowFrames = Math.Max(16, frames / 64);
        _highFrames = Math.Max(32, frames / 32);
        _commitLimit = (frames - 1) + _pagefile.UsableSlots;

        var pml4 = AllocateFrameLocked(zero: true, pageable: false) ?? throw new InvalidOperationException("No memory for the system PML4.");
        _pfn[pml4].State = PfnState.PageTable;
        SystemSpace = new AddressSpace(0, (ulong)pml4, isSystem: true, processAddress: 0);
        _systemTlb = SystemSpace.Tlb;
        for (var i = FirstKernelPml4Index; i <= LastKernelPml4Index; i++)
        {
            var pdpt = AllocatePageTableFrame();
            WritePte(((ulong)pml4 << PAGE_SHIFT) + ((ulong)i * 8), Pte.MakeTable(pdpt, user: false));
        }

        NonPagedRegion = new SystemVaRegion("NonPagedPool", NonPagedPoolStart, frames);
        PagedRegion = new SystemVaRegion("PagedPool", PagedPoolStart, frames + _pagefile.UsableSlots);
        SystemPteRegion = new SystemVaRegion("SystemPtes", SystemPteStart, SystemPtePages);
        NonPagedPool = new PoolDescriptor(paged: false, NonPagedRegion, description.Processors);
        PagedPool = new PoolDescriptor(paged: true, PagedRegion, description.Processors);
        Debug.Assert(Pml4Index(SystemPteStart) >= FirstKernelPml4Index && Pml4Index(NonPagedRegion.End - 1) <= LastKernelPml4Index,
            "every system region lies under a kernel PML4 entry created at boot");
        Debug.Assert(Pml4Index(PagedRegion.End - 1) <= LastKernelPml4Index, "paged pool fits under the boot PML4 entries");
    }

    internal Machine Machine => _machine;

    internal AddressSpace SystemSpace { get; }

    internal SystemVaRegion NonPagedRegion { get; }

    internal SystemVaRegion PagedRegion { get; }

    internal SystemVaRegion SystemPteRegion { get; }

    internal PoolDescriptor NonPagedPool { get; }

    internal PoolDescriptor PagedPool { get; }

    internal PhysicalMemory Physical => _physical;

    internal Pagefile Pagefile => _pagefile;

    /// <summary>Physical page frames of the machine.</summary>
    internal int TotalFrames => _physical.FrameCount;

    internal int FreeFrames
    {
        get
        {
            lock (_pfnLock)
            {
                return _freeCount;
            }
        }
    }

    /// <summary>Pages committed (charged against the commit limit: physical memory plus pagefile).</summary>
    internal long CommittedPages => Interlocked.Read(ref _committed);

    internal long CommitLimit => _commitLimit;

    /// <summary>Pageable pages resident in memory (the system and process working sets).</summary>
    internal int ResidentPageablePages { get; private set; }

    /// <summary>Pages currently held in the pagefile.</summary>
    internal int PagedOutPages => _pagefile.UsedSlots;

    /// <summary>Pages written to the pagefile since boot.</summary>
    internal long PageOuts { get; private set; }

    /// <summary>Pages read back from the pagefile since boot.</summary>
    internal long PageIns { get; private set; }

    /// <summary>The PFN database entry of a frame (for the debugger and tests).</summary>
    internal PfnEntry QueryPfn(ulong pfn)
    {
        lock (_pfnLock)
        {
            return _pfn[pfn];
        }
    }

    internal IReadOnlyList<PoolTagUsage> QueryPoolUsage()
    {
        var all = new List<PoolTagUsage>();
        NonPagedPool.Tags.Snapshot(all);
        PagedPool.Tags.Snapshot(all);
        all.Sort((a, b) => a.Paged != b.Paged ? a.Paged.CompareTo(b.Paged) : string.CompareOrdinal(a.Tag, b.Tag));
        return all;
    }

    internal static int Pml4Index(ulong va) => (int)((va >> 39) & 0x1FF);

    internal static bool IsCanonical(ulong va) => (ulong)((long)va >> 47) + 1 <= 1;

    internal static bool IsKernelAddress(ulong va) => va >= 0xFFFF8000_00000000UL;

    internal static bool IsUserAddress(ulong va) => va < 0x0000_8000_0000_0000UL;

    // ---- Commit ---------------------------------------------------------------------------------------

    /// <summary>Charges commit for <paramref name="pages"/>; false when the commit limit would be passed.</summary>
    private bool ChargeCommit(long pages)
    {
        while (true)
        {
            var current = Interlocked.Read(ref _committed);
            if (current + pages > _commitLimit)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _committed, current + pages, current) == current)
            {
                return true;
            }
        }
    }

    private void ReturnCommit(long pages) => Interlocked.Add(ref _committed, -pages);

    // ---- Physical frames ------------------------------------------------------------------------------

    /// <summary>
    /// Takes a free frame (caller holds the PFN lock), trimming pageable pages to the pagefile first when
    /// free memory is low. Null when no frame can be found.
    /// </summary>
    private int? AllocateFrameLocked(bool zero, bool pageable)
    {
        if (_freeCount <= _lowFrames)
        {
            TrimLocked(_highFrames - _freeCount, forced: false);
        }

        if (_freeCount == 0)
        {
            return null;
        }

        if (_quiesceBeforeReuse)
        {
            QuiesceAccessors();
        }

        var pfn = _freeFrames[--_freeCount];
        ref var entry = ref _pfn[pfn];
        Debug.Assert(entry.State == PfnState.Free, "a frame on the free list is not free");
        entry = default;
        entry.State = PfnState.Active;
        entry.Pageable = pageable;
        entry.WorkingSetNext = -1;
        entry.WorkingSetPrevious = -1;
        if (zero)
        {
            _physical.Frame((ulong)pfn).Clear();
        }

        return pfn;
    }

    private void FreeFrameLocked(ulong pfn)
    {
        ref var entry = ref _pfn[pfn];
        if (entry.State == PfnState.Free)
        {
            // The free list itself would be corrupted by a second insertion (PFN_LIST_CORRUPT 0x99).
            _machine.BugCheck.Raise(BugCheckCode.PFN_LIST_CORRUPT, 0x99, pfn, (ulong)entry.State, 0);
        }

        if (entry.InWorkingSet)
        {
            RemoveFromWorkingSet((int)pfn);
        }

        entry = default;
        _pfnOwner[pfn] = null;
        entry.State = PfnState.Free;
        entry.WorkingSetNext = -1;
        entry.WorkingSetPrevious = -1;
        _freeFrames[_freeCount++] = (int)pfn;
    }

    /// <summary>Parallel mode: waits until no fast-path access that may hold a stale TLB entry is running.</summary>
    private void QuiesceAccessors()
    {
        _quiesceBeforeReuse = false;
        if (!_parallel)
        {
            return;
        }

        // The TLB entries were cleared with plain stores: order them before reading the count.
        Interlocked.MemoryBarrier();
        var spin = new SpinWait();
        while (Volatile.Read(ref _activeAccessors) != 0 && !_machine.IsHalted)
        {
            spin.SpinOnce();
        }
    }

    private ulong AllocatePageTableFrame()
    {
        var frame = AllocateFrameLocked(zero: true, pageable: false)
            ?? RaiseNoMemory();
        _pfn[frame].State = PfnState.PageTable;
        Interlocked.Increment(ref _committed);
        return (ulong)frame;
    }

    private int RaiseNoMemory()
    {
        // Page tables cannot be paged: with no frame left for one, NT stops with MEMORY_MANAGEMENT (0x1A),
        // parameter 1 0x41790 naming a page table page problem.
        _machine.BugCheck.Raise(BugCheckCode.MEMORY_MANAGEMENT, 0x41790, (ulong)_freeCount, (ulong)TotalFrames, 0);
        return 0;
    }

    // ---- Page tables ----------------------------------------------------------------------------------

    private ulong ReadPte(ulong physicalAddress) => _physical.ReadUInt64(physicalAddress);

    private void WritePte(ulong physicalAddress, ulong value) => _physical.WriteUInt64(physicalAddress, value);

    /// <summary>
    /// Walks the four levels for <paramref name="va"/> and returns the physical address of its PTE; 0 when a
    /// level is missing and <paramref name="create"/> is false. Caller holds the PFN lock.
    /// </summary>
    private ulong PteAddress(AddressSpace space, ulong va, bool create)
    {
        var user = IsUserAddress(va);
        var table = space.Pml4Frame;
        for (var level = 3; level >= 1; level--)
        {
            var index = (va >> (PAGE_SHIFT + (9 * level))) & 0x1FF;
            var entryAddress = (table << PAGE_SHIFT) + (index * 8);
            var entry = ReadPte(entryAddress);
            if (!Pte.IsPresent(entry))
            {
                if (!create || (!user && level == 3))
                {
                    // The kernel half's PML4 entries are fixed at boot: none is ever added later.
                    return 0;
                }

                var next = AllocatePageTableFrame();
                if (user)
                {
                    space.PageTableFrames.Add(next);
                }

                entry = Pte.MakeTable(next, user);
                WritePte(entryAddress, entry);
            }

            table = Pte.Frame(entry);
        }

        return (table << PAGE_SHIFT) + (((va >> PAGE_SHIFT) & 0x1FF) * 8);
    }

    /// <summary>The raw PTE of a virtual address (0 if no page table covers it): for tests and the debugger.</summary>
    internal ulong QueryPte(AddressSpace space, ulong va)
    {
        lock (_pfnLock)
        {
            var address = PteAddress(space, va, create: false);
            return address == 0 ? 0 : ReadPte(address);
        }
    }

    /// <summary>Translates a virtual address to physical without faulting; false if it is not resident.</summary>
    internal bool TryTranslate(AddressSpace space, ulong va, out ulong physicalAddress)
    {
        physicalAddress = 0;
        if (!IsCanonical(va))
        {
            return false;
        }

        var pte = QueryPte(space, va);
        if (!Pte.IsPresent(pte))
        {
            return false;
        }

        physicalAddress = (Pte.Frame(pte) << PAGE_SHIFT) | (va & PageOffsetMask);
        return true;
    }

    /// <summary>Drops a virtual page from the TLB of <paramref name="space"/> (all of them for kernel pages).</summary>
    private void InvalidateTlb(AddressSpace space, ulong va)
    {
        var vpn = (va >> PAGE_SHIFT) & Tlb.VpnMask;
        var index = (int)(vpn & AddressSpace.TlbMask);
        var tlb = space.Tlb;
        if ((tlb[index] >> Tlb.VpnShift) == vpn)
        {
            Volatile.Write(ref tlb[index], 0);
        }

        _quiesceBeforeReuse = true;
    }

    /// <summary>Maps a fresh frame at <paramref name="va"/> (caller holds the PFN lock).</summary>
    private void MapFrameLocked(AddressSpace space, ulong va, int pfn, uint mmProtection)
    {
        var pteAddress = PteAddress(space, va, create: true);
        var user = IsUserAddress(va);
        WritePte(pteAddress, Pte.MakeValid((ulong)pfn, mmProtection, user));
        ref var entry = ref _pfn[pfn];
        entry.PteAddress = pteAddress;
        entry.VirtualAddress = va;
        _pfnOwner[pfn] = user ? space : null;
        if (entry.Pageable)
        {
            InsertWorkingSet(pfn);
        }
    }
}
