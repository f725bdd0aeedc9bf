using SharpNT.Kernel.Ex;
using SharpNT.Kernel.Ke;
using SharpNT.Kernel.Ps;

namespace SharpNT.Kernel.Mm;

/// <summary>NtAllocateVirtualMemory and NtFreeVirtualMemory: what VirtualAlloc and VirtualFree ask of the memory manager.</summary>
internal sealed partial class MemoryManager
{
    private const uint MEM_COMMIT = 0x1000;
    private const uint MEM_RESERVE = 0x2000;
    private const uint MEM_DECOMMIT = 0x4000;
    private const uint MEM_RELEASE = 0x8000;
    private const uint MEM_TOP_DOWN = 0x100000;

    /// <summary>
    /// NtAllocateVirtualMemory: reserves and commits a range (demand-zero pages) in the process a handle
    /// names. *BaseAddress (0: anywhere) and *RegionSize are in-out: the rounded range goes back. A range
    /// already committed may be committed again (MEM_COMMIT inside an allocation succeeds).
    /// </summary>
    internal NTSTATUS NtAllocateVirtualMemory(HANDLE processHandle, ulong baseAddress, ulong zeroBits, ulong regionSize, uint allocationType,
        uint protect)
    {
        var mode = _machine.Ke.CurrentThread.PreviousMode;
        if ((allocationType & (MEM_COMMIT | MEM_RESERVE)) == 0 || (allocationType & ~(MEM_COMMIT | MEM_RESERVE | MEM_TOP_DOWN)) != 0
            || zeroBits > 53)
        {
            return NTSTATUS.STATUS_INVALID_PARAMETER;
        }

        ulong requestedBase, size;
        try
        {
            Probe.ForWrite(this, baseAddress, 8, 8, mode);
            Probe.ForWrite(this, regionSize, 8, 8, mode);
            requestedBase = Read<ulong>(baseAddress, mode);
            size = Read<ulong>(regionSize, mode);
        }
        catch (NtException e)
        {
            return e.Status;
        }

        if (size == 0 || requestedBase > HighestUserAddress || size > HighestUserAddress - requestedBase + 1)
        {
            return NTSTATUS.STATUS_INVALID_PARAMETER;
        }

        var status = ReferenceProcessSpace(processHandle, mode, out var space, out var process);
        if (!status.IsSuccess())
        {
            return status;
        }

        ulong allocated;
        ulong allocatedSize;
        lock (_pfnLock)
        {
            var existing = requestedBase != 0 && allocationType == MEM_COMMIT ? FindVad(space!, requestedBase) : null;
            if (existing is not null && requestedBase + size <= existing.Start + existing.Size)
            {
                allocated = requestedBase & ~PageOffsetMask;
                allocatedSize = ((requestedBase + size + PageOffsetMask) & ~PageOffsetMask) - allocated;
                status = NTSTATUS.STATUS_SUCCESS;
            }
            else
            {
                allocated = 0;
                allocatedSize = (size + PageOffsetMask) & ~PageOffsetMask;
                status = NTSTATUS.STATUS_PENDING;
            }
        }

        if (status == NTSTATUS.STATUS_PENDING)
        {
            status = AllocateUserMemory(space!, size, protect, out allocated, requestedBase);
        }

        if (process is not null)
        {
            _machine.Ob.DereferenceObject(process);
        }

        if (!status.IsSuccess())
        {
            return status;
        }

        try
        {
            Write(baseAddress, allocated, mode);
            Write(regionSize, allocatedSize, mode);
        }
        catch (NtException e)
        {
            return e.Status;
        }

        return NTSTATUS.STATUS_SUCCESS;
    }

    /// <summary>
    /// NtFreeVirtualMemory with MEM_RELEASE: the whole allocation at *BaseAddress goes (*RegionSize must be 0).
    /// MEM_DECOMMIT of part of an allocation is not modelled (STATUS_NOT_SUPPORTED).
    /// </summary>
    internal NTSTATUS NtFreeVirtualMemory(HANDLE processHandle, ulong baseAddress, ulong regionSize, uint freeType)
    {
        var mode = _machine.Ke.CurrentThread.PreviousMode;
        if (freeType is not (MEM_RELEASE or MEM_DECOMMIT))
        {
            return NTSTATUS.STATUS_INVALID_PARAMETER;
        }

        if (freeType == MEM_DECOMMIT)
        {
            return NTSTATUS.STATUS_NOT_SUPPORTED;
        }

        ulong address, size;
        try
        {
            Probe.ForWrite(this, baseAddress, 8, 8, mode);
            Probe.ForWrite(this, regionSize, 8, 8, mode);
            address = Read<ulong>(baseAddress, mode);
            size = Read<ulong>(regionSize, mode);
        }
        catch (NtException e)
        {
            return e.Status;
        }

        if (size != 0)
        {
            return NTSTATUS.STATUS_FREE_VM_NOT_AT_BASE;
        }

        var status = ReferenceProcessSpace(processHandle, mode, out var space, out var process);
        if (!status.IsSuccess())
        {
            return status;
        }

        var released = 0UL;
        lock (_pfnLock)
        {
            if (space!.Vads.TryGetValue(address, out var vad))
            {
                released = vad.Size;
            }
        }

        status = FreeUserMemory(space, address);
        if (process is not null)
        {
            _machine.Ob.DereferenceObject(process);
        }

        if (status.IsSuccess())
        {
            try
            {
                Write(regionSize, released, mode);
            }
            catch (NtException e)
            {
                return e.Status;
            }
        }

        return status;
    }

    /// <summary>The address space of the process a handle names (PROCESS_VM_OPERATION); the caller's for NtCurrentProcess().</summary>
    private NTSTATUS ReferenceProcessSpace(HANDLE processHandle, KPROCESSOR_MODE mode, out AddressSpace? space, out EPROCESS? process)
    {
        space = null;
        process = null;
        if (processHandle == HANDLE.CurrentProcess)
        {
            space = CurrentProcessSpace();
            return space is null ? NTSTATUS.STATUS_INVALID_PARAMETER : NTSTATUS.STATUS_SUCCESS;
        }

        var status = _machine.Ob.ReferenceObjectByHandle(processHandle, AccessMask.PROCESS_VM_OPERATION, _machine.Ob.ProcessType, mode,
            out var body, out _);
        if (!status.IsSuccess())
        {
            return status;
        }

        process = (EPROCESS)body!;
        space = process.AddressSpace;
        if (space is null)
        {
            _machine.Ob.DereferenceObject(process);
            process = null;
            return NTSTATUS.STATUS_INVALID_PARAMETER;
        }

        return NTSTATUS.STATUS_SUCCESS;
    }
}
