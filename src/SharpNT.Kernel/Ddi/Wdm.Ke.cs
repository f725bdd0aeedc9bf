using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using SharpNT.Kernel.Ke;

namespace SharpNT.Kernel.Ddi;

/// <summary>
/// The driver-facing DDI, shaped as WDM: drivers write <c>using static SharpNT.Kernel.Ddi.Wdm;</c> and call
/// the documented routines by their documented names. Each routine forwards to the kernel of the machine
/// the calling thread runs in; it checks the documented contract and decides nothing else.
/// </summary>
public static partial class Wdm
{
    public const byte PASSIVE_LEVEL = Irql.PASSIVE_LEVEL;
    public const byte LOW_LEVEL = Irql.LOW_LEVEL;
    public const byte APC_LEVEL = Irql.APC_LEVEL;
    public const byte DISPATCH_LEVEL = Irql.DISPATCH_LEVEL;
    public const byte CLOCK_LEVEL = Irql.CLOCK_LEVEL;
    public const byte IPI_LEVEL = Irql.IPI_LEVEL;
    public const byte POWER_LEVEL = Irql.POWER_LEVEL;
    public const byte PROFILE_LEVEL = Irql.PROFILE_LEVEL;
    public const byte HIGH_LEVEL = Irql.HIGH_LEVEL;

    public const KPROCESSOR_MODE KernelMode = KPROCESSOR_MODE.KernelMode;
    public const KPROCESSOR_MODE UserMode = KPROCESSOR_MODE.UserMode;

    public const KWAIT_REASON Executive = KWAIT_REASON.Executive;
    public const KWAIT_REASON UserRequest = KWAIT_REASON.UserRequest;
    public const KWAIT_REASON DelayExecution = KWAIT_REASON.DelayExecution;

    public const WAIT_TYPE WaitAll = WAIT_TYPE.WaitAll;
    public const WAIT_TYPE WaitAny = WAIT_TYPE.WaitAny;

    public const EVENT_TYPE NotificationEvent = EVENT_TYPE.NotificationEvent;
    public const EVENT_TYPE SynchronizationEvent = EVENT_TYPE.SynchronizationEvent;

    public const TIMER_TYPE NotificationTimer = TIMER_TYPE.NotificationTimer;
    public const TIMER_TYPE SynchronizationTimer = TIMER_TYPE.SynchronizationTimer;

    public const KDPC_IMPORTANCE LowImportance = KDPC_IMPORTANCE.LowImportance;
    public const KDPC_IMPORTANCE MediumImportance = KDPC_IMPORTANCE.MediumImportance;
    public const KDPC_IMPORTANCE HighImportance = KDPC_IMPORTANCE.HighImportance;

    /// <summary>IO_NO_INCREMENT and friends: priority boosts (accepted; the scheduler has no priorities).</summary>
    public const int IO_NO_INCREMENT = 0;

    public const bool TRUE = true;
    public const bool FALSE = false;

    internal static KernelCore Ke => CurrentMachine.Ke;

    /// <summary>The calling simulated thread (one thread-static read on the hot paths).</summary>
    internal static KTHREAD CurrentThread =>
        KTHREAD.Current ?? throw new InvalidOperationException("DDI routines run on a simulated thread: call them inside Machine.Run.");

    /// <summary>The machine of the calling simulated thread.</summary>
    internal static Machine CurrentMachine =>
        KTHREAD.Current?.Machine
        ?? throw new InvalidOperationException("DDI routines run on a simulated thread: call them inside Machine.Run.");

    // ---- IRQL ----------------------------------------------------------------------------------------

    /// <summary>KeGetCurrentIrql: the current processor's IRQL. Any IRQL.</summary>
    public static byte KeGetCurrentIrql() => Ke.GetCurrentIrql();

    /// <summary>KeRaiseIrql: raises to NewIrql (bug check if below the current IRQL); returns the old IRQL.</summary>
    public static void KeRaiseIrql(byte NewIrql, out byte OldIrql) => OldIrql = Ke.RaiseIrql(NewIrql);

