using SharpNT.Kernel.Io;
using SharpNT.Kernel.Io.Layout;
using SharpNT.Kernel.Ke;
using SharpNT.Kernel.Mm;

namespace SharpNT.Kernel.Hal;

internal sealed partial class HalCore
{
    private static readonly uint s_tagCommonBuffer = PoolTags.FromString("HalC");
    private static readonly uint s_tagScatterGather = PoolTags.FromString("HalS");

    /// <summary>
    /// IoGetDmaAdapter (HalGetAdapter for a device with no PDO): IRQL PASSIVE_LEVEL. A bus-master
    /// scatter/gather adapter; NULL for what this HAL does not model (a slave device on a system DMA
    /// controller, or a description of an unknown version). The number of map registers is what a transfer of
    /// MaximumLength needs: BYTES_TO_PAGES(MaximumLength) + 1.
    /// </summary>
    internal DMA_ADAPTER? GetDmaAdapter(DEVICE_DESCRIPTION description, out uint numberOfMapRegisters)
    {
        CheckIrql(Irql.PASSIVE_LEVEL);
        numberOfMapRegisters = 0;
        if (description.Version > 3 || !description.Master || !description.ScatterGather)
        {
            return null;
        }

        numberOfMapRegisters = (uint)((description.MaximumLength + MemoryManager.PageOffsetMask) >> MemoryManager.PAGE_SHIFT) + 1;
        return new DMA_ADAPTER(description, new DMA_OPERATIONS
        {
            PutDmaAdapter = PutDmaAdapter,
            AllocateCommonBuffer = AllocateCommonBuffer,
            FreeCommonBuffer = FreeCommonBuffer,
            GetScatterGatherList = GetScatterGatherList,
            PutScatterGatherList = PutScatterGatherList,
        });
    }

    private static void PutDmaAdapter(DMA_ADAPTER adapter) => adapter.Released = true;

    /// <summary>
    /// AllocateCommonBuffer: IRQL PASSIVE_LEVEL. Page-aligned nonpaged memory on physically contiguous frames
    /// (the device addresses it without a list); NULL when no contiguous run of frames is available.
    /// </summary>
    private ulong AllocateCommonBuffer(DMA_ADAPTER adapter, uint length, out LARGE_INTEGER logicalAddress, bool cacheEnabled)
    {
        logicalAddress = default;
        CheckIrql(Irql.PASSIVE_LEVEL);
        var mm = _machine.Mm;
        var bytes = Math.Max((length + MemoryManager.PageOffsetMask) & ~MemoryManager.PageOffsetMask, MemoryManager.PAGE_SIZE);
        var va = mm.AllocatePool2(PoolFlags.POOL_FLAG_NON_PAGED, bytes, s_tagCommonBuffer);
        if (va == 0)
        {
            return 0;
        }

        if (!mm.TryTranslate(mm.SystemSpace, va, out var first))
        {
            mm.FreePool(va, s_tagCommonBuffer);
            return 0;
        }

        for (ulong offset = MemoryManager.PAGE_SIZE; offset < bytes; offset += MemoryManager.PAGE_SIZE)
        {
            if (!mm.TryTranslate(mm.SystemSpace, va + offset, out var physical) || physical != first + offset)
            {
                mm.FreePool(va, s_tagCommonBuffer);
                return 0;
            }
        }

        logicalAddress = new LARGE_INTEGER((long)first);
        return va;
    }

    private void FreeCommonBuffer(DMA_ADAPTER adapter, uint length, LARGE_INTEGER logicalAddress, ulong virtualAddress, bool cacheEnabled) =>
        _machine.Mm.FreePool(virtualAddress, s_tagCommonBuffer);

