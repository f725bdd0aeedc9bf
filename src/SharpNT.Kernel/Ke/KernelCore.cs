using System.Diagnostics;
using SharpNT.Kernel.Mm;

namespace SharpNT.Kernel.Ke;

/// <summary>A system thread's start routine (KSTART_ROUTINE).</summary>
public delegate void KSTART_ROUTINE(object? StartContext);

/// <summary>
/// The Kernel (Ke): processors and their IRQL, threads and the scheduler, DPCs, dispatcher objects and
/// waits, timers and the clock. One per machine.
/// </summary>
internal sealed partial class KernelCore
{
    /// <summary>Virtual time a scheduling decision takes in deterministic mode: 1 µs.</summary>
    internal const long SchedulingQuantum = 10;

    /// <summary>System time at boot for deterministic machines: 2026-01-01T00:00:00Z as a FILETIME.</summary>
    internal static readonly long DeterministicBootSystemTime = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc).ToFileTimeUtc();

    private readonly Machine _machine;
    private readonly List<KTHREAD> _threads = [];
    private readonly Stopwatch _realClock = Stopwatch.StartNew();
    private int _nextThreadId = 4;
    private ulong _nextThreadAddress = 0xFFFFFA80_00100080UL;
    private long _interruptTime;
    private Thread? _clockThread;
    private bool _stopClock;

    internal KernelCore(Machine machine, int processorCount, SchedulingMode mode, ulong seed)
    {
        _machine = machine;
        DispatcherLock = new Lock();
        Scheduler = new KScheduler(this, DispatcherLock, seed, mode == SchedulingMode.Deterministic);
        Processors = new KPRCB[processorCount];
        for (var i = 0; i < processorCount; i++)
        {
            var idle = NewThread(ThreadKind.Idle, $"Idle {i}");
            Processors[i] = new KPRCB(i, idle);
            idle.Processor = Processors[i];
        }

        BootSystemTime = mode == SchedulingMode.Deterministic ? DeterministicBootSystemTime : DateTime.UtcNow.ToFileTimeUtc();
        InitializeTimers();
    }

    /// <summary>NT's dispatcher database lock: guards thread states, wait lists and the timer queue.</summary>
    internal Lock DispatcherLock { get; }

    internal KScheduler Scheduler { get; }

    internal KPRCB[] Processors { get; }

    internal Machine Machine => _machine;

    internal long BootSystemTime { get; }

    internal bool Deterministic => Scheduler.Deterministic;

    /// <summary>Interrupt time: 100 ns units since boot (KeQueryInterruptTime).</summary>
    internal long InterruptTime =>
        Deterministic ? Volatile.Read(ref _interruptTime) : _realClock.Elapsed.Ticks;

    /// <summary>Deterministic mode only, by the thread holding the baton (no other thread runs).</summary>
    internal void AdvanceClockUnlocked(long ticks) => _interruptTime += ticks;

    internal void AdvanceClockLocked(long ticks)
    {
        if (Deterministic)
        {
            _interruptTime += ticks;
        }
    }

    /// <summary>
    /// Reading the clock takes time, even in the virtual clock: 100 ns a read, so a driver that polls the
    /// clock in a loop sees it move.
    /// </summary>
    internal long QueryInterruptTime()
    {
        if (!Deterministic)
        {
            return _realClock.Elapsed.Ticks;
        }

        return Interlocked.Add(ref _interruptTime, 1);
    }

    internal IReadOnlyList<KTHREAD> SnapshotThreads()
    {
        lock (DispatcherLock)
        {
            return [.. _threads];
        }
    }

    internal KTHREAD NewThread(ThreadKind kind, string name)
    {
        lock (DispatcherLock)
        {
            var thread = new KTHREAD(_machine, kind, _nextThreadId, _nextThreadAddress, name);
            _nextThreadId += 4;
            _nextThreadAddress += 0x880;
            if (kind != ThreadKind.Idle)
            {
                _threads.Add(thread);
            }

            return thread;
        }
    }

    /// <summary>A new client id (process or thread id) from the one CID space both share, as NT's PspCidTable.</summary>
    internal ulong AllocateClientId()
    {
        lock (DispatcherLock)
        {
            var id = _nextThreadId;
            _nextThreadId += 4;
            return (ulong)id;
        }
    }

    /// <summary>The calling simulated thread, which must belong to this machine.</summary>
    internal KTHREAD CurrentThread
    {
        get
        {
            var t = KTHREAD.Current;
            if (t is null || t.Machine != _machine)
            {
                throw new InvalidOperationException(
                    "Kernel routines run on a simulated thread of their machine: call them inside Machine.Run.");
            }

            return t;
        }
    }

    internal KPRCB CurrentPrcb => CurrentThread.Processor!;

    /// <summary>
    /// Creates a system thread running <paramref name="startRoutine"/> as code of <paramref name="module"/>
    /// (PsCreateSystemThread). The thread becomes ready at once; the scheduler decides when it runs.
    /// <paramref name="initialize"/> runs before the thread can run (PspCreateThread inserts the thread
    /// object and its handle before readying the thread).
    /// </summary>
    internal KTHREAD CreateSystemThread(KSTART_ROUTINE startRoutine, object? context, LoadedModule module, string routineName,
        Action<KTHREAD>? initialize = null)
    {
        ThrowIfStopping(KTHREAD.Current);
        var thread = NewThread(ThreadKind.System, $"{Path.GetFileNameWithoutExtension(module.Name)}!{routineName}");
        initialize?.Invoke(thread);
        var frame = new CallFrame(module, module.RoutineAddress(routineName), routineName);
        StartHostThread(thread, () => SystemThreadMain(thread, frame, startRoutine, context));
        return thread;
    }

    /// <summary>
    /// Gives a new thread its host thread (parked until the scheduler first dispatches it), readies it, and
    /// lets the creator yield to it: a creator at DISPATCH_LEVEL (the Object Manager starting its reaper)
    /// cannot be switched out.
    /// </summary>
    private void StartHostThread(KTHREAD thread, ThreadStart main)
    {
        var host = new Thread(main)
        {
            IsBackground = true,
            Name = $"sharpnt {thread.Name}",
        };
        thread.HostThread = host;
        host.Start();
        lock (DispatcherLock)
        {
            Scheduler.ReadyThreadLocked(thread);
        }

        if (KTHREAD.Current is { } creator && creator.Machine == _machine && creator.Kind != ThreadKind.Idle
            && creator.Processor!.Irql < Irql.DISPATCH_LEVEL)
        {
            Scheduler.Yield(creator);
        }
    }

    private void SystemThreadMain(KTHREAD thread, CallFrame frame, KSTART_ROUTINE startRoutine, object? context)
    {
        KTHREAD.Current = thread;
        try
        {
            // Parked until the scheduler first gives the thread a processor.
            WaitForFirstDispatch(thread);
            thread.PushFrame(frame);
            try
            {
                startRoutine(context);
            }
            catch (ThreadExitException exit)
            {
                thread.ExitStatus = exit.ExitStatus;
            }
            catch (Exception e) when (e is not MachineHaltedException && NoteFault(thread, e))
            {
            }
            catch (Exception e) when (e is not MachineHaltedException)
            {
                // An exception a system thread does not handle (PspUnhandledExceptionInSystemThread).
                _machine.BugCheck.RaiseForUnhandledException(thread, e, BugCheckCode.SYSTEM_THREAD_EXCEPTION_NOT_HANDLED);
            }

            while (thread.FrameCount > 0)
            {
                thread.PopFrame();
            }

            TerminateCurrentThread(thread);
        }
        catch (MachineHaltedException)
        {
            // The machine stopped; this host thread just ends.
        }
        finally
        {
            KTHREAD.Current = null;
        }
    }

    private void WaitForFirstDispatch(KTHREAD thread)
    {
        while (true)
        {
            thread.Gate.Wait();
            ThrowIfStopping(thread);
            lock (DispatcherLock)
            {
                if (thread.State == KTHREAD_STATE.Running)
                {
                    break;
                }
            }
        }

        if (thread.Processor!.Irql < Irql.DISPATCH_LEVEL && thread.Processor.DpcQueueDepth > 0)
        {
            DrainDpcs(thread.Processor);
        }
    }

    /// <summary>
    /// Records, from an exception filter (before any unwinding), the innermost driver frame an exception
    /// passed through: that is the faulting code a bug check names. Always returns false.
    /// </summary>
    internal static bool NoteFault(KTHREAD thread, Exception e)
    {
        if (!ReferenceEquals(thread.FaultException, e))
        {
            thread.FaultException = e;
            thread.FaultFrame = thread.InnermostDriverFrame() ?? thread.InnermostFrame() ?? default;
        }

        return false;
    }

    /// <summary>PsTerminateSystemThread's kernel half: signal the thread object and give up the processor.</summary>
    internal void TerminateCurrentThread(KTHREAD thread)
    {
        lock (DispatcherLock)
        {
            foreach (var mutex in thread.OwnedMutexes)
            {
                // A mutex its owner never released is abandoned: the next waiter gets STATUS_ABANDONED.
                mutex.Abandoned = true;
                mutex.OwnerThread = null;
                mutex.SignalState = 1;
                SignalObjectLocked(mutex);
            }

            thread.OwnedMutexes.Clear();
            thread.SignalState = 1;
            SignalObjectLocked(thread);
        }

        Scheduler.Exit(thread, handOn: true);
    }

    /// <summary>
    /// PsTerminateSystemThread: IRQL PASSIVE_LEVEL, only from a system thread; unwinds the caller's start
    /// routine and ends the thread with <paramref name="exitStatus"/>.
    /// </summary>
    internal void ExitSystemThread(NTSTATUS exitStatus)
    {
        var thread = CurrentThread;
        if (thread.Kind != ThreadKind.System)
        {
            throw new NtException(NTSTATUS.STATUS_INVALID_PARAMETER);
        }

        throw new ThreadExitException(exitStatus);
    }

    /// <summary>Unwinds the calling thread if its machine has halted or is shutting down.</summary>
    internal void ThrowIfStopping(KTHREAD? thread)
    {
        if (_machine.IsHalted || (thread is not null && thread.Terminating))
        {
            throw _machine.HaltException();
        }
    }

    /// <summary>Deterministic mode found that nothing can run again (dispatcher lock held).</summary>
    internal void OnHungLocked()
    {
        _machine.OnHung();
    }

    internal void StartClockThread()
    {
        if (Deterministic)
        {
            return;
        }

        _clockThread = new Thread(ClockThreadMain) { IsBackground = true, Name = "sharpnt clock" };
        _clockThread.Start();
    }

    /// <summary>The clock thread's wake-up: the dispatcher lock is a plain lock, so the clock waits on this instead.</summary>
    private readonly object _clockSignal = new();

    private bool _clockWoken;

    /// <summary>Wakes the clock thread to look at the timer queue again (a sooner expiry, or shutdown).</summary>
    internal void WakeClockThread()
    {
        lock (_clockSignal)
        {
            _clockWoken = true;
            Monitor.PulseAll(_clockSignal);
        }
    }

    internal void StopClockThread()
    {
        lock (DispatcherLock)
        {
            _stopClock = true;
        }

        WakeClockThread();

        _clockThread?.Join();
    }

    /// <summary>Parallel mode: the clock interrupt, expiring timers on real time.</summary>
    private void ClockThreadMain()
    {
        while (true)
        {
            TimeSpan wait;
            lock (DispatcherLock)
            {
                if (_stopClock || _machine.IsHalted)
                {
                    return;
                }

                wait = NextTimerDelayLocked();
            }

            if (wait > TimeSpan.Zero)
            {
                // Outside the dispatcher lock: a timer set meanwhile wakes this wait (the flag keeps the wake).
                lock (_clockSignal)
                {
                    if (!_clockWoken)
                    {
                        Monitor.Wait(_clockSignal, wait);
                    }

                    _clockWoken = false;
                }
            }

            ExpireTimersParallel();
        }
    }
}
