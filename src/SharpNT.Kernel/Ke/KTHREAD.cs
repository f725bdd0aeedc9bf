using System.Diagnostics;

namespace SharpNT.Kernel.Ke;


/// <summary>
/// A kernel thread. Each simulated thread but the idle threads runs on a host thread of its own; which of
/// them executes at any moment is the scheduler's decision. A thread is a dispatcher object that becomes
/// signaled when it terminates.
/// </summary>
[DebuggerDisplay("KTHREAD {Address,h} {Name} {State}")]
public sealed class KTHREAD : DispatcherObject
{
    [ThreadStatic]
    private static KTHREAD? t_current;

    private CallFrame[] _frames = new CallFrame[16];

    internal KTHREAD(Machine machine, ThreadKind kind, int id, ulong address, string name)
        : base(KObjectType.ThreadObject)
    {
        Machine = machine;
        Kind = kind;
        Id = id;
        Address = address;
        Name = name;
        WaitTimer = new KTIMER { TimeoutThread = this };
    }

    /// <summary>
    /// The simulated thread the calling host thread is executing: the one piece of ambient state, kept per
    /// host thread as NT keeps the current thread per processor.
    /// </summary>
    internal static KTHREAD? Current
    {
        get => t_current;
        set => t_current = value;
    }

    internal Machine Machine { get; }

    internal ThreadKind Kind { get; }

    /// <summary>The thread id (CLIENT_ID.UniqueThread).</summary>
    internal int Id { get; }

    /// <summary>The thread object's kernel address, as the debugger names threads.</summary>
    internal ulong Address { get; }

    internal string Name { get; }

    internal KTHREAD_STATE State { get; set; } = KTHREAD_STATE.Initialized;

    /// <summary>The processor running this thread, or the last one that did.</summary>
    internal KPRCB? Processor { get; set; }

    /// <summary>The IRQL the thread had when it gave up its processor (only PASSIVE or APC level).</summary>
    internal byte SwitchIrql { get; set; }

    /// <summary>The host thread this simulated thread runs on; null for idle threads.</summary>
    internal Thread? HostThread { get; set; }

    /// <summary>Where the host thread parks while the simulated thread is not running.</summary>
    internal SemaphoreSlim Gate { get; } = new(0);

    internal KPROCESSOR_MODE PreviousMode { get; set; }

    internal int KernelApcDisable { get; set; }

    /// <summary>Guarded regions (KeEnterGuardedRegion, guarded mutexes) entered and not yet left: all kernel APCs wait.</summary>
    internal int SpecialApcDisable { get; set; }

    /// <summary>The status the thread ended with (PsTerminateSystemThread's argument).</summary>
    internal NTSTATUS ExitStatus { get; set; }

    internal List<KMUTEX> OwnedMutexes { get; } = [];

    /// <summary>Threaded IRPs the thread has issued and not yet seen completed (ETHREAD.IrpList).</summary>
    internal List<ulong> PendingIrps { get; } = [];

    /// <summary>Guards <see cref="PendingIrps"/> (IopQueueThreadIrp's list): a plain lock, taken twice per request.</summary>
    internal Lock PendingIrpsLock { get; } = new();

    /// <summary>Special kernel APCs queued to the thread, delivered when it runs below APC_LEVEL.</summary>
    internal Queue<KAPC> KernelApcQueue { get; } = new();

    /// <summary>
    /// Normal kernel APCs queued to the thread (the suspend APC): delivered at PASSIVE_LEVEL outside critical
    /// regions, after the special ones, one at a time.
    /// </summary>
    internal Queue<KAPC> NormalKernelApcQueue { get; } = new();

    /// <summary>KTHREAD.ApcState.KernelApcInProgress: a normal kernel APC's routine is running (no other starts).</summary>
    internal bool KernelApcInProgress { get; set; }

    /// <summary>User-mode APCs queued to the thread (ApcState.ApcListHead[UserMode]), in arrival order.</summary>
    internal Queue<KAPC> UserApcQueue { get; } = new();

    /// <summary>ApcState.UserApcPending: the next return to user mode delivers the first user APC.</summary>
    internal bool UserApcPending { get; set; }

    /// <summary>KTHREAD.ApcQueueable: cleared when the thread ends, after which no APC can be queued to it.</summary>
    internal bool ApcQueueable { get; set; } = true;

    /// <summary>KTHREAD.Alerted[KernelMode] and Alerted[UserMode] (KeAlertThread).</summary>
    internal bool[] Alerted { get; } = new bool[2];

    /// <summary>Whether the current wait is alertable (KTHREAD.Alertable), and its mode (KTHREAD.WaitMode).</summary>
    internal bool WaitAlertable { get; set; }

    internal KPROCESSOR_MODE WaitMode { get; set; }