    /// <summary>
    /// GetScatterGatherList: IRQL DISPATCH_LEVEL. Describes Length bytes of the MDL's locked buffer from
    /// CurrentVa as runs of physical memory (adjacent frames merged), in nonpaged pool, and calls
    /// ExecutionRoutine with it at once (no map registers to wait for). STATUS_INSUFFICIENT_RESOURCES when
    /// the transfer is longer than the adapter's MaximumLength or pool is exhausted; STATUS_INVALID_PARAMETER
    /// when the range is not inside the MDL.
    /// </summary>
    private NTSTATUS GetScatterGatherList(DMA_ADAPTER adapter, DEVICE_OBJECT deviceObject, ulong mdl, ulong currentVa, uint length,
        DRIVER_LIST_CONTROL executionRoutine, object? context, bool writeToDevice)
    {
        var ke = _machine.Ke;
        var prcb = ke.CurrentPrcb;
        if (prcb.Irql > Irql.DISPATCH_LEVEL)
        {
            _machine.BugCheck.Raise(BugCheckCode.IRQL_NOT_LESS_OR_EQUAL, mdl, prcb.Irql, 0, ke.CurrentThread.InnermostFrame()?.Address ?? 0);
        }

        if (length > adapter.Description.MaximumLength && adapter.Description.MaximumLength != 0)
        {
            return NTSTATUS.STATUS_INSUFFICIENT_RESOURCES;
        }

        var mm = _machine.Mm;
        var startVa = mm.Read<ulong>(mdl + MdlLayout.StartVa);
        var byteOffset = mm.Read<uint>(mdl + MdlLayout.ByteOffset);
        var byteCount = mm.Read<uint>(mdl + MdlLayout.ByteCount);
        var bufferStart = startVa + byteOffset;
        if (length == 0 || currentVa < bufferStart || currentVa + length > bufferStart + byteCount)
        {
            return NTSTATUS.STATUS_INVALID_PARAMETER;
        }

        var pfnArray = mdl + MdlLayout.Size;
        var pageIndex = (currentVa - startVa) >> MemoryManager.PAGE_SHIFT;
        var pageOffset = (uint)(currentVa & MemoryManager.PageOffsetMask);
        var maxElements = (int)MemoryManager.SpanPages(currentVa, length);
        var list = mm.AllocatePool2(PoolFlags.POOL_FLAG_NON_PAGED, SCATTER_GATHER_LIST.SizeFor(maxElements), s_tagScatterGather);
        if (list == 0)
        {
            return NTSTATUS.STATUS_INSUFFICIENT_RESOURCES;
        }

        var elements = 0;
        ulong runStart = 0;
        uint runLength = 0;
        var remaining = length;
        while (remaining > 0)
        {
            var pfn = mm.Read<ulong>(pfnArray + (pageIndex * 8));
            var physical = (pfn << MemoryManager.PAGE_SHIFT) + pageOffset;
            var chunk = Math.Min(remaining, MemoryManager.PAGE_SIZE - pageOffset);
            if (runLength > 0 && runStart + runLength == physical)
            {
                runLength += chunk;
            }
            else
            {
                if (runLength > 0)
                {
                    WriteElement(list, elements++, runStart, runLength);
                }

                runStart = physical;
                runLength = chunk;
            }

            remaining -= chunk;
            pageOffset = 0;
            pageIndex++;
        }

        WriteElement(list, elements++, runStart, runLength);
        mm.Write(list, (uint)elements);
        executionRoutine(deviceObject, deviceObject.IsNull ? IRP.NULL : deviceObject.CurrentIrp, new SCATTER_GATHER_LIST(list), context);
        return NTSTATUS.STATUS_SUCCESS;
    }

    private void WriteElement(ulong list, int index, ulong address, uint length)
    {
        var element = list + SCATTER_GATHER_LIST.ElementsOffset + ((ulong)index * SCATTER_GATHER_LIST.ElementSize);
        _machine.Mm.Write(element, address);
        _machine.Mm.Write(element + 8, length);
    }

    /// <summary>PutScatterGatherList: IRQL DISPATCH_LEVEL; the list's pool goes.</summary>
    private void PutScatterGatherList(DMA_ADAPTER adapter, SCATTER_GATHER_LIST scatterGather, bool writeToDevice)
    {
        CheckIrql(Irql.DISPATCH_LEVEL);
        _machine.Mm.FreePool(scatterGather.Address, s_tagScatterGather);
    }

    /// <summary>MmGetPhysicalAddress: the physical address of a resident virtual address; 0 if it is not resident.</summary>
    internal ulong GetPhysicalAddress(ulong va)
    {
        var mm = _machine.Mm;
        var space = MemoryManager.IsUserAddress(va) ? mm.CurrentProcessSpace() : mm.SystemSpace;
        return space is not null && mm.TryTranslate(space, va, out var physical) ? physical : 0;
    }
}