    /// <summary>KeRaiseIrqlToDpcLevel: raises to DISPATCH_LEVEL and returns the old IRQL.</summary>
    public static byte KeRaiseIrqlToDpcLevel() => Ke.RaiseIrql(DISPATCH_LEVEL);

    /// <summary>KeLowerIrql: restores the IRQL a KeRaiseIrql returned; bug check if above the current IRQL.</summary>
    public static void KeLowerIrql(byte NewIrql) => Ke.LowerIrql(NewIrql);

    // ---- Spin locks ----------------------------------------------------------------------------------

    /// <summary>KeInitializeSpinLock: any IRQL.</summary>
    public static void KeInitializeSpinLock(KSPIN_LOCK SpinLock) => KernelCore.InitializeSpinLock(SpinLock);

    /// <summary>KeAcquireSpinLock: IRQL &lt;= DISPATCH_LEVEL; raises to DISPATCH_LEVEL.</summary>
    public static void KeAcquireSpinLock(KSPIN_LOCK SpinLock, out byte OldIrql)
    {
        var thread = CurrentThread;
        OldIrql = thread.Machine.Ke.AcquireSpinLock(thread, SpinLock);
    }

    /// <summary>KeAcquireSpinLockRaiseToDpc: as KeAcquireSpinLock, returning the old IRQL.</summary>
    public static byte KeAcquireSpinLockRaiseToDpc(KSPIN_LOCK SpinLock)
    {
        var thread = CurrentThread;
        return thread.Machine.Ke.AcquireSpinLock(thread, SpinLock);
    }

    /// <summary>KeReleaseSpinLock: IRQL DISPATCH_LEVEL; releases and lowers to NewIrql.</summary>
    public static void KeReleaseSpinLock(KSPIN_LOCK SpinLock, byte NewIrql)
    {
        var thread = CurrentThread;
        thread.Machine.Ke.ReleaseSpinLock(thread, SpinLock, NewIrql);
    }

    /// <summary>KeAcquireSpinLockAtDpcLevel: IRQL >= DISPATCH_LEVEL.</summary>
    public static void KeAcquireSpinLockAtDpcLevel(KSPIN_LOCK SpinLock) => Ke.AcquireSpinLockAtDpcLevel(SpinLock);

    /// <summary>KeReleaseSpinLockFromDpcLevel: IRQL >= DISPATCH_LEVEL.</summary>
    public static void KeReleaseSpinLockFromDpcLevel(KSPIN_LOCK SpinLock) => Ke.ReleaseSpinLockFromDpcLevel(SpinLock);

    // ---- DPCs ----------------------------------------------------------------------------------------

    /// <summary>KeInitializeDpc: any IRQL. The routine runs as code of the driver that initialises the DPC.</summary>
    public static void KeInitializeDpc(KDPC Dpc, KDEFERRED_ROUTINE DeferredRoutine, object? DeferredContext,
        [CallerArgumentExpression(nameof(DeferredRoutine))] string routineName = "")
    {
        var ke = Ke;
        ke.InitializeDpc(Dpc, DeferredRoutine, DeferredContext, routineName, null);
    }

    /// <summary>KeInsertQueueDpc: any IRQL; false if the DPC is already queued.</summary>
    public static bool KeInsertQueueDpc(KDPC Dpc, object? SystemArgument1, object? SystemArgument2) =>
        Ke.InsertQueueDpc(Dpc, SystemArgument1, SystemArgument2);

    /// <summary>KeRemoveQueueDpc: any IRQL; false if the DPC was not queued.</summary>
    public static bool KeRemoveQueueDpc(KDPC Dpc) => Ke.RemoveQueueDpc(Dpc);

    /// <summary>KeSetImportanceDpc: where KeInsertQueueDpc puts the DPC in the queue.</summary>
    public static void KeSetImportanceDpc(KDPC Dpc, KDPC_IMPORTANCE Importance) => Dpc.Importance = Importance;

