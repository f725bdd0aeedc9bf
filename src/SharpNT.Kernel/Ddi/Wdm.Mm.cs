using SharpNT.Kernel.Ke;
using SharpNT.Kernel.Mm;

namespace SharpNT.Kernel.Ddi;

/// <summary>
/// The memory manager DDIs of the WDM facade: MDLs, memory helpers, and the typed accessors a C# driver uses
/// where C dereferences a pointer. Every access goes through the checked path at the calling thread's IRQL.
/// </summary>
public static partial class Wdm
{
    public const int PAGE_SIZE = MemoryManager.PAGE_SIZE;
    public const int PAGE_SHIFT = MemoryManager.PAGE_SHIFT;

    public const LOCK_OPERATION IoReadAccess = LOCK_OPERATION.IoReadAccess;
    public const LOCK_OPERATION IoWriteAccess = LOCK_OPERATION.IoWriteAccess;
    public const LOCK_OPERATION IoModifyAccess = LOCK_OPERATION.IoModifyAccess;

    public const MM_PAGE_PRIORITY LowPagePriority = MM_PAGE_PRIORITY.LowPagePriority;
    public const MM_PAGE_PRIORITY NormalPagePriority = MM_PAGE_PRIORITY.NormalPagePriority;
    public const MM_PAGE_PRIORITY HighPagePriority = MM_PAGE_PRIORITY.HighPagePriority;
    public const uint MdlMappingNoWrite = MdlFlags.MdlMappingNoWrite;
    public const uint MdlMappingNoExecute = MdlFlags.MdlMappingNoExecute;

    public const ushort MDL_MAPPED_TO_SYSTEM_VA = SharpNT.Kernel.Io.MDL_FLAGS.MDL_MAPPED_TO_SYSTEM_VA;
    public const ushort MDL_PAGES_LOCKED = SharpNT.Kernel.Io.MDL_FLAGS.MDL_PAGES_LOCKED;
    public const ushort MDL_SOURCE_IS_NONPAGED_POOL = SharpNT.Kernel.Io.MDL_FLAGS.MDL_SOURCE_IS_NONPAGED_POOL;
    public const ushort MDL_ALLOCATED_FIXED_SIZE = SharpNT.Kernel.Io.MDL_FLAGS.MDL_ALLOCATED_FIXED_SIZE;
    public const ushort MDL_PARTIAL = SharpNT.Kernel.Io.MDL_FLAGS.MDL_PARTIAL;
    public const ushort MDL_PARTIAL_HAS_BEEN_MAPPED = SharpNT.Kernel.Io.MDL_FLAGS.MDL_PARTIAL_HAS_BEEN_MAPPED;
    public const ushort MDL_IO_PAGE_READ = SharpNT.Kernel.Io.MDL_FLAGS.MDL_IO_PAGE_READ;
    public const ushort MDL_WRITE_OPERATION = SharpNT.Kernel.Io.MDL_FLAGS.MDL_WRITE_OPERATION;
    public const ushort MDL_IO_SPACE = SharpNT.Kernel.Io.MDL_FLAGS.MDL_IO_SPACE;
    public const ushort MDL_MAPPING_CAN_FAIL = SharpNT.Kernel.Io.MDL_FLAGS.MDL_MAPPING_CAN_FAIL;

    // ---- Address arithmetic (wdm.h macros) -------------------------------------------------------------

    /// <summary>BYTE_OFFSET: the offset of an address within its page.</summary>
    public static uint BYTE_OFFSET(ulong Va) => (uint)(Va & MemoryManager.PageOffsetMask);

    /// <summary>PAGE_ALIGN: the address of the page holding an address.</summary>
    public static ulong PAGE_ALIGN(ulong Va) => Va & ~MemoryManager.PageOffsetMask;

    /// <summary>ROUND_TO_PAGES: a size rounded up to whole pages.</summary>
    public static ulong ROUND_TO_PAGES(ulong Size) => (Size + MemoryManager.PageOffsetMask) & ~MemoryManager.PageOffsetMask;

