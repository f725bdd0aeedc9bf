namespace SharpNT.Kernel.Ke;


/// <summary>
/// A kernel timer: signaled when its due time passes on the machine's interrupt-time clock; optionally
/// periodic; optionally queues a DPC on expiry.
/// </summary>
public sealed class KTIMER : DispatcherObject
{
    public KTIMER()
        : base(KObjectType.TimerNotificationObject)
    {
    }

    /// <summary>Absolute interrupt time (100 ns units since boot) at which the timer expires.</summary>
    internal long DueTime { get; set; }

    /// <summary>Period in milliseconds; zero for a one-shot timer.</summary>
    internal int Period { get; set; }

    internal KDPC? Dpc { get; set; }

    internal bool Inserted { get; set; }

    /// <summary>Insertion order, so two timers due at the same time expire in a fixed order.</summary>
    internal long Sequence { get; set; }

    /// <summary>Set for a thread's own wait-timeout timer: expiry ends that thread's wait with STATUS_TIMEOUT.</summary>
    internal KTHREAD? TimeoutThread { get; set; }

    internal override void Consume(KTHREAD thread)
    {
        if (Type == KObjectType.TimerSynchronizationObject)
        {
            SignalState = 0;
        }
    }
}
