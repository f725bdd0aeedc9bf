using System.Buffers.Binary;
using SharpNT.Kernel;
using SharpNT.Kernel.Hal;
using SharpNT.Kernel.Hardware.Nvme;
using SharpNT.Kernel.Io;
using SharpNT.Kernel.Ke;
using static SharpNT.Drivers.Storage.StorageIoctl;
using static SharpNT.Kernel.Ddi.Wdm;
using static SharpNT.Kernel.Io.IRP_MJ;
using static SharpNT.Kernel.NTSTATUS;

namespace SharpNT.Drivers.Storage.Nvme;

public sealed partial class NvmePortDriver
{
    /// <summary>
    /// IRP_MJ_READ / IRP_MJ_WRITE on the whole disk: the offset and length must be whole sectors inside the
    /// disk (STATUS_INVALID_PARAMETER otherwise). The transfer is cut into commands of at most the maximum
    /// transfer size; the IRP pends until the last of them completes.
    /// </summary>
    private static NTSTATUS NvmeReadWrite(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        var adapter = AdapterOf(DeviceObject);
        var irpSp = IoGetCurrentIrpStackLocation(Irp);
        var write = irpSp.MajorFunction == IRP_MJ_WRITE;
        var length = irpSp.Parameters.Read.Length;
        var offset = irpSp.Parameters.Read.ByteOffset;
        var diskLength = adapter.BlockCount * adapter.BlockSize;
        if (offset < 0 || offset % adapter.BlockSize != 0 || length % adapter.BlockSize != 0 || offset + length > diskLength)
        {
            return CompleteWith(Irp, STATUS_INVALID_PARAMETER);
        }

        if (length == 0)
        {
            return CompleteWith(Irp, STATUS_SUCCESS);
        }

        if (Irp.MdlAddress == 0)
        {
            // A direct-I/O device is handed its buffer as an MDL; a request without one names no memory.
            return CompleteWith(Irp, STATUS_INVALID_PARAMETER);
        }

        var va = MmGetMdlVirtualAddress(Irp.MdlAddress);
        IoMarkIrpPending(Irp);
        KeAcquireSpinLock(adapter.Lock, out var oldIrql);
        var parts = (int)((length + adapter.MaxTransfer - 1) / adapter.MaxTransfer);
        adapter.Irps[Irp.Address] = adapter.RentState(parts, length);
        for (uint done = 0; done < length; done += adapter.MaxTransfer)
        {
            adapter.Waiting.Enqueue(adapter.RentRequest(Irp, write ? NvmeOpcodes.Write : NvmeOpcodes.Read, offset + done, va + done,
                Math.Min(adapter.MaxTransfer, length - done)));
        }

        StartWaitingLocked(adapter);
        KeReleaseSpinLock(adapter.Lock, oldIrql);

        // A command that could not be built (no scatter/gather list) finished at once: complete it here.
        CompleteFinished(adapter);
        return STATUS_PENDING;
    }

    /// <summary>IRP_MJ_FLUSH_BUFFERS: an NVMe Flush, which commits the controller's volatile write cache.</summary>
    private static NTSTATUS NvmeFlush(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        var adapter = AdapterOf(DeviceObject);
        IoMarkIrpPending(Irp);
        KeAcquireSpinLock(adapter.Lock, out var oldIrql);
        adapter.Irps[Irp.Address] = adapter.RentState(1, 0);
        adapter.Waiting.Enqueue(adapter.RentRequest(Irp, NvmeOpcodes.Flush, 0, 0, 0));
        StartWaitingLocked(adapter);
        KeReleaseSpinLock(adapter.Lock, oldIrql);

        // A command that could not be built (no scatter/gather list) finished at once: complete it here.
        CompleteFinished(adapter);
        return STATUS_PENDING;
    }

    /// <summary>
    /// Gives waiting requests free command slots and rings the submission doorbell once for all of them.
    /// Called with the adapter lock held (DISPATCH_LEVEL), which GetScatterGatherList requires.
    /// </summary>
    private static void StartWaitingLocked(NvmeAdapter adapter)
    {
        var submitted = false;
        while (adapter.FreeSlots.Count > 0 && adapter.Waiting.TryDequeue(out var request))
        {
            var slot = adapter.FreeSlots.Pop();
            slot.Request = request;
            if (request.Opcode == NvmeOpcodes.Flush)
            {
                WriteCommand(adapter, slot, 0, 0);
                submitted = true;
                continue;
            }

            var dma = adapter.Dma!;
            var status = dma.DmaOperations.GetScatterGatherList(dma, adapter.Device, request.Irp.MdlAddress, request.Va, request.Length,
                s_buildCommand, slot, request.Opcode == NvmeOpcodes.Write);
            if (!status.IsSuccess())
            {
                slot.Request = null;
                adapter.FreeSlots.Push(slot);
                FinishPartLocked(adapter, request, status);
                continue;
            }

            submitted = true;
        }

        adapter.MaxInFlight = Math.Max(adapter.MaxInFlight, adapter.InFlight);
        if (submitted)
        {
            WRITE_REGISTER_ULONG(adapter.Registers + NvmeRegisters.SubmissionTailDoorbell(1), (uint)adapter.IoSq.Pointer);
        }
    }