    /// <summary>BYTES_TO_PAGES: the pages a size needs.</summary>
    public static ulong BYTES_TO_PAGES(ulong Size) => (Size + MemoryManager.PageOffsetMask) >> PAGE_SHIFT;

    /// <summary>ADDRESS_AND_SIZE_TO_SPAN_PAGES: the pages a buffer touches.</summary>
    public static ulong ADDRESS_AND_SIZE_TO_SPAN_PAGES(ulong Va, ulong Size) => MemoryManager.SpanPages(Va, Size);

    // ---- Memory access ---------------------------------------------------------------------------------

    /// <summary>Reads a value at an address: what *(T*)Address does in C, checked (faults as NT would).</summary>
    public static T ReadMemory<T>(ulong Address)
        where T : unmanaged => Mm.Read<T>(Address);

    /// <summary>Writes a value at an address: *(T*)Address = Value, checked.</summary>
    public static void WriteMemory<T>(ulong Address, T Value)
        where T : unmanaged => Mm.Write(Address, Value);

    /// <summary>Copies simulated memory at an address into a host buffer, checked.</summary>
    public static void CopyToHost(ulong Address, Span<byte> Destination) => Mm.Read(Address, Destination);

    /// <summary>Copies a host buffer into simulated memory at an address, checked.</summary>
    public static void CopyFromHost(ulong Address, ReadOnlySpan<byte> Source) => Mm.Write(Address, Source);

    /// <summary>RtlCopyMemory: copies Length bytes (any IRQL the memory allows).</summary>
    public static void RtlCopyMemory(ulong Destination, ulong Source, ulong Length) => Mm.Copy(Destination, Source, Length);

    /// <summary>RtlMoveMemory: as RtlCopyMemory; the ranges may overlap.</summary>
    public static void RtlMoveMemory(ulong Destination, ulong Source, ulong Length) => Mm.Copy(Destination, Source, Length);

    /// <summary>RtlZeroMemory: fills Length bytes with zeros.</summary>
    public static void RtlZeroMemory(ulong Destination, ulong Length) => Mm.Fill(Destination, Length, 0);

    /// <summary>RtlFillMemory: fills Length bytes with Fill.</summary>
    public static void RtlFillMemory(ulong Destination, ulong Length, byte Fill) => Mm.Fill(Destination, Length, Fill);

    /// <summary>RtlCompareMemory: the number of leading bytes that are equal.</summary>
    public static ulong RtlCompareMemory(ulong Source1, ulong Source2, ulong Length) => Mm.Compare(Source1, Source2, Length);

    /// <summary>MmIsAddressValid: IRQL &lt;= DISPATCH_LEVEL; true if touching the address would not fault.</summary>
    public static bool MmIsAddressValid(ulong VirtualAddress) => Mm.IsAddressValid(VirtualAddress);

    // ---- MDLs ------------------------------------------------------------------------------------------

    /// <summary>
    /// IoAllocateMdl: IRQL &lt;= DISPATCH_LEVEL. An unlocked MDL for the buffer, attached to Irp (a PIRP; 0 for
    /// none) as its MdlAddress or, with SecondaryBuffer, at the end of its MDL chain. NULL on failure.
    /// </summary>
    public static ulong IoAllocateMdl(ulong VirtualAddress, uint Length, bool SecondaryBuffer, bool ChargeQuota, ulong Irp) =>
        Mm.AllocateMdl(VirtualAddress, Length, SecondaryBuffer, ChargeQuota, Irp);

    /// <summary>IoFreeMdl: IRQL &lt;= DISPATCH_LEVEL. The MDL must have been unlocked first.</summary>
    public static void IoFreeMdl(ulong Mdl) => Mm.FreeMdl(Mdl);

    /// <summary>
    /// MmProbeAndLockPages: IRQL &lt;= APC_LEVEL for pageable memory, &lt;= DISPATCH_LEVEL for nonpaged.
    /// Raises STATUS_ACCESS_VIOLATION when the buffer cannot be accessed as asked (callers use try/except).
    /// </summary>
    public static void MmProbeAndLockPages(ulong MemoryDescriptorList, KPROCESSOR_MODE AccessMode, LOCK_OPERATION Operation) =>
        Mm.ProbeAndLockPages(MemoryDescriptorList, AccessMode, Operation);

