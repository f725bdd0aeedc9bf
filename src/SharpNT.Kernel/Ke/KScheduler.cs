using System.Diagnostics;

namespace SharpNT.Kernel.Ke;

/// <summary>
/// Decides which simulated thread runs on which processor. Every simulated thread but the idle threads has
/// a host thread; a thread that is not running parks on its gate.
/// <para>
/// Deterministic mode: exactly one host thread executes at a time (it holds the baton). At each
/// scheduling point the running thread asks the scheduler, which picks with the machine's seeded
/// generator among: threads running on processors, ready threads that can get a processor, and idle
/// processors with DPCs queued. When nothing can run, the virtual clock jumps to the next timer.
/// </para>
/// <para>
/// Parallel mode: threads holding a processor run at once; a thread that waits hands its processor to the
/// first ready thread; a host clock thread expires timers on real time.
/// </para>
/// All state here is guarded by the dispatcher lock.
/// </summary>
internal sealed class KScheduler
{
    private readonly KernelCore _ke;
    private readonly Lock _lock;
    private readonly LinkedList<KTHREAD> _ready = new();
    private readonly List<Candidate> _candidates = [];
    private readonly SplitMix64 _rng;
    private readonly bool _deterministic;

    /// <summary>Deterministic mode: the thread whose host thread may execute, or null while no host drives.</summary>
    private KTHREAD? _active;

    /// <summary>
    /// Deterministic mode: the thread whose host thread is lent to an idle processor (its DPCs or interrupts)
    /// right now. It cannot be picked to run until the loan ends: its host thread is busy being the idle thread.
    /// </summary>
    private KTHREAD? _borrower;

    internal KScheduler(KernelCore ke, Lock dispatcherLock, ulong seed, bool deterministic)
    {
        _ke = ke;
        _lock = dispatcherLock;
        _rng = new SplitMix64(seed ^ 0x5EED_0F_5C4EDUL);
        _deterministic = deterministic;
    }

    internal bool Deterministic => _deterministic;

    /// <summary>The seeded generator for other machine decisions made under the dispatcher lock.</summary>
    internal SplitMix64 Random => _rng;

    internal int ReadyCount => _ready.Count;

    private enum CandidateKind
    {
        Continue,
        Start,
        IdleDpc,

        /// <summary>A device does the work its doorbell asked for (deterministic mode: devices act when the scheduler says).</summary>
        Device,

        /// <summary>A processor takes a pending device interrupt: an idle one, or the caller's own.</summary>
        Interrupt,
    }

    private readonly record struct Candidate(CandidateKind Kind, KTHREAD? Thread, KPRCB? Processor);

    /// <summary>
    /// Makes the calling host thread the simulated thread <paramref name="thread"/> and returns once the
    /// scheduler has given it a processor.
    /// </summary>
    internal void Attach(KTHREAD thread)
    {
        KTHREAD.Current = thread;
        thread.HostThread = Thread.CurrentThread;
        lock (_lock)
        {
            thread.State = KTHREAD_STATE.Ready;
            _ready.AddLast(thread);
            if (_deterministic)
            {
                if (_active is not null)
                {
                    throw new InvalidOperationException("Another host thread is driving this machine.");
                }

                _active = thread;
            }
            else
            {
                TryGiveProcessorLocked();
            }
        }

        if (_deterministic)
        {
            ScheduleDeterministic(thread);
        }
        else
        {
            ParkUntilRunning(thread);
        }
    }

    /// <summary>Ends the calling simulated thread: frees its processor and hands on the baton.</summary>
    internal void Exit(KTHREAD thread, bool handOn)
    {
        lock (_lock)
        {
            ReleaseProcessorLocked(thread);
            thread.State = KTHREAD_STATE.Terminated;
            _ready.Remove(thread);
            if (_deterministic)
            {
                if (!handOn)
                {
                    // The host stops driving: nothing runs until it drives again.
                    _active = null;
                }
            }
            else
            {
                TryGiveProcessorLocked();
            }
        }

        if (_deterministic && handOn)
        {
            ScheduleDeterministic(thread);
        }

        KTHREAD.Current = null;
    }

    /// <summary>Makes a waiting thread ready (its wait was satisfied). Dispatcher lock held.</summary>
    internal void ReadyThreadLocked(KTHREAD thread)
    {
        Debug.Assert(_lock.IsHeldByCurrentThread);
        if (!_deterministic && thread.Processor is { } held && held.CurrentThread == thread)
        {
            // Parallel mode: the wait was satisfied before the waiter gave up its processor (it is between
            // registering its wait and blocking). It keeps its processor and simply runs on; making it
            // ready here would hand it a second processor and leave the first one held by no one.
            thread.State = KTHREAD_STATE.Running;
            return;
        }

        thread.State = KTHREAD_STATE.Ready;
        _ready.AddLast(thread);
        if (!_deterministic)
        {
            TryGiveProcessorLocked();
        }
    }

