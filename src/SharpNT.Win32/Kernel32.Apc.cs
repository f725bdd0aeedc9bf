using SharpNT.Kernel.Ke;
using static SharpNT.Win32.Ntdll;
using static SharpNT.Win32.WinBase;

namespace SharpNT.Win32;

/// <summary>
/// User APCs, alertable waits and thread suspension: QueueUserAPC, SleepEx, WaitForSingleObjectEx,
/// WaitForMultipleObjects(Ex), SuspendThread, ResumeThread.
/// </summary>
public static partial class Kernel32
{
    private const int STATUS_ALERTED = 0x101;
    private const int WaitAll = 0;
    private const int WaitAny = 1;

    /// <summary>
    /// kernel32's APC dispatch routine, the one QueueUserAPC hands NtQueueApcThread: the user APC calls it with
    /// the PAPCFUNC's address and its data, and it calls the PAPCFUNC.
    /// </summary>
    private static readonly Action<ulong, ulong, ulong> s_baseDispatchApc = BaseDispatchApc;

    private static void BaseDispatchApc(ulong apcRoutine, ulong data, ulong unused) => Ring3.Call(apcRoutine, data);

    /// <summary>
    /// QueueUserAPC: queues <paramref name="pfnAPC"/>(<paramref name="dwData"/>) to the thread (THREAD_SET_CONTEXT
    /// access); the thread calls it the next time it waits alertably (SleepEx, WaitForSingleObjectEx, ... with
    /// bAlertable TRUE), or before its start routine if it has not run yet. Nonzero on success; 0 with the last
    /// error set.
    /// </summary>
    public static uint QueueUserAPC(Action<ulong> pfnAPC, nint hThread, ulong dwData)
    {
        ArgumentNullException.ThrowIfNull(pfnAPC);
        var status = NtQueueApcThread(hThread, Ring3.CodeAddress(s_baseDispatchApc), Ring3.CodeAddress(pfnAPC), dwData, 0);
        if (!NT_SUCCESS(status))
        {
            BaseSetLastNTError(status);
            return 0;
        }

        return 1;
    }

    /// <summary>
    /// SleepEx: waits <paramref name="dwMilliseconds"/> (INFINITE: forever). Alertable, it returns early once
    /// queued APCs have run (their routines run inside the call): WAIT_IO_COMPLETION; otherwise 0.
    /// </summary>
    public static uint SleepEx(uint dwMilliseconds, bool bAlertable)
    {
        using var frame = UserStack.Frame();
        var interval = frame.Alloc(8);
        Memory.Write(interval, dwMilliseconds == INFINITE ? long.MinValue : -10_000L * dwMilliseconds);
        int status;
        do
        {
            // An alert (NtAlertThread) is not a reason for a Win32 wait to end: it waits again.
            status = NtDelayExecution(bAlertable, interval);
        }
        while (bAlertable && status == STATUS_ALERTED);

        return status == STATUS_USER_APC ? WAIT_IO_COMPLETION : 0;
    }

    /// <summary>
    /// WaitForSingleObjectEx: as WaitForSingleObject; alertable, it also returns WAIT_IO_COMPLETION once queued
    /// APCs have run.
    /// </summary>
    public static uint WaitForSingleObjectEx(nint hHandle, uint dwMilliseconds, bool bAlertable)
    {
        using var frame = UserStack.Frame();
        var timeout = Timeout(frame, dwMilliseconds);
        int status;
        do
        {
            status = NtWaitForSingleObject(hHandle, bAlertable, timeout);
        }
        while (bAlertable && status == STATUS_ALERTED);

        return WaitResult(status);
    }

    /// <summary>
    /// WaitForMultipleObjects: waits for all (<paramref name="bWaitAll"/>) or any of the objects; WAIT_OBJECT_0 + n
    /// (the lowest index signaled, for any), WAIT_ABANDONED_0 + n, WAIT_TIMEOUT, or WAIT_FAILED with the last
    /// error set (more than MAXIMUM_WAIT_OBJECTS handles, a handle that cannot be waited on).
    /// </summary>
    public static uint WaitForMultipleObjects(uint nCount, ReadOnlySpan<nint> lpHandles, bool bWaitAll, uint dwMilliseconds) =>
        WaitForMultipleObjectsEx(nCount, lpHandles, bWaitAll, dwMilliseconds, false);

    /// <summary>WaitForMultipleObjectsEx: as WaitForMultipleObjects; alertable, also WAIT_IO_COMPLETION once queued APCs have run.</summary>
    public static uint WaitForMultipleObjectsEx(uint nCount, ReadOnlySpan<nint> lpHandles, bool bWaitAll, uint dwMilliseconds, bool bAlertable)
    {
        using var frame = UserStack.Frame();
        var copied = (int)Math.Min(nCount, (uint)lpHandles.Length);
        var handles = frame.Alloc(Math.Max(copied, 1) * 8);
        for (var i = 0; i < copied; i++)
        {
            Memory.Write(handles + (ulong)(i * 8), (ulong)lpHandles[i]);
        }

        var timeout = Timeout(frame, dwMilliseconds);
        int status;
        do
        {
            status = NtWaitForMultipleObjects(nCount, handles, bWaitAll ? WaitAll : WaitAny, bAlertable, timeout);
        }
        while (bAlertable && status == STATUS_ALERTED);

        return WaitResult(status);
    }

    /// <summary>
    /// SuspendThread: raises the thread's suspend count (THREAD_SUSPEND_RESUME access) and returns the previous
    /// one; the thread stops before it next runs user code. (DWORD)-1 with the last error set on failure
    /// (ERROR_SIGNAL_REFUSED past MAXIMUM_SUSPEND_COUNT).
    /// </summary>
    public static uint SuspendThread(nint hThread) => SuspendCountCall(hThread, suspend: true);

    /// <summary>
    /// ResumeThread: lowers the thread's suspend count and returns the previous one (0: it was not suspended;
    /// 1: it runs again now). (DWORD)-1 with the last error set on failure.
    /// </summary>
    public static uint ResumeThread(nint hThread) => SuspendCountCall(hThread, suspend: false);

    private static uint SuspendCountCall(nint hThread, bool suspend)
    {
        using var frame = UserStack.Frame();
        var count = frame.Alloc(4);
        var status = suspend ? NtSuspendThread(hThread, count) : NtResumeThread(hThread, count);
        if (!NT_SUCCESS(status))
        {
            BaseSetLastNTError(status);
            return 0xFFFFFFFF;
        }

        return Memory.Read<uint>(count);
    }

    /// <summary>The LARGE_INTEGER a wait takes for milliseconds (a relative time), or 0 (no timeout) for INFINITE.</summary>
    private static ulong Timeout(UserStack frame, uint dwMilliseconds)
    {
        if (dwMilliseconds == INFINITE)
        {
            return 0;
        }

        var timeout = frame.Alloc(8);
        Memory.Write(timeout, -10_000L * dwMilliseconds);
        return timeout;
    }

    /// <summary>A wait's NTSTATUS as the Win32 wait functions return it.</summary>
    private static uint WaitResult(int status)
    {
        switch (status)
        {
            case >= 0 and < 64:
                return WAIT_OBJECT_0 + (uint)status;
            case >= STATUS_ABANDONED and < STATUS_ABANDONED + 64:
                return WAIT_ABANDONED + (uint)(status - STATUS_ABANDONED);
            case STATUS_USER_APC:
                return WAIT_IO_COMPLETION;
            case STATUS_TIMEOUT:
                return WAIT_TIMEOUT;
            default:
                BaseSetLastNTError(status);
                return WAIT_FAILED;
        }
    }
}