    /// <summary>The execution routine, made into a delegate once (not per request).</summary>
    private static readonly DRIVER_LIST_CONTROL s_buildCommand = NvmeBuildCommand;

    /// <summary>
    /// The execution routine of GetScatterGatherList: turns the list into PRP entries (PRP1 the first page at
    /// its offset; PRP2 the second page, or the slot's PRP list page holding the rest) and writes the command.
    /// </summary>
    private static void NvmeBuildCommand(DEVICE_OBJECT DeviceObject, IRP Irp, SCATTER_GATHER_LIST ScatterGather, object? Context)
    {
        var slot = (NvmeAdapter.CommandSlot)Context!;
        var adapter = AdapterOf(DeviceObject);
        slot.ScatterGather = ScatterGather;
        ulong prp1 = 0;
        ulong prp2 = 0;
        var pages = 0;
        var elements = ScatterGather.NumberOfElements;
        for (uint e = 0; e < elements; e++)
        {
            var address = (ulong)ScatterGather.ElementAddress(e).QuadPart;
            var end = address + ScatterGather.ElementLength(e);
            while (address < end)
            {
                if (pages == 0)
                {
                    prp1 = address;
                }
                else if (pages == 1)
                {
                    prp2 = address;
                }
                else
                {
                    if (pages == 2)
                    {
                        // More than two pages: PRP2 becomes the list, whose first entry is the second page.
                        WriteMemory(slot.PrpListVa, prp2);
                        prp2 = slot.PrpListPa;
                    }

                    WriteMemory(slot.PrpListVa + ((ulong)(pages - 1) * 8), address);
                }

                pages++;
                address = (address & ~(ulong)(PAGE_SIZE - 1)) + (ulong)PAGE_SIZE;
            }
        }

        WriteCommand(adapter, slot, prp1, prp2);
    }

    private static void WriteCommand(NvmeAdapter adapter, NvmeAdapter.CommandSlot slot, ulong prp1, ulong prp2)
    {
        var request = slot.Request!;
        Span<byte> command = stackalloc byte[SubmissionEntrySize];
        command.Clear();
        command[0] = request.Opcode;
        BinaryPrimitives.WriteUInt16LittleEndian(command[2..], slot.Cid);
        BinaryPrimitives.WriteUInt32LittleEndian(command[4..], 1); // namespace 1
        BinaryPrimitives.WriteUInt64LittleEndian(command[24..], prp1);
        BinaryPrimitives.WriteUInt64LittleEndian(command[32..], prp2);
        if (request.Opcode != NvmeOpcodes.Flush)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(command[40..], (ulong)(request.Offset / adapter.BlockSize)); // SLBA
            BinaryPrimitives.WriteUInt32LittleEndian(command[48..], (request.Length / adapter.BlockSize) - 1); // NLB, 0-based
        }

