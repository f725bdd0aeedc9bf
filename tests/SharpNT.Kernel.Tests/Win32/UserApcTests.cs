using SharpNT.Win32;
using static SharpNT.Win32.Kernel32;
using static SharpNT.Win32.WinBase;

namespace SharpNT.Kernel.Tests.Win32;

/// <summary>
/// User-mode APCs and alertable waits: QueueUserAPC / NtQueueApcThread, SleepEx, WaitForSingleObjectEx,
/// WaitForMultipleObjectsEx, NtTestAlert, NtAlertThread; an APC runs only in its thread, only at an alertable
/// wait (or NtTestAlert), in the order queued, and never after its thread has ended.
/// </summary>
public sealed class UserApcTests
{
    private const int STATUS_SUCCESS = 0;
    private const int STATUS_USER_APC = 0xC0;
    private const int STATUS_ALERTED = 0x101;
    private const int STATUS_TIMEOUT = 0x102;
    private const int STATUS_ACCESS_DENIED = unchecked((int)0xC0000022);
    private const int STATUS_INVALID_PARAMETER_1 = unchecked((int)0xC00000EF);
    private const int STATUS_INVALID_PARAMETER_MIX = unchecked((int)0xC0000030);

    public static TheoryData<ulong> Seeds => [1UL, 2UL, 3UL, 7UL, 42UL];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void An_APC_queued_to_a_thread_in_SleepEx_runs_in_that_thread_and_SleepEx_returns_WAIT_IO_COMPLETION(ulong seed)
    {
        using var m = new UserModeMachine(seed);
        uint ranOn = 0;
        ulong data = 0;
        uint workerId = 0;
        var exit = m.Run(new TestProgram(args =>
        {
            var waiting = CreateEvent(0, true, false, null);
            var worker = CreateThread(0, 0, _ =>
            {
                SetEvent(waiting);
                return SleepEx(INFINITE, true);
            }, 0, 0, out workerId);
            WaitForSingleObject(waiting, INFINITE);
            Assert.NotEqual(0u, QueueUserAPC(d =>
            {
                ranOn = GetCurrentThreadId();
                data = d;
            }, worker, 0x5EED));
            Assert.Equal(WAIT_OBJECT_0, WaitForSingleObject(worker, INFINITE));
            Assert.True(GetExitCodeThread(worker, out var code));
            return (int)code;
        }));
        Assert.Equal(WAIT_IO_COMPLETION, exit);
        Assert.Equal(workerId, ranOn);
        Assert.Equal(0x5EEDUL, data);
    }

