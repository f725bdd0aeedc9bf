using System.Buffers.Binary;
using System.Text;
using SharpNT.Kernel;
using SharpNT.Kernel.Hal;
using SharpNT.Kernel.Hardware.Nvme;
using static SharpNT.Kernel.Hardware.Nvme.NvmeStatus;
using SharpNT.Kernel.Io;
using static SharpNT.Kernel.Ddi.Wdm;
using static SharpNT.Kernel.Io.DO_FLAGS;
using static SharpNT.Kernel.NTSTATUS;

namespace SharpNT.Drivers.Storage.Nvme;

public sealed partial class NvmePortDriver
{
    /// <summary>Submission queue entries are 64 bytes, completion queue entries 16 (NVMe 1.4 sections 4.2, 4.6).</summary>
    internal const int SubmissionEntrySize = 64;
    internal const int CompletionEntrySize = 16;

    /// <summary>The most this driver puts in one command (the controller's MDTS may lower it).</summary>
    internal const uint MaximumTransferBytes = 1024 * 1024;

    /// <summary>
    /// Brings one controller up with the resources IRP_MN_START_DEVICE gave it, as the NVMe specification's
    /// initialization sequence (section 7.6.1) says: map the registers, disable and wait for CSTS.RDY = 0, program
    /// the admin queues (AQA, ASQ, ACQ), enable with the entry sizes and wait for CSTS.RDY = 1, connect the
    /// interrupt, Identify the controller and namespace 1, create one I/O completion queue and one I/O submission queue.
    /// </summary>
    private static NTSTATUS StartController(NvmeAdapter adapter, in ControllerResources resources)
    {
        adapter.Registers = MmMapIoSpace(new LARGE_INTEGER((long)resources.RegisterBase), resources.RegisterLength, MmNonCached);
        if (adapter.Registers == 0)
        {
            return STATUS_INSUFFICIENT_RESOURCES;
        }

        adapter.RegistersLength = resources.RegisterLength;
        var description = new DEVICE_DESCRIPTION
        {
            Version = DEVICE_DESCRIPTION_VERSION3,
            Master = true,
            ScatterGather = true,
            Dma64BitAddresses = true,
            InterfaceType = PCIBus,
            MaximumLength = MaximumTransferBytes,
        };
        adapter.Dma = IoGetDmaAdapter(adapter.NextLowerDriver, description, out _);
        if (adapter.Dma is null)
        {
            return STATUS_INSUFFICIENT_RESOURCES;
        }

        adapter.MaxTransfer = MaximumTransferBytes;
        var status = AllocateQueues(adapter);
        if (!status.IsSuccess())
        {
            return status;
        }

        // Reset: CC.EN = 0, then wait for the controller to say it stopped.
        WRITE_REGISTER_ULONG(adapter.Registers + NvmeRegisters.CC, 0);
        if (!WaitReady(adapter, ready: false))
        {
            return STATUS_DEVICE_NOT_READY;
        }

        WRITE_REGISTER_ULONG(adapter.Registers + NvmeRegisters.AQA,
            (uint)(NvmeAdapter.AdminQueueDepth - 1) | ((uint)(NvmeAdapter.AdminQueueDepth - 1) << 16));
        WRITE_REGISTER_ULONG64(adapter.Registers + NvmeRegisters.ASQ, adapter.AdminSq.Pa);
        WRITE_REGISTER_ULONG64(adapter.Registers + NvmeRegisters.ACQ, adapter.AdminCq.Pa);

        // IOSQES = 6 (64-byte entries), IOCQES = 4 (16-byte entries), MPS = 0 (4 KiB pages), CSS = NVM, EN.
        WRITE_REGISTER_ULONG(adapter.Registers + NvmeRegisters.CC, (6u << 16) | (4u << 20) | NvmeRegisters.CC_EN);
        if (!WaitReady(adapter, ready: true))
        {
            return STATUS_DEVICE_NOT_READY;
        }

        // The interrupt: the translated descriptor's vector, DIRQL and affinity, as the PnP manager gave them.
        KeInitializeSpinLock(adapter.Lock);
        KeInitializeDpc(adapter.Dpc, NvmeDpcRoutine, adapter);
        KeInitializeEvent(adapter.AdminEvent, SynchronizationEvent, false);
        status = IoConnectInterrupt(out var interrupt, NvmeInterruptService, adapter, null, resources.Vector, resources.Irql, resources.Irql,
            resources.Mode, resources.Shared, resources.Affinity, false);
        if (!status.IsSuccess())
        {
            return status;
        }

        adapter.Interrupt = interrupt;
        status = IdentifyController(adapter);
        if (status.IsSuccess())
        {
            status = CreateIoQueues(adapter);
        }

        if (!status.IsSuccess())
        {
            IoDisconnectInterrupt(interrupt!);
            adapter.Interrupt = null;
            return status;
        }

        return STATUS_SUCCESS;
    }