    /// <summary>KeSetTargetProcessorDpc: the processor whose queue the DPC goes to.</summary>
    public static void KeSetTargetProcessorDpc(KDPC Dpc, byte Number)
    {
        if (Number >= Ke.Processors.Length)
        {
            throw new NtException(NTSTATUS.STATUS_INVALID_PARAMETER);
        }

        Dpc.TargetProcessor = Number;
    }

    /// <summary>
    /// KeFlushQueuedDpcs: IRQL PASSIVE_LEVEL; returns once every DPC queued on any processor before the call
    /// has run. A marker DPC goes to the tail of each processor's queue, and the caller waits until every
    /// marker has run.
    /// </summary>
    public static void KeFlushQueuedDpcs()
    {
        var ke = Ke;
        var thread = ke.CurrentThread;
        if (thread.Processor!.Irql != PASSIVE_LEVEL)
        {
            ke.Machine.BugCheck.Raise(Kernel.Ke.BugCheckCode.IRQL_NOT_LESS_OR_EQUAL, 0, thread.Processor.Irql, 0, thread.InnermostFrame()?.Address ?? 0);
        }

        var flushed = new DispatcherObject[ke.Processors.Length];
        for (var i = 0; i < ke.Processors.Length; i++)
        {
            var done = new KEVENT();
            KernelCore.InitializeEvent(done, NotificationEvent, false);
            flushed[i] = done;
            var marker = new KDPC();
            ke.InitializeDpc(marker, (dpc, context, a1, a2) => ke.SetEvent((KEVENT)context!), done, "KiFlushQueuedDpc", ke.Machine.Modules.Kernel);
            marker.Importance = KDPC_IMPORTANCE.LowImportance;
            marker.TargetProcessor = i;
            ke.InsertQueueDpc(marker, null, null);
        }

        ke.Wait(flushed, WaitAll, Executive, KernelMode, false, null, new KWAIT_BLOCK[flushed.Length]);
    }

    // ---- Events --------------------------------------------------------------------------------------

    /// <summary>KeInitializeEvent: any IRQL.</summary>
    public static void KeInitializeEvent(KEVENT Event, EVENT_TYPE Type, bool State) => KernelCore.InitializeEvent(Event, Type, State);

    /// <summary>KeSetEvent: IRQL &lt;= DISPATCH_LEVEL; returns the previous signal state.</summary>
    public static int KeSetEvent(KEVENT Event, int Increment, bool Wait)
    {
        var ke = Ke;
        CheckIrqlAtMost(ke, DISPATCH_LEVEL, Event);
        return ke.SetEvent(Event);
    }

    /// <summary>KeResetEvent: IRQL &lt;= DISPATCH_LEVEL; returns the previous signal state.</summary>
    public static int KeResetEvent(KEVENT Event)
    {
        var ke = Ke;
        CheckIrqlAtMost(ke, DISPATCH_LEVEL, Event);
        return ke.ResetEvent(Event);
    }

    /// <summary>KeClearEvent: IRQL &lt;= DISPATCH_LEVEL.</summary>
    public static void KeClearEvent(KEVENT Event) => KeResetEvent(Event);

    /// <summary>KePulseEvent: sets then resets the event, releasing current waiters.</summary>
    public static int KePulseEvent(KEVENT Event, int Increment, bool Wait)
    {
        var ke = Ke;
        CheckIrqlAtMost(ke, DISPATCH_LEVEL, Event);
        return ke.PulseEvent(Event);
    }

    /// <summary>KeReadStateEvent: any IRQL.</summary>
    public static int KeReadStateEvent(KEVENT Event) => Event.SignalState;

    // ---- Semaphores and mutexes ----------------------------------------------------------------------

    /// <summary>KeInitializeSemaphore: any IRQL.</summary>
    public static void KeInitializeSemaphore(KSEMAPHORE Semaphore, int Count, int Limit) =>
        KernelCore.InitializeSemaphore(Semaphore, Count, Limit);