    /// <summary>
    /// A scheduling point of a running thread: the scheduler may let another thread run first, or run
    /// queued DPCs. Returns when the caller runs again.
    /// </summary>
    internal void Yield(KTHREAD self)
    {
        if (_deterministic)
        {
            ScheduleDeterministic(self);
        }
        else
        {
            YieldParallel(self);
        }
    }

    /// <summary>
    /// A kernel entry point where, in deterministic mode, another processor's thread may run first: the
    /// interleavings of a multiprocessor are decided here, from the seed. The caller keeps its processor
    /// (it may hold spin locks); below DISPATCH_LEVEL it may also be preempted by a ready thread.
    /// </summary>
    internal void SchedulingPoint(KTHREAD self)
    {
        if (!_deterministic)
        {
            if (self.Processor!.Irql < Irql.DISPATCH_LEVEL)
            {
                YieldParallel(self);
            }

            return;
        }

        if (CanContinueAlone(self))
        {
            _ke.AdvanceClockUnlocked(KernelCore.SchedulingQuantum);
            return;
        }

        ScheduleDeterministic(self);
    }

    /// <summary>
    /// Deterministic fast path: nothing but the caller could run (no other running thread, no ready
    /// thread, no DPC on an idle processor, no timer due), so there is no decision to make.
    /// </summary>
    private bool CanContinueAlone(KTHREAD self)
    {
        if (_ready.Count != 0 || self.State != KTHREAD_STATE.Running)
        {
            return false;
        }

        foreach (var prcb in _ke.Processors)
        {
            var t = prcb.CurrentThread;
            if (t is null ? prcb.DpcQueueDepth > 0 : t != self)
            {
                return false;
            }
        }

        return !_ke.TimerDueWithin(KernelCore.SchedulingQuantum) && !_ke.Machine.Hal.HasWork;
    }

    /// <summary>
    /// The caller has been marked Waiting under the dispatcher lock (and released it); gives up its
    /// processor and returns once its wait is satisfied and it runs again.
    /// </summary>
    internal void Block(KTHREAD self)
    {
        if (_deterministic)
        {
            lock (_lock)
            {
                if (self.State == KTHREAD_STATE.Waiting)
                {
                    ReleaseProcessorLocked(self);
                }
            }

            ScheduleDeterministic(self);
        }
        else
        {
            lock (_lock)
            {
                if (self.State == KTHREAD_STATE.Waiting)
                {
                    ReleaseProcessorLocked(self);
                    TryGiveProcessorLocked();
                }
            }

            _ke.DrainIdleProcessors();
            ParkUntilRunning(self);
        }
    }

    /// <summary>Wakes every parked host thread so that each unwinds (halt or shutdown).</summary>
    internal void ReleaseAll(IEnumerable<KTHREAD> threads)
    {
        // An idle thread has a host thread only while some thread borrows it to run DPCs.
        var borrowedIdle = _ke.Processors.Select(p => p.IdleThread).Where(t => t.HostThread is not null);
        foreach (var t in threads.Concat(borrowedIdle))
        {
            t.Terminating = true;
            if (t.HostThread is not null)
            {
                t.Gate.Release();
            }
        }
    }

    private void ReleaseProcessorLocked(KTHREAD thread)
    {
        var prcb = thread.Processor;
        if (prcb is not null && prcb.CurrentThread == thread)
        {
            thread.SwitchIrql = prcb.Irql;
            prcb.CurrentThread = null;
            prcb.Irql = Irql.PASSIVE_LEVEL;
        }
    }

    private static void Place(KTHREAD thread, KPRCB prcb)
    {
        prcb.CurrentThread = thread;
        prcb.Irql = thread.SwitchIrql;
        thread.Processor = prcb;
        thread.State = KTHREAD_STATE.Running;
    }

    private void ParkUntilRunning(KTHREAD self)
    {
        while (true)
        {
            lock (_lock)
            {
                if (self.State == KTHREAD_STATE.Running || self.Terminating)
                {
                    break;
                }
            }

            self.Gate.Wait();
        }

        AfterResume(self);
    }

    private void AfterResume(KTHREAD self)
    {
        _ke.ThrowIfStopping(self);

        // A DPC queued to this processor while the thread was switched out is delivered as soon as the
        // thread runs below DISPATCH_LEVEL again (the pending DPC interrupt).
        var prcb = self.Processor!;
        _ke.TakePendingInterrupts(prcb);
        if (prcb.Irql < Irql.DISPATCH_LEVEL && prcb.DpcQueueDepth > 0)
        {
            _ke.DrainDpcs(prcb);
        }

        _ke.DeliverApcsIfPending(self);
    }