    private static NTSTATUS AllocateQueues(NvmeAdapter adapter)
    {
        var dma = adapter.Dma!;
        bool Allocate(NvmeAdapter.Queue queue, int entries, int entrySize, int id)
        {
            var length = (uint)(entries * entrySize);
            var va = dma.DmaOperations.AllocateCommonBuffer(dma, length, out var pa, false);
            if (va == 0)
            {
                return false;
            }

            RtlZeroMemory(va, length);
            queue.Va = va;
            queue.Pa = (ulong)pa.QuadPart;
            queue.Size = entries;
            queue.Id = id;
            return true;
        }

        if (!Allocate(adapter.AdminSq, NvmeAdapter.AdminQueueDepth, SubmissionEntrySize, 0)
            || !Allocate(adapter.AdminCq, NvmeAdapter.AdminQueueDepth, CompletionEntrySize, 0)
            || !Allocate(adapter.IoSq, NvmeAdapter.IoQueueDepth, SubmissionEntrySize, 1)
            || !Allocate(adapter.IoCq, NvmeAdapter.IoQueueDepth, CompletionEntrySize, 1))
        {
            return STATUS_INSUFFICIENT_RESOURCES;
        }

        for (var i = NvmeAdapter.MaxCommands - 1; i >= 0; i--)
        {
            var va = dma.DmaOperations.AllocateCommonBuffer(dma, PAGE_SIZE, out var pa, false);
            if (va == 0)
            {
                return STATUS_INSUFFICIENT_RESOURCES;
            }

            var slot = new NvmeAdapter.CommandSlot { Cid = (ushort)i, PrpListVa = va, PrpListPa = (ulong)pa.QuadPart };
            adapter.Slots[i] = slot;
            adapter.FreeSlots.Push(slot);
        }

        return STATUS_SUCCESS;
    }

    /// <summary>Polls CSTS.RDY for up to CAP.TO (in 500 ms units), as the specification bounds the wait.</summary>
    private static bool WaitReady(NvmeAdapter adapter, bool ready)
    {
        var cap = READ_REGISTER_ULONG64(adapter.Registers + NvmeRegisters.CAP);
        var timeoutUs = Math.Max(1UL, (cap >> 24) & 0xFF) * 500_000;
        for (ulong waited = 0; waited <= timeoutUs; waited += 10)
        {
            var csts = READ_REGISTER_ULONG(adapter.Registers + NvmeRegisters.CSTS);
            if ((csts & NvmeRegisters.CSTS_CFS) != 0)
            {
                return false;
            }

            if (((csts & NvmeRegisters.CSTS_RDY) != 0) == ready)
            {
                return true;
            }

            KeStallExecutionProcessor(10);
        }

        return false;
    }

