using SharpNT.Kernel;
using SharpNT.Kernel.Hal;
using SharpNT.Kernel.Io;
using SharpNT.Kernel.Ke;

namespace SharpNT.Drivers.Storage.Nvme;

/// <summary>The port driver's device extension: one NVMe controller, its queues and the commands in flight.</summary>
internal sealed class NvmeAdapter
{
    internal const int AdminQueueDepth = 32;
    internal const int IoQueueDepth = 64;

    /// <summary>A full queue holds one entry less than its size: at most this many I/O commands are in flight.</summary>
    internal const int MaxCommands = IoQueueDepth - 1;

    internal int Number { get; init; }

    /// <summary>The adapter's FDO (\Device\RaidPortN), attached over the controller's PCI PDO.</summary>
    internal DEVICE_OBJECT Device { get; set; }

    /// <summary>What the FDO is attached to (the PCI PDO's stack), where PnP IRPs go on.</summary>
    internal DEVICE_OBJECT NextLowerDriver { get; set; }

    /// <summary>True between a successful IRP_MN_START_DEVICE and the removal.</summary>
    internal bool Started { get; set; }

    /// <summary>The mapped length of the registers, for MmUnmapIoSpace.</summary>
    internal ulong RegistersLength { get; set; }

    /// <summary>The disk PDOs the adapter reported, one per namespace.</summary>
    internal List<NvmeDiskPdo> Disks { get; } = [];

    /// <summary>BAR0 mapped by MmMapIoSpace.</summary>
    internal ulong Registers { get; set; }

    internal KINTERRUPT? Interrupt { get; set; }

    internal KDPC Dpc { get; } = new();

    /// <summary>Guards the queues, the command slots and the waiting requests (taken at DISPATCH_LEVEL).</summary>
    internal KSPIN_LOCK Lock { get; } = new();

    internal DMA_ADAPTER? Dma { get; set; }

    internal Queue AdminSq { get; } = new();

    internal Queue AdminCq { get; } = new();

    internal Queue IoSq { get; } = new();

    internal Queue IoCq { get; } = new();

    internal ushort NextAdminCid { get; set; }

    /// <summary>The admin command being waited for: its completion sets this event.</summary>
    internal KEVENT AdminEvent { get; } = new();

    internal ushort AdminStatus { get; set; }

    internal uint AdminResult { get; set; }

    internal CommandSlot[] Slots { get; } = new CommandSlot[MaxCommands];

    internal Stack<CommandSlot> FreeSlots { get; } = new();

    /// <summary>Parts of requests waiting for a free command slot, in arrival order.</summary>
    internal Queue<Request> Waiting { get; } = new();

    internal Dictionary<ulong, IrpState> Irps { get; } = [];

    /// <summary>IRPs whose commands are all done, completed by the DPC once it has let go of the lock.</summary>
    internal Queue<(IRP Irp, NTSTATUS Status, ulong Information)> ToComplete { get; } = new();

    // Recycled bookkeeping, so that a request allocates nothing once the adapter has warmed up (under Lock).
    private readonly Stack<Request> _freeRequests = new();
    private readonly Stack<IrpState> _freeStates = new();

    internal Request RentRequest(IRP irp, byte opcode, long offset, ulong va, uint length)
    {
        var r = _freeRequests.Count > 0 ? _freeRequests.Pop() : new Request();
        r.Irp = irp;
        r.Opcode = opcode;
        r.Offset = offset;
        r.Va = va;
        r.Length = length;
        return r;
    }

    internal void ReturnRequest(Request request) => _freeRequests.Push(request);

    internal IrpState RentState(int outstanding, ulong information)
    {
        var state = _freeStates.Count > 0 ? _freeStates.Pop() : new IrpState();
        state.Outstanding = outstanding;
        state.Information = information;
        state.Status = NTSTATUS.STATUS_SUCCESS;
        return state;
    }

    internal void ReturnState(IrpState state) => _freeStates.Push(state);

    /// <summary>Identify data: namespace size in blocks, block size, and the strings of the controller.</summary>
    internal long BlockCount { get; set; }

    internal uint BlockSize { get; set; } = 512;

    internal uint MaxTransfer { get; set; }

    internal string SerialNumber { get; set; } = "";

    internal string ModelNumber { get; set; } = "";

    internal string FirmwareRevision { get; set; } = "";

    /// <summary>Commands completed since start (for tests and the debugger).</summary>
    internal long Completed { get; set; }

    /// <summary>The most commands ever in flight at once.</summary>
    internal int MaxInFlight { get; set; }

    internal int InFlight => MaxCommands - FreeSlots.Count;

    /// <summary>A queue in a common buffer: its addresses and the driver's pointer into it.</summary>
    internal sealed class Queue
    {
        internal ulong Va { get; set; }

        internal ulong Pa { get; set; }

        internal int Size { get; set; }

        /// <summary>Submission queue: the tail the driver writes; completion queue: the head it reads.</summary>
        internal int Pointer { get; set; }

        /// <summary>Completion queue: the phase tag of new entries (starts at 1, flips at each wrap).</summary>
        internal int Phase { get; set; } = 1;

        internal int Id { get; set; }
    }

    /// <summary>One command identifier of the I/O queue, with its PRP list page.</summary>
    internal sealed class CommandSlot
    {
        internal ushort Cid { get; init; }

        internal ulong PrpListVa { get; init; }

        internal ulong PrpListPa { get; init; }

        internal Request? Request { get; set; }

        internal SCATTER_GATHER_LIST ScatterGather { get; set; }
    }

    /// <summary>One NVMe command's worth of an IRP: a read, write or flush.</summary>
    internal sealed class Request
    {
        internal IRP Irp { get; set; }

        internal byte Opcode { get; set; }

        internal long Offset { get; set; }

        internal ulong Va { get; set; }

        internal uint Length { get; set; }
    }

    /// <summary>An IRP split into commands: how many are still out, and the first failure.</summary>
    internal sealed class IrpState
    {
        internal int Outstanding { get; set; }

        internal NTSTATUS Status { get; set; } = NTSTATUS.STATUS_SUCCESS;

        internal ulong Information { get; set; }
    }
}
