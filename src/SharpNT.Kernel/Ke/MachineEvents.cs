using System.Globalization;

namespace SharpNT.Kernel.Ke;

/// <summary>
/// The machine's event trace: scheduling, IRQL, DPC and lock events with the virtual time they happened
/// at. Off unless asked for; the determinism tests compare two runs' traces byte for byte.
/// </summary>
internal sealed class MachineEvents
{
    private readonly Machine _machine;
    private readonly List<string> _log = [];

    internal MachineEvents(Machine machine) => _machine = machine;

    /// <summary>Recording of the text event log (the determinism tests read it).</summary>
    internal bool RecordLog { get; set; }

    /// <summary>The Chrome trace being written, if any.</summary>
    internal Kd.ChromeTrace? Trace { get; set; }

    /// <summary>Whether any event consumer is attached: the hot paths check this one field.</summary>
    internal bool Enabled { get; private set; }

    internal void Refresh() => Enabled = RecordLog || Trace is not null;

    internal IReadOnlyList<string> Snapshot()
    {
        lock (_log)
        {
            return [.. _log];
        }
    }

    internal void Record(string what)
    {
        if (!RecordLog)
        {
            return;
        }

        var t = KTHREAD.Current;
        var line = string.Create(CultureInfo.InvariantCulture,
            $"{_machine.Ke.InterruptTime,10} cpu{t?.Processor?.Number ?? -1} {t?.Name ?? "host"}: {what}");
        lock (_log)
        {
            _log.Add(line);
        }
    }

    internal void OnIrqlChanged(KPRCB prcb, byte irql)
    {
        Trace?.OnIrql(prcb.Number, irql);
        if (RecordLog)
        {
            Record($"irql {Irql.Name(irql)}");
        }
    }

    internal void OnDpc(KPRCB prcb, KDPC dpc)
    {
        if (Enabled)
        {
            Trace?.OnProcessorEvent($"DPC {dpc.RoutineName}", prcb.Number, prcb.Irql);
            Record($"dpc {dpc.RoutineName} on cpu{prcb.Number} at {Irql.Name(prcb.Irql)}");
        }
    }

    internal void OnDpcQueued(KPRCB prcb, KDPC dpc)
    {
        if (Enabled)
        {
            Record($"queue dpc {dpc.RoutineName} to cpu{prcb.Number}");
        }
    }

    internal void OnInterrupt(KPRCB prcb, KINTERRUPT interrupt)
    {
        if (Enabled)
        {
            Trace?.OnProcessorEvent($"ISR {interrupt.RoutineName} (vector 0x{interrupt.Vector:x2})", prcb.Number, prcb.Irql);
            Record($"interrupt vector 0x{interrupt.Vector:x2} isr {interrupt.RoutineName} at {Irql.Name(prcb.Irql)} on cpu{prcb.Number}");
        }
    }

    internal void OnWait(KTHREAD thread, KWAIT_REASON reason)
    {
        if (Enabled)
        {
            Record($"wait {reason}");
        }
    }

    internal void OnSpinLockAcquired(KPRCB prcb, KSPIN_LOCK spinLock)
    {
        if (Enabled)
        {
            Record("spinlock acquired");
        }
    }

    internal void OnSpinLockReleased(KPRCB prcb, KSPIN_LOCK spinLock)
    {
        if (Enabled)
        {
            Record("spinlock released");
        }
    }
}