    /// <summary>
    /// The user APC routine the return to user mode goes to first (what KiDeliverApc puts in the trap frame:
    /// ntdll's KiUserApcDispatcher calls it with its three arguments); null when there is none.
    /// </summary>
    internal KAPC? UserApcToDispatch { get; set; }

    /// <summary>KTHREAD.SuspendCount: how many suspensions have not been undone (at most MAXIMUM_SUSPEND_COUNT).</summary>
    internal int SuspendCount { get; set; }

    /// <summary>KTHREAD.SuspendApc: the normal kernel APC whose routine waits on <see cref="SuspendSemaphore"/>.</summary>
    internal KAPC? SuspendApc { get; set; }

    /// <summary>KTHREAD.SuspendSemaphore: a suspended thread waits on it; the resume that brings the count to zero releases it.</summary>
    internal KSEMAPHORE? SuspendSemaphore { get; set; }

    /// <summary>The owning process object (an EPROCESS once Ps exists); null for system threads.</summary>
    internal object? Process { get; set; }

    /// <summary>
    /// The address space user addresses resolve in: the owning (or attached-to) process's; null for system
    /// threads, which have only the kernel half.
    /// </summary>
    internal Mm.AddressSpace? AddressSpace { get; set; }

    // Wait state, guarded by the dispatcher lock.
    internal KWAIT_BLOCK[] WaitBlocks { get; set; } = [];

    internal int WaitCount { get; set; }

    internal WAIT_TYPE WaitType { get; set; }

    internal KWAIT_REASON WaitReason { get; set; }

    internal bool WaitActive { get; set; }

    internal NTSTATUS WaitStatus { get; set; }

    /// <summary>The thread's own timer for wait timeouts and KeDelayExecutionThread (KTHREAD.Timer).</summary>
    internal KTIMER WaitTimer { get; }

    internal KWAIT_BLOCK TimerWaitBlock { get; } = new();

    internal KWAIT_BLOCK[] OwnWaitBlocks { get; } = [new(), new(), new(), new()];

    /// <summary>Set by the scheduler when the thread must unwind: the machine halted or is shutting down.</summary>
    internal volatile bool Terminating;

    /// <summary>
    /// Set once another thread has asked this user thread to end (PspTerminateThreadByPointer): the thread
    /// leaves with <see cref="TerminationStatus"/> at its next safe point (see KernelCore.ExitIfTerminationRequested).
    /// </summary>
    internal volatile bool TerminationPending;

    /// <summary>The exit status a termination request gave (the first request wins).</summary>
    internal NTSTATUS TerminationStatus { get; set; }

    /// <summary>The thread ended through an exception its program did not handle: its whole process ends.</summary>
    internal bool EndedByUnhandledException { get; set; }

    internal int FrameCount { get; private set; }

    /// <summary>The exception-filter note of the innermost driver frame an exception passed through.</summary>
    internal Exception? FaultException { get; set; }

    internal CallFrame FaultFrame { get; set; }

    /// <summary>True while the thread serves a system call for user mode (a fault becomes 0x3B).</summary>
    internal bool InSystemService { get; set; }

    /// <summary>The I/O manager can find this thread from its address (threaded IRPs name it).</summary>
    internal bool KnownToIo { get; set; }

    /// <summary>A user thread running its program's code (ring 3): its accesses are user-mode accesses.</summary>
    internal bool InUserMode { get; set; }

    /// <summary>The user address of the thread environment block (KTHREAD.Teb); 0 for system threads.</summary>
    internal ulong Teb { get; set; }

    /// <summary>The system service the thread is in, for bug checks that name it (0x4A, 0x1).</summary>
    internal ulong ServiceRoutineAddress { get; set; }

    internal void PushFrame(in CallFrame frame)
    {
        if (FrameCount == _frames.Length)
        {
            Array.Resize(ref _frames, _frames.Length * 2);
        }

        _frames[FrameCount++] = frame;
    }

    internal void PopFrame() => FrameCount--;

    internal ReadOnlySpan<CallFrame> Frames => _frames.AsSpan(0, FrameCount);

    /// <summary>The innermost frame of driver code (not the kernel or HAL), if any.</summary>
    internal CallFrame? InnermostDriverFrame()
    {
        for (var i = FrameCount - 1; i >= 0; i--)
        {
            var m = _frames[i].Module;
            if (m != Machine.Modules.Kernel && m != Machine.Modules.Hal)
            {
                return _frames[i];
            }
        }

        return null;
    }

    internal CallFrame? InnermostFrame() => FrameCount == 0 ? null : _frames[FrameCount - 1];

    /// <summary>The module of the innermost frame (null with no frame): the calling code's image.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    internal Mm.LoadedModule? InnermostModule()
    {
        var count = FrameCount;
        return count == 0 ? null : _frames[count - 1].Module;
    }

    public override string ToString() => $"{Name} ({Id})";
}
