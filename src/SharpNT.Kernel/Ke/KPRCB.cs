using System.Diagnostics;

namespace SharpNT.Kernel.Ke;

/// <summary>
/// A processor's control block: its IRQL, the thread it runs, and its DPC queue. Only the code running on
/// the processor changes its IRQL.
/// </summary>
[DebuggerDisplay("Processor {Number} {Irql} thread {CurrentThread}")]
public sealed class KPRCB
{
    private readonly LinkedList<KDPC> _dpcQueue = new();

    internal KPRCB(int number, KTHREAD idleThread)
    {
        Number = number;
        IdleThread = idleThread;
    }

    /// <summary>The processor number (KeGetCurrentProcessorNumber).</summary>
    public int Number { get; }

    /// <summary>The current IRQL of this processor.</summary>
    internal byte Irql { get; set; }

    /// <summary>The thread running on this processor; null while the processor is idle.</summary>
    internal KTHREAD? CurrentThread { get; set; }

    /// <summary>The processor's idle thread: the context DPCs run in when no thread holds the processor.</summary>
    internal KTHREAD IdleThread { get; }

    /// <summary>True while a DPC routine runs on this processor (KeIsExecutingDpc).</summary>
    internal bool DpcRoutineActive { get; set; }

    internal KDPC? CurrentDpc { get; set; }

    /// <summary>Guards the DPC queue: DPCs may be queued from any processor.</summary>
    internal object DpcLock { get; } = new();

    /// <summary>Queue depth read without the lock on the fast path; exact under <see cref="DpcLock"/>.</summary>
    internal volatile int DpcQueueDepth;

    internal void EnqueueDpc(KDPC dpc)
    {
        // Caller holds DpcLock. High importance goes to the head, as KeInsertQueueDpc documents.
        if (dpc.Importance == KDPC_IMPORTANCE.HighImportance)
        {
            _dpcQueue.AddFirst(dpc);
        }
        else
        {
            _dpcQueue.AddLast(dpc);
        }

        dpc.QueuedOn = this;
        DpcQueueDepth = _dpcQueue.Count;
    }

    internal bool RemoveDpc(KDPC dpc)
    {
        // Caller holds DpcLock.
        var removed = _dpcQueue.Remove(dpc);
        if (removed)
        {
            dpc.QueuedOn = null;
            DpcQueueDepth = _dpcQueue.Count;
        }

        return removed;
    }

    internal KDPC? DequeueDpc()
    {
        // Caller holds DpcLock.
        var first = _dpcQueue.First;
        if (first is null)
        {
            return null;
        }

        _dpcQueue.RemoveFirst();
        first.Value.QueuedOn = null;
        DpcQueueDepth = _dpcQueue.Count;
        return first.Value;
    }

    internal IReadOnlyList<KDPC> SnapshotDpcs()
    {
        lock (DpcLock)
        {
            return [.. _dpcQueue];
        }
    }
}