    /// <summary>MmUnlockPages: IRQL &lt;= DISPATCH_LEVEL; also releases the MDL's system mapping.</summary>
    public static void MmUnlockPages(ulong MemoryDescriptorList) => Mm.UnlockPages(MemoryDescriptorList);

    /// <summary>
    /// MmGetSystemAddressForMdlSafe: IRQL &lt;= DISPATCH_LEVEL. The system address of the MDL's buffer, mapping
    /// its locked pages the first time; NULL if they cannot be mapped. Priority may carry MdlMappingNoWrite.
    /// </summary>
    public static ulong MmGetSystemAddressForMdlSafe(ulong Mdl, uint Priority) => Mm.GetSystemAddressForMdl(Mdl, Priority);

    /// <inheritdoc cref="MmGetSystemAddressForMdlSafe(ulong, uint)"/>
    public static ulong MmGetSystemAddressForMdlSafe(ulong Mdl, MM_PAGE_PRIORITY Priority) => Mm.GetSystemAddressForMdl(Mdl, (uint)Priority);

    /// <summary>MmUnmapLockedPages: IRQL &lt;= DISPATCH_LEVEL; releases a system mapping of an MDL.</summary>
    public static void MmUnmapLockedPages(ulong BaseAddress, ulong MemoryDescriptorList) => Mm.UnmapLockedPages(BaseAddress, MemoryDescriptorList);

    /// <summary>MmBuildMdlForNonPagedPool: IRQL &lt;= DISPATCH_LEVEL; describes nonpaged memory, no locking needed.</summary>
    public static void MmBuildMdlForNonPagedPool(ulong MemoryDescriptorList) => Mm.BuildMdlForNonPagedPool(MemoryDescriptorList);

    /// <summary>MmInitializeMdl: fills in the header of a caller-allocated MDL.</summary>
    public static void MmInitializeMdl(ulong MemoryDescriptorList, ulong BaseVa, ulong Length) => Mm.InitializeMdl(MemoryDescriptorList, BaseVa, Length);

    /// <summary>MmSizeOfMdl: the bytes an MDL for the buffer needs (header and PFN array).</summary>
    public static ulong MmSizeOfMdl(ulong Base, ulong Length) => MemoryManager.SizeOfMdl(Base, Length);

    /// <summary>MmGetMdlVirtualAddress: StartVa + ByteOffset.</summary>
    public static ulong MmGetMdlVirtualAddress(ulong Mdl) =>
        Mm.Read<ulong>(Mdl + SharpNT.Kernel.Io.Layout.MdlLayout.StartVa) + Mm.Read<uint>(Mdl + SharpNT.Kernel.Io.Layout.MdlLayout.ByteOffset);

    /// <summary>MmGetMdlBaseVa: StartVa, the page-aligned start.</summary>
    public static ulong MmGetMdlBaseVa(ulong Mdl) => Mm.Read<ulong>(Mdl + SharpNT.Kernel.Io.Layout.MdlLayout.StartVa);

    /// <summary>MmGetMdlByteCount: the buffer's length.</summary>
    public static uint MmGetMdlByteCount(ulong Mdl) => Mm.Read<uint>(Mdl + SharpNT.Kernel.Io.Layout.MdlLayout.ByteCount);

    /// <summary>MmGetMdlByteOffset: the buffer's offset in its first page.</summary>
    public static uint MmGetMdlByteOffset(ulong Mdl) => Mm.Read<uint>(Mdl + SharpNT.Kernel.Io.Layout.MdlLayout.ByteOffset);

    /// <summary>MmGetMdlPfnArray: the address of the PFN array that follows the header.</summary>
    public static ulong MmGetMdlPfnArray(ulong Mdl) => Mdl + (ulong)SharpNT.Kernel.Io.Layout.MdlLayout.Size;
}
