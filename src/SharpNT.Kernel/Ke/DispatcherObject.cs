using System.Diagnostics;

namespace SharpNT.Kernel.Ke;

/// <summary>The kinds of dispatcher object (the DISPATCHER_HEADER Type byte, as KOBJECTS numbers them).</summary>
internal enum KObjectType : byte
{
    EventNotificationObject = 0,
    EventSynchronizationObject = 1,
    MutantObject = 2,
    ProcessObject = 3,
    QueueObject = 4,
    SemaphoreObject = 5,
    ThreadObject = 6,
    TimerNotificationObject = 8,
    TimerSynchronizationObject = 9,
}

/// <summary>
/// A dispatcher object: what a thread can wait on (DISPATCHER_HEADER). Its signal state and wait list are
/// guarded by the machine's dispatcher lock, as NT guards them with the dispatcher database lock.
/// </summary>
[DebuggerDisplay("{Type} SignalState {SignalState}")]
public abstract class DispatcherObject
{
    internal DispatcherObject(KObjectType type) => Type = type;

    internal KObjectType Type { get; set; }

    /// <summary>Positive when signaled; for a mutex, 1 when free and lower while owned.</summary>
    internal int SignalState { get; set; }

    /// <summary>Wait blocks of the threads waiting on this object, in arrival order.</summary>
    internal List<KWAIT_BLOCK> WaitList { get; } = [];

    /// <summary>Whether a wait by <paramref name="thread"/> would be satisfied now.</summary>
    internal virtual bool IsSignaledFor(KTHREAD thread) => SignalState > 0;

    /// <summary>Applies the side effect of a satisfied wait (auto-reset, count decrement, ownership).</summary>
    internal virtual void Consume(KTHREAD thread)
    {
    }
}