    // ---- Deterministic mode -------------------------------------------------------------------------

    private void ScheduleDeterministic(KTHREAD self)
    {
        while (true)
        {
            Candidate pick;
            var continueSelf = false;
            lock (_lock)
            {
                Debug.Assert(_active == self, "Only the thread holding the baton schedules.");
                _ke.AdvanceClockLocked(KernelCore.SchedulingQuantum);
                _ke.ExpireTimersLocked(self.Processor);

                if (!TryPickLocked(self, out pick))
                {
                    if (_ke.TryJumpToNextTimerLocked())
                    {
                        continue;
                    }

                    // Nothing can ever run again. If the host is waiting in Run, tell it.
                    _active = null;
                    _ke.OnHungLocked();
                    break;
                }

                switch (pick.Kind)
                {
                    case CandidateKind.Continue when pick.Thread == self:
                        continueSelf = true;
                        break;
                    case CandidateKind.Continue:
                        _active = pick.Thread;
                        break;
                    case CandidateKind.Start:
                        StartLocked(self, pick.Thread!);
                        break;
                    case CandidateKind.IdleDpc:
                    case CandidateKind.Device:
                    case CandidateKind.Interrupt:
                        break;
                }
            }

            if (pick.Kind == CandidateKind.Device)
            {
                _ke.Machine.Hal.ServiceDevices();
                continue;
            }

            if (pick.Kind == CandidateKind.Interrupt)
            {
                TakeInterruptDeterministic(self, pick.Processor!);
                continue;
            }

            if (continueSelf)
            {
                AfterResume(self);
                return;
            }

            if (pick.Kind == CandidateKind.IdleDpc)
            {
                RunIdleDpcsDeterministic(self, pick.Processor!);
                continue;
            }

            if (pick.Thread == self)
            {
                // Started on a processor (it was ready).
                AfterResume(self);
                return;
            }

            pick.Thread!.Gate.Release();
            break;
        }

        if (self.State == KTHREAD_STATE.Terminated)
        {
            return;
        }

        ParkDeterministic(self);
    }

    /// <summary>
    /// Runs an idle processor's DPCs on the caller's host thread as that processor's idle thread, which
    /// holds the baton meanwhile: a DPC that reaches a scheduling point parks on the idle thread's gate
    /// until the scheduler picks that processor again.
    /// </summary>
    private void RunIdleDpcsDeterministic(KTHREAD borrower, KPRCB prcb)
    {
        var idle = prcb.IdleThread;
        KTHREAD? previousBorrower;
        lock (_lock)
        {
            prcb.CurrentThread = idle;
            idle.Processor = prcb;
            idle.State = KTHREAD_STATE.Running;
            idle.HostThread = Thread.CurrentThread;
            _active = idle;
            previousBorrower = _borrower;
            _borrower = borrower;
        }

        try
        {
            _ke.DrainDpcsInIdleContext(prcb);
        }
        finally
        {
            lock (_lock)
            {
                prcb.CurrentThread = null;
                prcb.Irql = Irql.PASSIVE_LEVEL;
                idle.State = KTHREAD_STATE.Waiting;
                idle.HostThread = null;
                _active = borrower;
                _borrower = previousBorrower;
            }
        }
    }

    /// <summary>
    /// A processor takes the pending device interrupts: the caller's own (the interrupt preempts it where it
    /// stands), or an idle one, whose idle context borrows the caller's host thread as for idle DPCs.
    /// </summary>
    private void TakeInterruptDeterministic(KTHREAD self, KPRCB prcb)
    {
        if (prcb.CurrentThread == self)
        {
            _ke.TakePendingInterrupts(prcb);
            return;
        }

        var idle = prcb.IdleThread;
        KTHREAD? previousBorrower;
        lock (_lock)
        {
            prcb.CurrentThread = idle;
            idle.Processor = prcb;
            idle.State = KTHREAD_STATE.Running;
            idle.HostThread = Thread.CurrentThread;
            _active = idle;
            previousBorrower = _borrower;
            _borrower = self;
        }

        try
        {
            _ke.TakeInterruptsInIdleContext(prcb);
        }
        finally
        {
            lock (_lock)
            {
                prcb.CurrentThread = null;
                prcb.Irql = Irql.PASSIVE_LEVEL;
                idle.State = KTHREAD_STATE.Waiting;
                idle.HostThread = null;
                _active = self;
                _borrower = previousBorrower;
            }
        }
    }

    private void ParkDeterministic(KTHREAD self)
    {
        while (true)
        {
            self.Gate.Wait();
            lock (_lock)
            {
                if (self.Terminating || (_active == self && self.State == KTHREAD_STATE.Running))
                {
                    break;
                }
            }
        }

        AfterResume(self);
    }

