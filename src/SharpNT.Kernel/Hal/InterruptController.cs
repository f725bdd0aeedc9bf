using System.Diagnostics;
using SharpNT.Kernel.Ke;

namespace SharpNT.Kernel.Hal;

/// <summary>
/// The machine's interrupt controller (an I/O APIC with local APICs in lowest-priority delivery): device
/// interrupt lines, each routed to a vector whose IRQL is the vector's upper four bits, as on x64 NT
/// (IRQL = vector / 16). A line is level-sensitive: it interrupts while the device asserts it, the line is
/// unmasked and an ISR is connected to its vector. A processor takes a pending interrupt whenever its IRQL
/// is below the interrupt's: when it lowers its IRQL, right after a register access, or at a scheduling
/// decision (deterministic mode: the scheduler decides which processor and when, from the seed).
/// While a line's ISRs run, the line is in service and no other processor takes it (the APIC's ISR bit).
/// </summary>
internal sealed class InterruptController
{
    internal const int LineCount = 16;

    /// <summary>The first device vector: lines 0-15 map to vectors 0x70-0x7F, all at DIRQL 7.</summary>
    internal const uint FirstDeviceVector = 0x70;

    /// <summary>NT's interrupt storm detection: this many deliveries in a row that leave the line asserted.</summary>
    internal const int StormThreshold = 1000;

    private readonly Machine _machine;
    private readonly object _lock = new();
    private readonly List<KINTERRUPT>[] _connected = new List<KINTERRUPT>[LineCount];

    /// <summary>Per line, a copy of its connected interrupts that delivery reads without the lock (replaced, never changed).</summary>
    private readonly KINTERRUPT[][] _chains = new KINTERRUPT[LineCount][];
    private readonly bool[] _asserted = new bool[LineCount];
    private readonly bool[] _masked = new bool[LineCount];
    private readonly bool[] _inService = new bool[LineCount];
    private readonly int[] _stormCount = new int[LineCount];

    /// <summary>The highest IRQL among lines that could be delivered now (0: none); read without the lock.</summary>
    private volatile int _pendingIrql;

    internal InterruptController(Machine machine)
    {
        _machine = machine;
        for (var i = 0; i < LineCount; i++)
        {
            _connected[i] = [];
            _chains[i] = [];
            _masked[i] = true;
        }
    }

    /// <summary>The highest pending deliverable IRQL, 0 if no interrupt waits.</summary>
    internal int PendingIrql => _pendingIrql;

    internal static uint VectorOfLine(int line) => FirstDeviceVector + (uint)line;

    internal static byte IrqlOfVector(uint vector) => (byte)(vector >> 4);

    internal static int LineOfVector(uint vector) =>
        vector >= FirstDeviceVector && vector < FirstDeviceVector + LineCount ? (int)(vector - FirstDeviceVector) : -1;

    /// <summary>A device drives its line.</summary>
    internal void SetLine(int line, bool asserted)
    {
        lock (_lock)
        {
            if (_asserted[line] == asserted)
            {
                return;
            }

            _asserted[line] = asserted;
            if (!asserted)
            {
                _stormCount[line] = 0;
            }

            RecomputeLocked();
        }
    }

    /// <summary>Whether a line is asserted (for tests and the debugger).</summary>
    internal bool IsAsserted(int line)
    {
        lock (_lock)
        {
            return _asserted[line];
        }
    }

    /// <summary>IoConnectInterrupt's HAL half: the ISR joins its vector; the line is unmasked (HalEnableSystemInterrupt).</summary>
    internal NTSTATUS Connect(KINTERRUPT interrupt)
    {
        var line = LineOfVector(interrupt.Vector);
        if (line < 0)
        {
            return NTSTATUS.STATUS_INVALID_PARAMETER;
        }

        lock (_lock)
        {
            var list = _connected[line];
            if (list.Count > 0 && (!interrupt.ShareVector || list.Exists(i => !i.ShareVector)))
            {
                // The vector is taken by an interrupt that does not share it.
                return NTSTATUS.STATUS_INVALID_PARAMETER;
            }

            list.Add(interrupt);
            _chains[line] = [.. list];
            interrupt.Connected = true;
            _masked[line] = false;
            RecomputeLocked();
        }

        return NTSTATUS.STATUS_SUCCESS;
    }

    /// <summary>IoDisconnectInterrupt's HAL half: the last ISR gone, the line is masked (HalDisableSystemInterrupt).</summary>
    internal void Disconnect(KINTERRUPT interrupt)
    {
        var line = LineOfVector(interrupt.Vector);
        lock (_lock)
        {
            _connected[line].Remove(interrupt);
            _chains[line] = [.. _connected[line]];
            interrupt.Connected = false;
            if (_connected[line].Count == 0)
            {
                _masked[line] = true;
            }

            RecomputeLocked();
        }
    }