    /// <summary>KeReleaseSemaphore: IRQL &lt;= DISPATCH_LEVEL; returns the previous count.</summary>
    public static int KeReleaseSemaphore(KSEMAPHORE Semaphore, int Increment, int Adjustment, bool Wait)
    {
        var ke = Ke;
        CheckIrqlAtMost(ke, DISPATCH_LEVEL, Semaphore);
        return ke.ReleaseSemaphore(Semaphore, Adjustment);
    }

    /// <summary>KeReadStateSemaphore: the current count.</summary>
    public static int KeReadStateSemaphore(KSEMAPHORE Semaphore) => Semaphore.SignalState;

    /// <summary>KeInitializeMutex: IRQL PASSIVE_LEVEL.</summary>
    public static void KeInitializeMutex(KMUTEX Mutex, uint Level) => KernelCore.InitializeMutex(Mutex);

    /// <summary>KeReleaseMutex: IRQL &lt;= DISPATCH_LEVEL; only the owner may release.</summary>
    public static int KeReleaseMutex(KMUTEX Mutex, bool Wait)
    {
        var ke = Ke;
        CheckIrqlAtMost(ke, DISPATCH_LEVEL, Mutex);
        return ke.ReleaseMutex(Mutex);
    }

    /// <summary>KeReadStateMutex: 1 when free.</summary>
    public static int KeReadStateMutex(KMUTEX Mutex) => Mutex.SignalState;

    // ---- Timers --------------------------------------------------------------------------------------

    /// <summary>KeInitializeTimer: a notification timer.</summary>
    public static void KeInitializeTimer(KTIMER Timer) => KernelCore.InitializeTimer(Timer, NotificationTimer);

    /// <summary>KeInitializeTimerEx: IRQL &lt;= DISPATCH_LEVEL.</summary>
    public static void KeInitializeTimerEx(KTIMER Timer, TIMER_TYPE Type) => KernelCore.InitializeTimer(Timer, Type);

    /// <summary>KeSetTimer: IRQL &lt;= DISPATCH_LEVEL; true if the timer was already set.</summary>
    public static bool KeSetTimer(KTIMER Timer, LARGE_INTEGER DueTime, KDPC? Dpc) => KeSetTimerEx(Timer, DueTime, 0, Dpc);

    /// <summary>KeSetTimerEx: as KeSetTimer, with a period in milliseconds.</summary>
    public static bool KeSetTimerEx(KTIMER Timer, LARGE_INTEGER DueTime, int Period, KDPC? Dpc)
    {
        var ke = Ke;
        CheckIrqlAtMost(ke, DISPATCH_LEVEL, Timer);
        return ke.SetTimer(Timer, DueTime.QuadPart, Period, Dpc);
    }

    /// <summary>KeCancelTimer: IRQL &lt;= DISPATCH_LEVEL; true if the timer was set.</summary>
    public static bool KeCancelTimer(KTIMER Timer)
    {
        var ke = Ke;
        CheckIrqlAtMost(ke, DISPATCH_LEVEL, Timer);
        return ke.CancelTimer(Timer);
    }

    /// <summary>KeReadStateTimer: true when signaled.</summary>
    public static bool KeReadStateTimer(KTIMER Timer) => Timer.SignalState > 0;

    // ---- Waits ---------------------------------------------------------------------------------------

    /// <summary>
    /// KeWaitForSingleObject: IRQL &lt;= APC_LEVEL, or &lt;= DISPATCH_LEVEL with a zero timeout. Returns
    /// STATUS_SUCCESS, STATUS_TIMEOUT, STATUS_ABANDONED_WAIT_0 (a mutex) and so on.
    /// </summary>
    public static NTSTATUS KeWaitForSingleObject(DispatcherObject Object, KWAIT_REASON WaitReason, KPROCESSOR_MODE WaitMode,
        bool Alertable, LARGE_INTEGER? Timeout)
    {
        ReadOnlySpan<DispatcherObject> one = [Object];
        return Ke.Wait(one, WaitAny, WaitReason, WaitMode, Alertable, Timeout?.QuadPart, null);
    }

