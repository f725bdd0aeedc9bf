using SharpNT.Kernel.Io;

namespace SharpNT.Kernel.Hal;

/// <summary>DRIVER_LIST_CONTROL: called at DISPATCH_LEVEL with the scatter/gather list of a transfer.</summary>
public delegate void DRIVER_LIST_CONTROL(DEVICE_OBJECT DeviceObject, IRP Irp, SCATTER_GATHER_LIST ScatterGather, object? Context);

/// <summary>PALLOCATE_COMMON_BUFFER: a physically contiguous, page-aligned nonpaged buffer the device and the driver share.</summary>
public delegate ulong PALLOCATE_COMMON_BUFFER(DMA_ADAPTER DmaAdapter, uint Length, out LARGE_INTEGER LogicalAddress, bool CacheEnabled);

/// <summary>PFREE_COMMON_BUFFER.</summary>
public delegate void PFREE_COMMON_BUFFER(DMA_ADAPTER DmaAdapter, uint Length, LARGE_INTEGER LogicalAddress, ulong VirtualAddress, bool CacheEnabled);

/// <summary>PGET_SCATTER_GATHER_LIST: IRQL DISPATCH_LEVEL; builds the list and calls ExecutionRoutine with it.</summary>
public delegate NTSTATUS PGET_SCATTER_GATHER_LIST(DMA_ADAPTER DmaAdapter, DEVICE_OBJECT DeviceObject, ulong Mdl, ulong CurrentVa,
    uint Length, DRIVER_LIST_CONTROL ExecutionRoutine, object? Context, bool WriteToDevice);

/// <summary>PPUT_SCATTER_GATHER_LIST: IRQL DISPATCH_LEVEL; releases a list once the transfer is done.</summary>
public delegate void PPUT_SCATTER_GATHER_LIST(DMA_ADAPTER DmaAdapter, SCATTER_GATHER_LIST ScatterGather, bool WriteToDevice);

/// <summary>PPUT_DMA_ADAPTER: IRQL PASSIVE_LEVEL; the driver is done with the adapter.</summary>
public delegate void PPUT_DMA_ADAPTER(DMA_ADAPTER DmaAdapter);

/// <summary>DMA_OPERATIONS (wdm.h): the adapter's routines a driver calls through DmaAdapter->DmaOperations.</summary>
public sealed class DMA_OPERATIONS
{
    public required PPUT_DMA_ADAPTER PutDmaAdapter { get; init; }

    public required PALLOCATE_COMMON_BUFFER AllocateCommonBuffer { get; init; }

    public required PFREE_COMMON_BUFFER FreeCommonBuffer { get; init; }

    public required PGET_SCATTER_GATHER_LIST GetScatterGatherList { get; init; }

    public required PPUT_SCATTER_GATHER_LIST PutScatterGatherList { get; init; }
}

/// <summary>
/// DMA_ADAPTER (wdm.h), from IoGetDmaAdapter: a bus-master adapter whose logical addresses are the
/// machine's physical addresses (no IOMMU, no map registers needed, as for a 64-bit PCI bus master).
/// </summary>
public sealed class DMA_ADAPTER
{
    internal DMA_ADAPTER(DEVICE_DESCRIPTION description, DMA_OPERATIONS operations)
    {
        Description = description;
        DmaOperations = operations;
    }

    /// <summary>The adapter's routines.</summary>
    public DMA_OPERATIONS DmaOperations { get; }

    internal DEVICE_DESCRIPTION Description { get; }

    internal bool Released { get; set; }
}