    private static NTSTATUS IdentifyController(NvmeAdapter adapter)
    {
        var dma = adapter.Dma!;
        var data = dma.DmaOperations.AllocateCommonBuffer(dma, PAGE_SIZE, out var dataPa, false);
        if (data == 0)
        {
            return STATUS_INSUFFICIENT_RESOURCES;
        }

        try
        {
            Span<byte> command = stackalloc byte[SubmissionEntrySize];
            BuildAdmin(command, NvmeOpcodes.Identify, nsid: 0, prp1: (ulong)dataPa.QuadPart, cdw10: NvmeOpcodes.CnsController, cdw11: 0);
            var status = AdminCommand(adapter, command);
            if (!status.IsSuccess())
            {
                return status;
            }

            var identify = new byte[PAGE_SIZE];
            CopyToHost(data, identify);
            adapter.SerialNumber = Encoding.ASCII.GetString(identify, 4, 20).Trim();
            adapter.ModelNumber = Encoding.ASCII.GetString(identify, 24, 40).Trim();
            adapter.FirmwareRevision = Encoding.ASCII.GetString(identify, 64, 8).Trim();
            var mdts = identify[77];
            if (mdts != 0)
            {
                adapter.MaxTransfer = Math.Min(adapter.MaxTransfer, (uint)PAGE_SIZE << mdts);
            }

            BuildAdmin(command, NvmeOpcodes.Identify, nsid: 1, prp1: (ulong)dataPa.QuadPart, cdw10: NvmeOpcodes.CnsNamespace, cdw11: 0);
            status = AdminCommand(adapter, command);
            if (!status.IsSuccess())
            {
                return status;
            }

            CopyToHost(data, identify);
            adapter.BlockCount = BinaryPrimitives.ReadInt64LittleEndian(identify);
            var format = identify[26] & 0xF;
            var lbads = identify[128 + (format * 4) + 2];
            adapter.BlockSize = 1u << lbads;
            return adapter.BlockSize == 512 ? STATUS_SUCCESS : STATUS_NOT_SUPPORTED;
        }
        finally
        {
            dma.DmaOperations.FreeCommonBuffer(dma, PAGE_SIZE, dataPa, data, false);
        }
    }

    private static NTSTATUS CreateIoQueues(NvmeAdapter adapter)
    {
        Span<byte> command = stackalloc byte[SubmissionEntrySize];

        // Create I/O Completion Queue: QID 1, QSIZE, physically contiguous, interrupts enabled on vector 0.
        BuildAdmin(command, NvmeOpcodes.CreateIoCompletionQueue, 0, adapter.IoCq.Pa,
            1u | ((uint)(NvmeAdapter.IoQueueDepth - 1) << 16), 0b11);
        var status = AdminCommand(adapter, command);
        if (!status.IsSuccess())
        {
            return status;
        }

        // Create I/O Submission Queue: QID 1, QSIZE, physically contiguous, completing to CQ 1.
        BuildAdmin(command, NvmeOpcodes.CreateIoSubmissionQueue, 0, adapter.IoSq.Pa,
            1u | ((uint)(NvmeAdapter.IoQueueDepth - 1) << 16), 1u | (1u << 16));
        return AdminCommand(adapter, command);
    }

    private static void BuildAdmin(Span<byte> command, byte opcode, uint nsid, ulong prp1, uint cdw10, uint cdw11)
    {
        command.Clear();
        command[0] = opcode;
        BinaryPrimitives.WriteUInt32LittleEndian(command[4..], nsid);
        BinaryPrimitives.WriteUInt64LittleEndian(command[24..], prp1);
        BinaryPrimitives.WriteUInt32LittleEndian(command[40..], cdw10);
        BinaryPrimitives.WriteUInt32LittleEndian(command[44..], cdw11);
    }

    /// <summary>Submits one admin command and waits (PASSIVE_LEVEL) for the DPC to report its completion.</summary>
    private static NTSTATUS AdminCommand(NvmeAdapter adapter, Span<byte> command)
    {
        KeClearEvent(adapter.AdminEvent);
        KeAcquireSpinLock(adapter.Lock, out var oldIrql);
        var cid = adapter.NextAdminCid++;
        BinaryPrimitives.WriteUInt16LittleEndian(command[2..], cid);
        var sq = adapter.AdminSq;
        CopyFromHost(sq.Va + ((ulong)sq.Pointer * SubmissionEntrySize), command);
        sq.Pointer = (sq.Pointer + 1) % sq.Size;
        WRITE_REGISTER_ULONG(adapter.Registers + NvmeRegisters.SubmissionTailDoorbell(0), (uint)sq.Pointer);
        KeReleaseSpinLock(adapter.Lock, oldIrql);

        var timeout = new LARGE_INTEGER(-10_000_000L * 5);
        if (KeWaitForSingleObject(adapter.AdminEvent, Executive, KernelMode, false, timeout) == STATUS_TIMEOUT)
        {
            return STATUS_IO_TIMEOUT;
        }

        return StatusFromNvme(adapter.AdminStatus);
    }
}