    /// <summary>KeWaitForMutexObject: a wait on a mutex.</summary>
    public static NTSTATUS KeWaitForMutexObject(KMUTEX Mutex, KWAIT_REASON WaitReason, KPROCESSOR_MODE WaitMode,
        bool Alertable, LARGE_INTEGER? Timeout) => KeWaitForSingleObject(Mutex, WaitReason, WaitMode, Alertable, Timeout);

    /// <summary>
    /// KeWaitForMultipleObjects: the IRQL rule of KeWaitForSingleObject; more than THREAD_WAIT_OBJECTS (3)
    /// objects need a WaitBlockArray, and at most MAXIMUM_WAIT_OBJECTS (64) may be named.
    /// </summary>
    public static NTSTATUS KeWaitForMultipleObjects(uint Count, DispatcherObject[] Object, WAIT_TYPE WaitType,
        KWAIT_REASON WaitReason, KPROCESSOR_MODE WaitMode, bool Alertable, LARGE_INTEGER? Timeout, KWAIT_BLOCK[]? WaitBlockArray)
    {
        if (Count > Object.Length)
        {
            throw new NtException(NTSTATUS.STATUS_INVALID_PARAMETER);
        }

        return Ke.Wait(Object.AsSpan(0, (int)Count), WaitType, WaitReason, WaitMode, Alertable, Timeout?.QuadPart, WaitBlockArray);
    }

    /// <summary>KeDelayExecutionThread: IRQL &lt;= APC_LEVEL; Interval negative is relative (100 ns units).</summary>
    public static NTSTATUS KeDelayExecutionThread(KPROCESSOR_MODE WaitMode, bool Alertable, LARGE_INTEGER Interval) =>
        Ke.Delay(WaitMode, Alertable, Interval.QuadPart);

    /// <summary>ZwYieldExecution: lets another ready thread run.</summary>
    public static NTSTATUS ZwYieldExecution()
    {
        Ke.YieldExecution();
        return NTSTATUS.STATUS_SUCCESS;
    }

    // ---- Time ----------------------------------------------------------------------------------------

    /// <summary>KeQueryInterruptTime: 100 ns units since boot. Any IRQL.</summary>
    public static ulong KeQueryInterruptTime() => (ulong)Ke.QueryInterruptTime();

    /// <summary>KeQuerySystemTime: the current system time (100 ns units since 1601, UTC). Any IRQL.</summary>
    public static void KeQuerySystemTime(out LARGE_INTEGER CurrentTime)
    {
        var ke = Ke;
        CurrentTime = new LARGE_INTEGER(ke.BootSystemTime + ke.QueryInterruptTime());
    }

    /// <summary>KeQuerySystemTimePrecise: as KeQuerySystemTime.</summary>
    public static void KeQuerySystemTimePrecise(out LARGE_INTEGER CurrentTime) => KeQuerySystemTime(out CurrentTime);

    /// <summary>KeQueryTimeIncrement: 100 ns units per clock tick (15.625 ms, the x64 default).</summary>
    public static uint KeQueryTimeIncrement() => 156250;

    /// <summary>KeQueryTickCount: clock ticks since boot.</summary>
    public static void KeQueryTickCount(out LARGE_INTEGER CurrentCount) =>
        CurrentCount = new LARGE_INTEGER(Ke.QueryInterruptTime() / KeQueryTimeIncrement());

    // ---- Threads and processors ----------------------------------------------------------------------

    /// <summary>KeGetCurrentThread: the running thread. Any IRQL.</summary>
    public static KTHREAD KeGetCurrentThread() => Ke.CurrentThread;

    /// <summary>KeGetCurrentProcessorNumber: any IRQL (meaningful at DISPATCH_LEVEL and above).</summary>
    public static uint KeGetCurrentProcessorNumber() => (uint)Ke.CurrentPrcb.Number;