    private void RecomputeLocked()
    {
        var highest = 0;
        for (var line = 0; line < LineCount; line++)
        {
            if (_asserted[line] && !_masked[line] && !_inService[line] && _connected[line].Count > 0)
            {
                highest = Math.Max(highest, IrqlOfVector(VectorOfLine(line)));
            }
        }

        _pendingIrql = highest;
    }

    /// <summary>
    /// Delivers to <paramref name="prcb"/> (the caller's processor) every pending interrupt above its IRQL,
    /// highest first, as KiInterruptDispatch does: raise to the interrupt's SynchronizeIrql, take the
    /// interrupt spin lock, call each ISR connected to the vector until one claims it, release, lower.
    /// </summary>
    internal void Deliver(KPRCB prcb)
    {
        while (_pendingIrql > prcb.Irql)
        {
            int line;
            KINTERRUPT[] interrupts;
            lock (_lock)
            {
                line = HighestDeliverableLocked(prcb.Irql);
                if (line < 0)
                {
                    return;
                }

                _inService[line] = true;
                interrupts = _chains[line];
                RecomputeLocked();
            }

            try
            {
                // A shared vector: each ISR in turn until one says the interrupt was its device's.
                foreach (var interrupt in interrupts)
                {
                    if (Dispatch(prcb, interrupt))
                    {
                        break;
                    }
                }
            }
            finally
            {
                lock (_lock)
                {
                    // End of interrupt: the line may be delivered again.
                    _inService[line] = false;
                    RecomputeLocked();
                }
            }

            CheckStorm(line, interrupts);
        }
    }

    private int HighestDeliverableLocked(byte irql)
    {
        var best = -1;
        var bestIrql = (int)irql;
        for (var line = 0; line < LineCount; line++)
        {
            if (_asserted[line] && !_masked[line] && !_inService[line] && _connected[line].Count > 0)
            {
                var level = IrqlOfVector(VectorOfLine(line));
                if (level > bestIrql)
                {
                    best = line;
                    bestIrql = level;
                }
            }
        }

        return best;
    }

    /// <summary>
    /// A level-sensitive line still asserted after its ISRs ran, again and again: the device is never
    /// dismissed. NT stops with HARDWARE_INTERRUPT_STORM (0xF2): the first ISR's address, its context (a
    /// managed object here, so 0), the interrupt object, and 1 for a lone ISR or 2 for a chain.
    /// </summary>
    private void CheckStorm(int line, KINTERRUPT[] interrupts)
    {
        bool stillAsserted;
        lock (_lock)
        {
            stillAsserted = _asserted[line] && !_masked[line];
            _stormCount[line] = stillAsserted ? _stormCount[line] + 1 : 0;
            if (_stormCount[line] < StormThreshold)
            {
                return;
            }
        }

        var first = interrupts.Length > 0 ? interrupts[0] : null;
        _machine.BugCheck.Raise(BugCheckCode.HARDWARE_INTERRUPT_STORM, first?.RoutineAddress ?? 0, 0, first?.Address ?? 0,
            interrupts.Length > 1 ? 2UL : 1UL);
    }

    private bool Dispatch(KPRCB prcb, KINTERRUPT interrupt)
    {
        var ke = _machine.Ke;
        var thread = KTHREAD.Current!;
        Debug.Assert(thread.Processor == prcb);
        var old = ke.RaiseIrql(interrupt.SynchronizeIrql);
        ke.AcquireInterruptSpinLockAtIrql(interrupt);
        Interlocked.Increment(ref interrupt.ServiceCount);
        _machine.Events.OnInterrupt(prcb, interrupt);
        thread.PushFrame(new CallFrame(interrupt.Module, interrupt.RoutineAddress, interrupt.RoutineName));
        bool claimed;
        try
        {
            claimed = interrupt.ServiceRoutine(interrupt, interrupt.ServiceContext);
        }
        catch (Exception e) when (e is not MachineHaltedException && KernelCore.NoteFault(thread, e))
        {
            throw;
        }
        catch (Exception e) when (e is not MachineHaltedException)
        {
            // An exception in an ISR has no handler above it: the trap handler's verdict.
            _machine.BugCheck.RaiseForUnhandledException(thread, e, BugCheckCode.KMODE_EXCEPTION_NOT_HANDLED);
            throw new UnreachableException();
        }
        finally
        {
            thread.PopFrame();
        }

        if (prcb.Irql != interrupt.SynchronizeIrql)
        {
            // An ISR must return at the IRQL it was called at.
            _machine.BugCheck.Raise(BugCheckCode.IRQL_UNEXPECTED_VALUE,
                ((ulong)prcb.Irql << 16) | ((ulong)interrupt.SynchronizeIrql << 8), interrupt.RoutineAddress, 0, 0);
        }

        ke.ReleaseInterruptSpinLockAtIrql(interrupt);
        ke.LowerIrql(old);
        return claimed;
    }
}
