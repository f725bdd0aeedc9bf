namespace SharpNT.Kernel.Ke;

internal sealed partial class KernelCore
{
    private SortedSet<KTIMER> _timerQueue = null!;
    private long _timerSequence;

    /// <summary>The earliest due time in the queue (long.MaxValue when empty), readable without the lock.</summary>
    private long _nextDue = long.MaxValue;

    private sealed class TimerOrder : IComparer<KTIMER>
    {
        public static readonly TimerOrder Instance = new();

        public int Compare(KTIMER? x, KTIMER? y)
        {
            var c = x!.DueTime.CompareTo(y!.DueTime);
            return c != 0 ? c : x.Sequence.CompareTo(y.Sequence);
        }
    }

    private void InitializeTimers() => _timerQueue = new SortedSet<KTIMER>(TimerOrder.Instance);

    /// <summary>
    /// Converts an NT due time to absolute interrupt time: negative is relative to now (100 ns units),
    /// positive is an absolute system time.
    /// </summary>
    internal long ToInterruptTime(long dueTime)
    {
        if (dueTime >= 0)
        {
            return Math.Max(dueTime - BootSystemTime, 0);
        }

        // A relative interval too long to add (Sleep(INFINITE) passes the most negative value) never expires.
        var due = unchecked(InterruptTime - dueTime);
        return due < InterruptTime ? long.MaxValue : due;
    }

    internal static void InitializeTimer(KTIMER timer, TIMER_TYPE type)
    {
        timer.Type = type == TIMER_TYPE.SynchronizationTimer ? KObjectType.TimerSynchronizationObject : KObjectType.TimerNotificationObject;
        timer.SignalState = 0;
        timer.Inserted = false;
        timer.Period = 0;
        timer.Dpc = null;
        timer.WaitList.Clear();
    }

    /// <summary>KeSetTimerEx: (re)arms the timer; returns whether it was already in the timer queue.</summary>
    internal bool SetTimer(KTIMER timer, long dueTime, int period, KDPC? dpc)
    {
        if (period < 0)
        {
            throw new NtException(NTSTATUS.STATUS_INVALID_PARAMETER);
        }

        lock (DispatcherLock)
        {
            var wasInserted = timer.Inserted;
            if (wasInserted)
            {
                RemoveTimerLocked(timer);
            }

            timer.SignalState = 0;
            timer.Dpc = dpc;
            InsertTimerLocked(timer, ToInterruptTime(dueTime), period);
            return wasInserted;
        }
    }

    /// <summary>KeCancelTimer: dequeues the timer; returns whether it was in the queue.</summary>
    internal bool CancelTimer(KTIMER timer)
    {
        lock (DispatcherLock)
        {
            if (!timer.Inserted)
            {
                return false;
            }

            RemoveTimerLocked(timer);
            return true;
        }
    }

    internal void InsertTimerLocked(KTIMER timer, long dueInterruptTime, int period)
    {
        if (timer.Inserted)
        {
            RemoveTimerLocked(timer);
        }

        timer.DueTime = dueInterruptTime;
        timer.Period = period;
        timer.Sequence = ++_timerSequence;
        timer.Inserted = true;
        _timerQueue.Add(timer);
        Volatile.Write(ref _nextDue, _timerQueue.Min!.DueTime);
        if (!Deterministic)
        {
            // Wake the clock thread: the next expiry may be sooner now.
            WakeClockThread();
        }
    }

    internal void RemoveTimerLocked(KTIMER timer)
    {
        _timerQueue.Remove(timer);
        timer.Inserted = false;
        Volatile.Write(ref _nextDue, _timerQueue.Count > 0 ? _timerQueue.Min!.DueTime : long.MaxValue);
    }

    /// <summary>The pending timers in expiry order, for the debugger.</summary>
    internal IReadOnlyList<KTIMER> SnapshotTimers()
    {
        lock (DispatcherLock)
        {
            return [.. _timerQueue];
        }
    }

    /// <summary>Whether a timer falls due within <paramref name="ticks"/> from now (a racy read is fine: it is a hint).</summary>
    internal bool TimerDueWithin(long ticks) => Volatile.Read(ref _nextDue) <= InterruptTime + ticks;

    /// <summary>Deterministic mode, nothing runnable: move the clock to the next due timer.</summary>
    internal bool TryJumpToNextTimerLocked()
    {
        if (_timerQueue.Count == 0)
        {
            return false;
        }

        var due = _timerQueue.Min!.DueTime;
        if (due > _interruptTime)
        {
            _interruptTime = due;
        }

        return true;
    }

    internal TimeSpan NextTimerDelayLocked()
    {
        if (_timerQueue.Count == 0)
        {
            return TimeSpan.FromMilliseconds(50);
        }

        var ticks = _timerQueue.Min!.DueTime - InterruptTime;
        return ticks <= 0 ? TimeSpan.Zero : TimeSpan.FromTicks(Math.Min(ticks, TimeSpan.TicksPerMillisecond * 50));
    }

    /// <summary>
    /// The clock interrupt's timer work: every timer whose due time has passed is signaled (waking its
    /// waiters), its DPC queued, and a periodic timer re-armed. Dispatcher lock held.
    /// </summary>
    internal void ExpireTimersLocked(KPRCB? processor)
    {
        var now = InterruptTime;
        while (_timerQueue.Count > 0)
        {
            var timer = _timerQueue.Min!;
            if (timer.DueTime > now)
            {
                return;
            }

            RemoveTimerLocked(timer);
            if (timer.TimeoutThread is { } waiter)
            {
                if (waiter.WaitActive)
                {
                    CompleteWaitLocked(waiter, waiter.WaitCount == 0 ? NTSTATUS.STATUS_SUCCESS : NTSTATUS.STATUS_TIMEOUT);
                }

                continue;
            }

            timer.SignalState = 1;
            SignalObjectLocked(timer);
            if (timer.Dpc is { } dpc)
            {
                QueueTimerDpc(dpc, timer.DueTime, processor);
            }

            if (timer.Period > 0)
            {
                InsertTimerLocked(timer, timer.DueTime + (timer.Period * TimeSpan.TicksPerMillisecond), timer.Period);
            }
        }
    }

    /// <summary>Parallel mode: expire due timers from any thread (the clock thread or a scheduling point).</summary>
    internal void ExpireTimersParallel()
    {
        lock (DispatcherLock)
        {
            if (_timerQueue.Count == 0 || _timerQueue.Min!.DueTime > InterruptTime)
            {
                return;
            }

            var here = KTHREAD.Current;
            ExpireTimersLocked(here?.Machine == _machine ? here.Processor : null);
        }

        DrainIdleProcessors();
    }

    private void QueueTimerDpc(KDPC dpc, long dueTime, KPRCB? processor)
    {
        // The timer DPC goes to the processor that took the clock interrupt; SystemArgument1/2 carry the
        // due time's low and high parts, as KiTimerExpiration passes them.
        var target = dpc.TargetProcessor >= 0 ? Processors[dpc.TargetProcessor] : processor ?? Processors[0];
        lock (target.DpcLock)
        {
            if (dpc.Queued)
            {
                return;
            }

            dpc.SystemArgument1 = (uint)dueTime;
            dpc.SystemArgument2 = (uint)(dueTime >> 32);
            target.EnqueueDpc(dpc);
        }

        _machine.Events.OnDpcQueued(target, dpc);
    }
}