    private void StartLocked(KTHREAD self, KTHREAD thread)
    {
        _ready.Remove(thread);
        var prcb = FreeProcessorLocked();
        if (prcb is null)
        {
            // No idle processor: the ready thread preempts the caller, which goes to the back of the queue.
            Debug.Assert(self.State == KTHREAD_STATE.Running && self.Processor!.Irql < Irql.DISPATCH_LEVEL);
            prcb = self.Processor!;
            ReleaseProcessorLocked(self);
            self.State = KTHREAD_STATE.Ready;
            _ready.AddLast(self);
        }

        Place(thread, prcb);
        _active = thread;
    }

    private KPRCB? FreeProcessorLocked()
    {
        foreach (var prcb in _ke.Processors)
        {
            if (prcb.CurrentThread is null)
            {
                return prcb;
            }
        }

        return null;
    }

    private bool TryPickLocked(KTHREAD self, out Candidate pick)
    {
        _candidates.Clear();
        var freeProcessor = false;
        foreach (var prcb in _ke.Processors)
        {
            var t = prcb.CurrentThread;
            if (t is not null)
            {
                if (t.State == KTHREAD_STATE.Running && t != _borrower)
                {
                    _candidates.Add(new Candidate(CandidateKind.Continue, t, prcb));
                }
            }
            else
            {
                freeProcessor = true;
                if (prcb.DpcQueueDepth > 0)
                {
                    _candidates.Add(new Candidate(CandidateKind.IdleDpc, null, prcb));
                }
            }
        }

        var hal = _ke.Machine.Hal;
        if (hal.DevicesNeedService)
        {
            _candidates.Add(new Candidate(CandidateKind.Device, null, null));
        }

        var pendingIrql = hal.Interrupts.PendingIrql;
        if (pendingIrql > 0)
        {
            foreach (var prcb in _ke.Processors)
            {
                // An idle processor takes it only while the caller holds no processor: the caller's host thread
                // becomes the idle processor's meanwhile, and a running caller may hold what the ISR needs.
                var t = prcb.CurrentThread;
                var selfRunning = self.State == KTHREAD_STATE.Running;
                if ((t is null && !selfRunning) || (t == self && selfRunning && prcb.Irql < pendingIrql))
                {
                    _candidates.Add(new Candidate(CandidateKind.Interrupt, t, prcb));
                }
            }
        }

        var selfPreemptible = self.State == KTHREAD_STATE.Running && self.Processor!.Irql < Irql.DISPATCH_LEVEL
            && self.KernelApcDisable >= 0;
        if (freeProcessor || selfPreemptible)
        {
            foreach (var t in _ready)
            {
                if (t != _borrower)
                {
                    _candidates.Add(new Candidate(CandidateKind.Start, t, null));
                }
            }
        }

        if (_candidates.Count == 0)
        {
            pick = default;
            return false;
        }

        pick = _candidates[_rng.NextInt(_candidates.Count)];
        return true;
    }

    // ---- Parallel mode ------------------------------------------------------------------------------

    private void YieldParallel(KTHREAD self)
    {
        var prcb = self.Processor!;
        _ke.ExpireTimersParallel();
        if (prcb.Irql < Irql.DISPATCH_LEVEL && prcb.DpcQueueDepth > 0)
        {
            _ke.DrainDpcs(prcb);
        }

        if (_ready.Count == 0 || prcb.Irql >= Irql.DISPATCH_LEVEL)
        {
            return;
        }

        lock (_lock)
        {
            if (_ready.Count == 0)
            {
                return;
            }

            // Round robin: hand the processor to the first ready thread and queue behind it.
            ReleaseProcessorLocked(self);
            self.State = KTHREAD_STATE.Ready;
            _ready.AddLast(self);
            TryGiveProcessorLocked();
        }

        ParkUntilRunning(self);
    }

    private void TryGiveProcessorLocked()
    {
        while (_ready.First is { } node)
        {
            var prcb = FreeProcessorLocked();
            if (prcb is null)
            {
                return;
            }

            _ready.RemoveFirst();
            Place(node.Value, prcb);
            node.Value.Gate.Release();
        }
    }

    /// <summary>Parallel mode: claims an idle processor for DPC work in its idle thread's context.</summary>
    internal bool TryClaimIdleProcessor(KPRCB prcb)
    {
        lock (_lock)
        {
            if (prcb.CurrentThread is not null)
            {
                return false;
            }

            prcb.CurrentThread = prcb.IdleThread;
            prcb.IdleThread.State = KTHREAD_STATE.Running;
            prcb.IdleThread.Processor = prcb;
            return true;
        }
    }

    internal void ReleaseIdleProcessor(KPRCB prcb)
    {
        lock (_lock)
        {
            prcb.CurrentThread = null;
            prcb.IdleThread.State = KTHREAD_STATE.Ready;
            TryGiveProcessorLocked();
        }
    }
}