    [Fact]
    public void A_queued_APC_waits_through_non_alertable_waits_and_runs_at_the_first_alertable_one()
    {
        using var m = new UserModeMachine();
        var log = new List<string>();
        var exit = m.Run(new TestProgram(args =>
        {
            var signaled = CreateEvent(0, true, true, null);
            Assert.NotEqual(0u, QueueUserAPC(d => log.Add($"apc {d}"), GetCurrentThread(), 7));
            Sleep(5);
            log.Add("after Sleep");
            Assert.Equal(0u, SleepEx(5, false));
            log.Add("after SleepEx(FALSE)");
            Assert.Equal(WAIT_OBJECT_0, WaitForSingleObject(signaled, INFINITE));
            Assert.Equal(WAIT_OBJECT_0, WaitForSingleObjectEx(signaled, INFINITE, false));
            log.Add("after waits");
            var result = SleepEx(INFINITE, true);
            log.Add("after SleepEx(TRUE)");
            Assert.Equal(0u, SleepEx(1, true));
            return (int)result;
        }));
        Assert.Equal(WAIT_IO_COMPLETION, exit);
        Assert.Equal(["after Sleep", "after SleepEx(FALSE)", "after waits", "apc 7", "after SleepEx(TRUE)"], log);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void APCs_run_in_the_order_they_were_queued_and_one_queued_by_an_APC_runs_in_the_same_wait(ulong seed)
    {
        using var m = new UserModeMachine(seed);
        var order = new List<int>();
        var exit = m.Run(new TestProgram(args =>
        {
            var self = GetCurrentThread();
            Assert.NotEqual(0u, QueueUserAPC(d =>
            {
                order.Add((int)d);
                QueueUserAPC(e => order.Add((int)e), GetCurrentThread(), 6);
            }, self, 1));
            Assert.NotEqual(0u, QueueUserAPC(d => order.Add((int)d), self, 2));
            Assert.NotEqual(0u, QueueUserAPC(d => order.Add((int)d), self, 3));
            var result = SleepEx(0, true);
            return (int)result;
        }));
        Assert.Equal(WAIT_IO_COMPLETION, exit);
        Assert.Equal([1, 2, 3, 6], order);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void APCs_from_several_threads_run_in_arrival_order(ulong seed)
    {
        using var m = new UserModeMachine(seed);
        var order = new List<int>();
        var exit = m.Run(new TestProgram(args =>
        {
            var target = CreateThread(0, 0, _ =>
            {
                // Collects APCs until the last one (9) has run.
                while (!order.Contains(9))
                {
                    SleepEx(INFINITE, true);
                }

                return 0;
            }, 0, 0, out _);
            var queuers = new nint[3];
            for (var t = 0; t < 3; t++)
            {
                queuers[t] = CreateThread(0, 0, first =>
                {
                    for (var i = 0; i < 3; i++)
                    {
                        QueueUserAPC(d => order.Add((int)d), target, (ulong)first + (ulong)i);
                        Sleep(1);
                    }

                    return 0;
                }, (ulong)(t * 3), 0, out _);
            }

            Assert.Equal(WAIT_OBJECT_0, WaitForMultipleObjects(3, queuers, true, INFINITE));
            QueueUserAPC(d => order.Add((int)d), target, 9);
            return (int)WaitForSingleObject(target, INFINITE);
        }));
        Assert.Equal(0u, exit);
        Assert.Equal(10, order.Count);
        Assert.Equal(Enumerable.Range(0, 10).ToHashSet(), order.ToHashSet());
        Assert.Equal(9, order[^1]);

        // Each queuer's own APCs keep their order.
        for (var t = 0; t < 3; t++)
        {
            var mine = order.Where(v => v / 3 == t && v != 9).ToList();
            Assert.Equal(3, mine.Count);
            Assert.Equal(mine.Order().ToList(), mine);
        }
    }

    [Fact]
    public void NtTestAlert_runs_the_pending_APCs_before_it_returns()
    {
        using var m = new UserModeMachine();
        var ran = new List<ulong>();
        var exit = m.Run(new TestProgram(args =>
        {
            QueueUserAPC(d => ran.Add(d), GetCurrentThread(), 1);
            QueueUserAPC(d => ran.Add(d), GetCurrentThread(), 2);
            Assert.Empty(ran);
            var status = Ntdll.NtTestAlert();
            Assert.Equal([1UL, 2UL], ran);
            Assert.Equal(STATUS_SUCCESS, Ntdll.NtTestAlert());
            return status;
        }));
        Assert.Equal(0u, exit);
        Assert.Equal([1UL, 2UL], ran);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void An_APC_to_a_thread_that_is_terminated_never_runs(ulong seed)
    {
        using var m = new UserModeMachine(seed);
        var ran = 0;
        var exit = m.Run(new TestProgram(args =>
        {
            var never = CreateEvent(0, true, false, null);
            var waiting = CreateEvent(0, true, false, null);
            var worker = CreateThread(0, 0, _ =>
            {
                SetEvent(waiting);
                WaitForSingleObject(never, INFINITE);
                SleepEx(INFINITE, true);
                return 1;
            }, 0, 0, out _);
            WaitForSingleObject(waiting, INFINITE);
            Assert.NotEqual(0u, QueueUserAPC(_ => ran++, worker, 0));
            Assert.True(TerminateThread(worker, 33));
            Assert.Equal(WAIT_OBJECT_0, WaitForSingleObject(worker, INFINITE));

            // The thread is gone: no APC can be queued to it any more.
            Assert.Equal(0u, QueueUserAPC(_ => ran++, worker, 0));
            Assert.Equal(WinError.ERROR_GEN_FAILURE, GetLastError());
            GetExitCodeThread(worker, out var code);
            return (int)code;
        }));
        Assert.Equal(33u, exit);
        Assert.Equal(0, ran);
    }

    [Fact]
    public void APCs_still_queued_when_a_thread_returns_never_run()
    {
        using var m = new UserModeMachine();
        var ran = 0;
        var exit = m.Run(new TestProgram(args =>
        {
            var worker = CreateThread(0, 0, _ =>
            {
                QueueUserAPC(_ => ran++, GetCurrentThread(), 0);
                return 4;
            }, 0, 0, out _);
            WaitForSingleObject(worker, INFINITE);
            GetExitCodeThread(worker, out var code);
            return (int)code;
        }));
        Assert.Equal(4u, exit);
        Assert.Equal(0, ran);
    }

    [Fact]
    public void A_signaled_object_satisfies_an_alertable_wait_before_queued_APCs_run()
    {
        using var m = new UserModeMachine();
        var ran = 0;
        var exit = m.Run(new TestProgram(args =>
        {
            var signaled = CreateEvent(0, true, true, null);
            var unsignaled = CreateEvent(0, true, false, null);
            QueueUserAPC(_ => ran++, GetCurrentThread(), 0);
            Assert.Equal(WAIT_OBJECT_0, WaitForSingleObjectEx(signaled, INFINITE, true));
            Assert.Equal(0, ran);
            Assert.Equal(WAIT_IO_COMPLETION, WaitForSingleObjectEx(unsignaled, INFINITE, true));
            Assert.Equal(1, ran);
            Assert.Equal(WAIT_TIMEOUT, WaitForSingleObjectEx(unsignaled, 0, true));
            QueueUserAPC(_ => ran++, GetCurrentThread(), 0);
            Assert.Equal(WAIT_IO_COMPLETION, WaitForSingleObjectEx(unsignaled, 0, true));
            return ran;
        }));
        Assert.Equal(2u, exit);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void WaitForMultipleObjectsEx_returns_the_object_s_index_a_timeout_or_WAIT_IO_COMPLETION(ulong seed)
    {
        using var m = new UserModeMachine(seed);
        var ran = 0;
        var exit = m.Run(new TestProgram(args =>
        {
            var a = CreateEvent(0, true, false, null);
            var b = CreateEvent(0, true, false, null);
            var c = CreateEvent(0, false, false, null);
            nint[] handles = [a, b, c];
            Assert.Equal(WAIT_TIMEOUT, WaitForMultipleObjects(3, handles, false, 1));
            SetEvent(c);
            Assert.Equal(WAIT_OBJECT_0 + 2, WaitForMultipleObjects(3, handles, false, INFINITE));
            Assert.Equal(WAIT_TIMEOUT, WaitForMultipleObjects(3, handles, false, 0));
            SetEvent(b);
            Assert.Equal(WAIT_TIMEOUT, WaitForMultipleObjects(3, handles, true, 2));
            var setter = CreateThread(0, 0, _ =>
            {
                Sleep(3);
                SetEvent(a);
                SetEvent(c);
                return 0;
            }, 0, 0, out _);
            Assert.Equal(WAIT_OBJECT_0, WaitForMultipleObjects(3, handles, true, INFINITE));
            WaitForSingleObject(setter, INFINITE);

            // The auto-reset event was taken by the wait for all.
            Assert.Equal(WAIT_TIMEOUT, WaitForSingleObject(c, 0));
            ResetEvent(a);
            ResetEvent(b);
            QueueUserAPC(_ => ran++, GetCurrentThread(), 0);
            Assert.Equal(WAIT_IO_COMPLETION, WaitForMultipleObjectsEx(3, handles, false, INFINITE, true));
            return ran;
        }));
        Assert.Equal(1u, exit);
    }

    [Fact]
    public void NtWaitForMultipleObjects_refuses_bad_counts_and_an_object_named_twice_in_a_wait_for_all()
    {
        using var m = new UserModeMachine();
        var exit = m.Run(new TestProgram(args =>
        {
            var e = CreateEvent(0, true, true, null);
            var handles = VirtualAlloc(0, 65 * 8, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
            for (var i = 0; i < 65; i++)
            {
                Memory.Write(handles + (ulong)(i * 8), (ulong)e);
            }

            Assert.Equal(STATUS_INVALID_PARAMETER_1, Ntdll.NtWaitForMultipleObjects(0, handles, 1, false, 0));
            Assert.Equal(STATUS_INVALID_PARAMETER_1, Ntdll.NtWaitForMultipleObjects(65, handles, 1, false, 0));
            Assert.Equal(STATUS_INVALID_PARAMETER_MIX, Ntdll.NtWaitForMultipleObjects(2, handles, 0, false, 0));

            // Waiting for any of 64 handles (more than a thread's own wait blocks) works; the first signaled wins.
            Assert.Equal(STATUS_SUCCESS, Ntdll.NtWaitForMultipleObjects(64, handles, 1, false, 0));
            Assert.Equal(WAIT_FAILED, WaitForMultipleObjects(65, new nint[65].AsSpan(), false, 0));
            return (int)GetLastError();
        }));
        Assert.Equal(WinError.ERROR_INVALID_PARAMETER, exit);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void NtAlertThread_ends_an_alertable_wait_with_STATUS_ALERTED_and_otherwise_stays_pending(ulong seed)
    {
        using var m = new UserModeMachine(seed);
        var statuses = new List<int>();
        var exit = m.Run(new TestProgram(args =>
        {
            var waiting = CreateEvent(0, true, false, null);
            var never = CreateEvent(0, true, false, null);
            var worker = CreateThread(0, 0, _ =>
            {
                var interval = VirtualAlloc(0, 8, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
                Memory.Write(interval, long.MinValue);
                SetEvent(waiting);
                statuses.Add(Ntdll.NtDelayExecution(true, interval));
                return 0;
            }, 0, 0, out _);
            WaitForSingleObject(waiting, INFINITE);
            Sleep(2);
            Assert.Equal(STATUS_SUCCESS, Ntdll.NtAlertThread(worker));
            WaitForSingleObject(worker, INFINITE);

            // An alert to a thread that is not waiting alertably stays pending: a non-alertable wait ignores it,
            // the next alertable one returns at once, and the one after that waits.
            Assert.Equal(STATUS_SUCCESS, Ntdll.NtAlertThread(GetCurrentThread()));
            Assert.Equal(WAIT_TIMEOUT, WaitForSingleObject(never, 1));
            statuses.Add(Ntdll.NtWaitForSingleObject(never, true, 0));
            var timeout = VirtualAlloc(0, 8, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
            Memory.Write(timeout, -10_000L);
            statuses.Add(Ntdll.NtWaitForSingleObject(never, true, timeout));

            // NtTestAlert consumes a pending alert.
            Ntdll.NtAlertThread(GetCurrentThread());
            statuses.Add(Ntdll.NtTestAlert());
            statuses.Add(Ntdll.NtTestAlert());

            // SleepEx is not ended by an alert: it sleeps its time and returns 0.
            Ntdll.NtAlertThread(GetCurrentThread());
            return (int)SleepEx(2, true);
        }));
        Assert.Equal(0u, exit);
        Assert.Equal([STATUS_ALERTED, STATUS_ALERTED, STATUS_TIMEOUT, STATUS_ALERTED, STATUS_SUCCESS], statuses);
    }

    [Fact]
    public void NtQueueApcThread_passes_its_three_arguments_and_needs_THREAD_SET_CONTEXT()
    {
        using var m = new UserModeMachine();
        (ulong, ulong, ulong) seen = default;
        var exit = m.Run(new TestProgram(args =>
        {
            var routine = SharpNT.Kernel.Ke.Ring3.CodeAddress((ulong a, ulong b, ulong c) => seen = (a, b, c));
            Assert.Equal(STATUS_SUCCESS, Ntdll.NtQueueApcThread(Ntdll.NtCurrentThread, routine, 1, 2, 3));
            var interval = VirtualAlloc(0, 0x1000, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
            Memory.Write(interval, -10_000L);
            Assert.Equal(STATUS_USER_APC, Ntdll.NtDelayExecution(true, interval));
            Assert.Equal((1UL, 2UL, 3UL), seen);

            // A handle with only SYNCHRONIZE and THREAD_QUERY_LIMITED_INFORMATION cannot queue APCs.
            var handle = interval + 0x100;
            var status = Ntdll.NtCreateThreadEx(handle, 0x00100000 | 0x0800, 0, Ntdll.NtCurrentProcess,
                SharpNT.Kernel.Ke.Ring3.CodeAddress(_ => 0u), 0, 0, 0, 0, 0, 0);
            Assert.Equal(STATUS_SUCCESS, status);
            var limited = (nint)Memory.Read<ulong>(handle);
            Assert.Equal(STATUS_ACCESS_DENIED, Ntdll.NtQueueApcThread(limited, routine, 4, 5, 6));
            Assert.Equal(WAIT_OBJECT_0, WaitForSingleObject(limited, INFINITE));
            return 0;
        }));
        Assert.Equal(0u, exit);
        Assert.Equal((1UL, 2UL, 3UL), seen);
    }

    [Fact]
    public void An_APC_routine_address_with_no_code_faults_the_process_when_the_APC_runs()
    {
        using var m = new UserModeMachine();
        var reached = false;
        var exit = m.Run(new TestProgram(args =>
        {
            Assert.Equal(STATUS_SUCCESS, Ntdll.NtQueueApcThread(Ntdll.NtCurrentThread, 0x00007FF6_DEAD0000UL, 0, 0, 0));
            Ntdll.NtTestAlert();
            reached = true;
            return 1;
        }));
        Assert.Equal(0xC0000005u, exit);
        Assert.False(reached);
    }
}