    /// <summary>KeQueryActiveProcessorCount: the number of processors.</summary>
    public static uint KeQueryActiveProcessorCount(out ulong ActiveProcessors)
    {
        var n = Ke.Processors.Length;
        ActiveProcessors = n >= 64 ? ulong.MaxValue : (1UL << n) - 1;
        return (uint)n;
    }

    /// <summary>KeIsExecutingDpc: true inside a DPC routine.</summary>
    public static bool KeIsExecutingDpc() => Ke.CurrentPrcb.DpcRoutineActive;

    // ---- Bug checks ----------------------------------------------------------------------------------

    /// <summary>KeBugCheckEx: stops the machine with a stop code and four parameters. Does not return.</summary>
    [DoesNotReturn]
    public static void KeBugCheckEx(uint BugCheckCode, ulong BugCheckParameter1, ulong BugCheckParameter2,
        ulong BugCheckParameter3, ulong BugCheckParameter4) =>
        CurrentMachine.BugCheck.Raise((Kernel.Ke.BugCheckCode)BugCheckCode, BugCheckParameter1, BugCheckParameter2,
            BugCheckParameter3, BugCheckParameter4);

    /// <summary>KeBugCheck: KeBugCheckEx with four zero parameters.</summary>
    [DoesNotReturn]
    public static void KeBugCheck(uint BugCheckCode) => KeBugCheckEx(BugCheckCode, 0, 0, 0, 0);

    /// <summary>KeInitializeCallbackRecord: a record not yet registered (BufferEmpty).</summary>
    public static void KeInitializeCallbackRecord(KBUGCHECK_CALLBACK_RECORD CallbackRecord) =>
        CallbackRecord.State = KBUGCHECK_BUFFER_DUMP_STATE.BufferEmpty;

    /// <summary>
    /// KeRegisterBugCheckCallback: IRQL &lt;= DISPATCH_LEVEL. At a bug check the routine runs at HIGH_LEVEL and
    /// the <paramref name="Length"/> bytes at <paramref name="Buffer"/> (nonpaged) go into the crash dump under
    /// <paramref name="Component"/>. FALSE if the record is already registered.
    /// </summary>
    public static bool KeRegisterBugCheckCallback(KBUGCHECK_CALLBACK_RECORD CallbackRecord, KBUGCHECK_CALLBACK_ROUTINE CallbackRoutine,
        ulong Buffer, uint Length, string Component) =>
        CurrentMachine.BugCheck.RegisterCallback(CallbackRecord, CallbackRoutine, Buffer, Length, Component, Ke.CurrentModule());

    /// <summary>KeDeregisterBugCheckCallback: FALSE if the record was not registered.</summary>
    public static bool KeDeregisterBugCheckCallback(KBUGCHECK_CALLBACK_RECORD CallbackRecord) =>
        CurrentMachine.BugCheck.DeregisterCallback(CallbackRecord);

    /// <summary>ExRaiseStatus: raises a structured exception with the status as its code.</summary>
    [DoesNotReturn]
    public static void ExRaiseStatus(NTSTATUS Status) => throw new NtException(Status);

    /// <summary>DbgPrint: writes to the machine's debugger output.</summary>
    public static void DbgPrint(string Format) => CurrentMachine.DebugPrint(Format);

    /// <summary>
    /// The documented IRQL ceiling of a DDI. Above it, the call touches the object at a forbidden IRQL:
    /// IRQL_NOT_LESS_OR_EQUAL with the object, the IRQL, and the caller's address.
    /// </summary>
    private static void CheckIrqlAtMost(KernelCore ke, byte ceiling, DispatcherObject obj)
    {
        var irql = ke.CurrentPrcb.Irql;
        if (irql > ceiling)
        {
            var caller = KTHREAD.Current!.InnermostFrame()?.Address ?? 0;
            ke.Machine.BugCheck.Raise(Kernel.Ke.BugCheckCode.IRQL_NOT_LESS_OR_EQUAL, KernelCore.ObjectAddress(obj), irql, 1, caller);
        }
    }
}
