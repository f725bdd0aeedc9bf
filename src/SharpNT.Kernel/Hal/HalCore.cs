using System.Diagnostics;
using SharpNT.Kernel.Ke;
using SharpNT.Kernel.Mm;

namespace SharpNT.Kernel.Hal;

/// <summary>
/// The HAL of one machine: the interrupt controller, the PCI bus the simulated devices sit on, memory-mapped
/// register access (MmMapIoSpace, READ_REGISTER_*/WRITE_REGISTER_*), DMA adapters over physical frames,
/// and the performance counter. Drivers reach hardware only through here.
/// </summary>
internal sealed partial class HalCore : IDeviceBus
{
    /// <summary>Physical addresses of device registers start here, above any RAM a machine can have (4 GiB).</summary>
    internal const ulong DeviceRegisterBase = 0x1_0000_0000UL;

    private readonly Machine _machine;
    private readonly List<IHardwareDevice> _devices = [];
    private readonly Dictionary<IHardwareDevice, int> _lines = [];
    private IHardwareDevice[] _deviceArray = [];

    /// <summary>Devices whose doorbell rang and that have not done the work yet (deterministic mode); read without a lock.</summary>
    private volatile int _devicesNeedingService;

    internal HalCore(Machine machine)
    {
        _machine = machine;
        Interrupts = new InterruptController(machine);
    }

    internal InterruptController Interrupts { get; }

    internal IReadOnlyList<IHardwareDevice> Devices => _deviceArray;

    /// <summary>Whether a device has work or an interrupt waits: the scheduler then has a decision to make.</summary>
    internal bool HasWork => _devicesNeedingService > 0 || Interrupts.PendingIrql > 0;

    internal bool DevicesNeedService => _devicesNeedingService > 0;

    public bool Deterministic => _machine.Ke.Deterministic;

    public bool Halted => _machine.BugCheckInfo is not null;

    public int FrameCount => _machine.Mm.Physical.FrameCount;

    public Span<byte> Frame(ulong pfn) => _machine.Mm.Physical.Frame(pfn);

    public void SetInterruptLine(int line, bool asserted) => Interrupts.SetLine(line, asserted);

    /// <summary>The physical address the next device's registers get: 64 KiB apart.</summary>
    internal ulong NextRegisterBase => DeviceRegisterBase + ((ulong)_devices.Count << 16);

    /// <summary>The interrupt line the next device gets.</summary>
    internal int NextInterruptLine => _devices.Count % InterruptController.LineCount;

    /// <summary>Plugs a device into the PCI bus (slot = its index), wired to <paramref name="line"/>.</summary>
    internal void AddDevice(IHardwareDevice device, int line)
    {
        Debug.Assert(device.RegisterBase == NextRegisterBase);
        _devices.Add(device);
        _lines[device] = line;
        _deviceArray = [.. _devices];
    }

    /// <summary>
    /// A device was asked for work (a doorbell). In parallel mode it does the work at once, on the
    /// writer's processor; in deterministic mode the scheduler decides when (a seeded choice among the
    /// runnable threads and the devices).
    /// </summary>
    public void RequestService(IHardwareDevice device)
    {
        if (!Deterministic)
        {
            device.Service();
            return;
        }

        Interlocked.Exchange(ref _devicesNeedingService, 1);
    }

    /// <summary>Deterministic mode: every device with pending work does it now (chosen by the scheduler).</summary>
    internal void ServiceDevices()
    {
        Interlocked.Exchange(ref _devicesNeedingService, 0);
        foreach (var device in _deviceArray)
        {
            if (device.NeedsService)
            {
                device.Service();
            }
        }
    }

    /// <summary>A bug check: every device loses power where it stands.</summary>
    internal void OnBugCheck()
    {
        foreach (var device in _deviceArray)
        {
            device.PowerLoss();
        }
    }

    /// <summary>A clean shutdown: every device writes back what it holds.</summary>
    internal void OnShutdown()
    {
        foreach (var device in _deviceArray)
        {
            device.Shutdown();
        }
    }

    /// <summary>
    /// The documented IRQL ceiling of a HAL routine: above it the caller gets IRQL_NOT_LESS_OR_EQUAL, with the
    /// IRQL it ran at and the address of the calling code.
    /// </summary>
    internal void CheckIrql(byte maximum)
    {
        var thread = _machine.Ke.CurrentThread;
        var irql = thread.Processor!.Irql;
        if (irql > maximum)
        {
            _machine.BugCheck.Raise(BugCheckCode.IRQL_NOT_LESS_OR_EQUAL, 0, irql, 0, thread.InnermostFrame()?.Address ?? 0);
        }
    }

    /// <summary>KeQueryPerformanceCounter: ticks of a 10 MHz counter (interrupt time), and its frequency.</summary>
    internal long QueryPerformanceCounter(out long frequency)
    {
        frequency = TimeSpan.TicksPerSecond;
        return _machine.Ke.QueryInterruptTime();
    }

    /// <summary>
    /// KeStallExecutionProcessor: busy-waits the given microseconds at any IRQL. In deterministic mode the
    /// virtual clock moves by that much and the stall is a scheduling point (a device the caller polls can
    /// make progress meanwhile); in parallel mode the processor spins on real time.
    /// </summary>
    internal void StallExecutionProcessor(uint microseconds)
    {
        var ke = _machine.Ke;
        if (ke.Deterministic)
        {
            ke.AdvanceClockUnlocked(microseconds * 10L);
            ke.Scheduler.SchedulingPoint(ke.CurrentThread);
            return;
        }

        var until = Stopwatch.GetTimestamp() + (long)(microseconds * (Stopwatch.Frequency / 1_000_000.0));
        while (Stopwatch.GetTimestamp() < until)
        {
            Thread.SpinWait(20);
        }

        ke.TakePendingInterrupts(ke.CurrentPrcb);
    }
}