        var sq = adapter.IoSq;
        CopyFromHost(sq.Va + ((ulong)sq.Pointer * SubmissionEntrySize), command);
        sq.Pointer = (sq.Pointer + 1) % sq.Size;
    }

    /// <summary>
    /// The ISR, at the device's IRQL: if a completion queue holds a new entry (its phase tag is the expected
    /// one), mask the controller's interrupt (INTMS) and queue the DPC; otherwise the interrupt is not ours.
    /// </summary>
    private static bool NvmeInterruptService(KINTERRUPT Interrupt, object? ServiceContext)
    {
        var adapter = (NvmeAdapter)ServiceContext!;
        if (!HasNewEntry(adapter.AdminCq) && !HasNewEntry(adapter.IoCq))
        {
            return false;
        }

        WRITE_REGISTER_ULONG(adapter.Registers + NvmeRegisters.INTMS, 1);
        KeInsertQueueDpc(adapter.Dpc, null, null);
        return true;
    }

    private static bool HasNewEntry(NvmeAdapter.Queue cq) =>
        ((ReadMemory<uint>(cq.Va + ((ulong)cq.Pointer * CompletionEntrySize) + 12) >> 16) & 1) == (uint)cq.Phase;

    /// <summary>
    /// The DPC, at DISPATCH_LEVEL: reaps both completion queues, tells the controller how far it read (the
    /// head doorbells), starts waiting requests in the freed slots, unmasks the interrupt, then completes the
    /// finished IRPs outside the lock.
    /// </summary>
    private static void NvmeDpcRoutine(KDPC Dpc, object? DeferredContext, object? SystemArgument1, object? SystemArgument2)
    {
        var adapter = (NvmeAdapter)DeferredContext!;
        var adminDone = false;
        KeAcquireSpinLockAtDpcLevel(adapter.Lock);
        while (HasNewEntry(adapter.AdminCq))
        {
            var (_, status, result) = TakeEntry(adapter.AdminCq);
            adapter.AdminStatus = status;
            adapter.AdminResult = result;
            adminDone = true;
        }

        if (adminDone)
        {
            WRITE_REGISTER_ULONG(adapter.Registers + NvmeRegisters.CompletionHeadDoorbell(0), (uint)adapter.AdminCq.Pointer);
        }

        var reaped = false;
        while (HasNewEntry(adapter.IoCq))
        {
            var (cid, status, _) = TakeEntry(adapter.IoCq);
            reaped = true;
            if (cid >= adapter.Slots.Length || adapter.Slots[cid].Request is not { } request)
            {
                continue;
            }

            var slot = adapter.Slots[cid];
            slot.Request = null;
            if (!slot.ScatterGather.IsNull)
            {
                adapter.Dma!.DmaOperations.PutScatterGatherList(adapter.Dma, slot.ScatterGather, request.Opcode == NvmeOpcodes.Write);
                slot.ScatterGather = default;
            }

            adapter.FreeSlots.Push(slot);
            adapter.Completed++;
            FinishPartLocked(adapter, request, StatusFromNvme(status));
        }

        if (reaped)
        {
            WRITE_REGISTER_ULONG(adapter.Registers + NvmeRegisters.CompletionHeadDoorbell(1), (uint)adapter.IoCq.Pointer);
            StartWaitingLocked(adapter);
        }

        KeReleaseSpinLockFromDpcLevel(adapter.Lock);
        WRITE_REGISTER_ULONG(adapter.Registers + NvmeRegisters.INTMC, 1);
        if (adminDone)
        {
            KeSetEvent(adapter.AdminEvent, IO_NO_INCREMENT, false);
        }

        CompleteFinished(adapter);
    }

    /// <summary>Completes the finished IRPs one by one, taking each off the queue under the lock and completing it outside.</summary>
    private static void CompleteFinished(NvmeAdapter adapter)
    {
        while (true)
        {
            KeAcquireSpinLock(adapter.Lock, out var oldIrql);
            var any = adapter.ToComplete.TryDequeue(out var done);
            KeReleaseSpinLock(adapter.Lock, oldIrql);
            if (!any)
            {
                return;
            }

            done.Irp.IoStatus.Status = done.Status;
            done.Irp.IoStatus.Information = done.Status.IsSuccess() ? done.Information : 0;
            IoCompleteRequest(done.Irp, IO_DISK_INCREMENT);
        }
    }

    private static (ushort Cid, ushort Status, uint Result) TakeEntry(NvmeAdapter.Queue cq)
    {
        var entry = cq.Va + ((ulong)cq.Pointer * CompletionEntrySize);
        var result = ReadMemory<uint>(entry);
        var dw3 = ReadMemory<uint>(entry + 12);
        cq.Pointer++;
        if (cq.Pointer == cq.Size)
        {
            cq.Pointer = 0;
            cq.Phase ^= 1;
        }

        return ((ushort)dw3, (ushort)(dw3 >> 17), result);
    }

    /// <summary>One command of an IRP is done: the IRP is finished when its last command is.</summary>
    private static void FinishPartLocked(NvmeAdapter adapter, NvmeAdapter.Request request, NTSTATUS status)
    {
        var irp = request.Irp;
        adapter.ReturnRequest(request);
        var state = adapter.Irps[irp.Address];
        if (!status.IsSuccess() && state.Status.IsSuccess())
        {
            state.Status = status;
        }

        state.Outstanding--;
        if (state.Outstanding > 0)
        {
            return;
        }

        adapter.Irps.Remove(irp.Address);
        adapter.ToComplete.Enqueue((irp, state.Status, state.Information));
        adapter.ReturnState(state);
    }

    /// <summary>
    /// The NTSTATUS for an NVMe completion status, as storport's translation through SCSI sense data ends up:
    /// a write-protected namespace is STATUS_MEDIA_WRITE_PROTECTED, an LBA out of range
    /// STATUS_NONEXISTENT_SECTOR, an invalid opcode or field STATUS_INVALID_DEVICE_REQUEST, the rest
    /// STATUS_IO_DEVICE_ERROR.
    /// </summary>
    internal static NTSTATUS StatusFromNvme(ushort status)
    {
        var sc = NvmeStatus.StatusCode(status);
        var sct = NvmeStatus.StatusCodeType(status);
        if (sc == 0 && sct == 0)
        {
            return STATUS_SUCCESS;
        }

        if (sct == NvmeStatus.SctGeneric)
        {
            return sc switch
            {
                NvmeStatus.NamespaceIsWriteProtected => STATUS_MEDIA_WRITE_PROTECTED,
                NvmeStatus.LbaOutOfRange => STATUS_NONEXISTENT_SECTOR,
                NvmeStatus.InvalidCommandOpcode or NvmeStatus.InvalidFieldInCommand => STATUS_INVALID_DEVICE_REQUEST,
                _ => STATUS_IO_DEVICE_ERROR,
            };
        }

        return STATUS_IO_DEVICE_ERROR;
    }
}
