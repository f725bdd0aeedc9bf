using SharpNT.Win32;
using static SharpNT.Win32.Kernel32;
using static SharpNT.Win32.WinBase;

namespace SharpNT.Kernel.Tests.Win32;

/// <summary>
/// Thread suspension: CreateThread(CREATE_SUSPENDED), SuspendThread / ResumeThread (NtSuspendThread /
/// NtResumeThread) and their counts, MAXIMUM_SUSPEND_COUNT, and what a suspended thread does (nothing) until
/// the last resume.
/// </summary>
public sealed class SuspendTests
{
    private const int STATUS_SUSPEND_COUNT_EXCEEDED = unchecked((int)0xC000004A);
    private const int STATUS_THREAD_IS_TERMINATING = unchecked((int)0xC000004B);

    public static TheoryData<ulong> Seeds => [1UL, 2UL, 3UL, 7UL, 42UL];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void A_thread_created_suspended_runs_nothing_until_ResumeThread(ulong seed)
    {
        using var m = new UserModeMachine(seed);
        var ran = false;
        var ranWhileSuspended = true;
        var exit = m.Run(new TestProgram(args =>
        {
            var thread = CreateThread(0, 0, p =>
            {
                ran = true;
                return (uint)p;
            }, 12, CREATE_SUSPENDED, out var id);
            Assert.NotEqual(0, thread);
            Assert.NotEqual(0u, id);
            Sleep(20);
            ranWhileSuspended = ran;
            Assert.True(GetExitCodeThread(thread, out var still));
            Assert.Equal(STILL_ACTIVE, still);
            Assert.Equal(WAIT_TIMEOUT, WaitForSingleObject(thread, 5));
            Assert.Equal(1u, ResumeThread(thread));
            Assert.Equal(WAIT_OBJECT_0, WaitForSingleObject(thread, INFINITE));
            Assert.True(GetExitCodeThread(thread, out var code));
            return (int)code;
        }));
        Assert.Equal(12u, exit);
        Assert.False(ranWhileSuspended);
        Assert.True(ran);
    }

    [Fact]
    public void SuspendThread_and_ResumeThread_return_the_previous_count_and_the_last_resume_lets_the_thread_run()
    {
        using var m = new UserModeMachine();
        var counts = new List<uint>();
        var ranBeforeLastResume = true;
        var ran = false;
        var exit = m.Run(new TestProgram(args =>
        {
            var thread = CreateThread(0, 0, _ =>
            {
                ran = true;
                return 3;
            }, 0, CREATE_SUSPENDED, out _);
            counts.Add(SuspendThread(thread));
            counts.Add(SuspendThread(thread));
            counts.Add(ResumeThread(thread));
            counts.Add(ResumeThread(thread));
            Sleep(10);
            ranBeforeLastResume = ran;
            counts.Add(ResumeThread(thread));
            WaitForSingleObject(thread, INFINITE);

            // Resuming a thread that is not suspended changes nothing: 0.
            counts.Add(ResumeThread(thread));
            GetExitCodeThread(thread, out var code);
            return (int)code;
        }));
        Assert.Equal(3u, exit);
        Assert.Equal([1u, 2u, 3u, 2u, 1u, 0u], counts);
        Assert.False(ranBeforeLastResume);
        Assert.True(ran);
    }

    [Fact]
    public void The_suspend_count_stops_at_MAXIMUM_SUSPEND_COUNT_with_STATUS_SUSPEND_COUNT_EXCEEDED()
    {
        using var m = new UserModeMachine();
        var previous = new List<uint>();
        var exit = m.Run(new TestProgram(args =>
        {
            var thread = CreateThread(0, 0, _ => 1, 0, 0, out _);
            for (var i = 0; i < 127; i++)
            {
                previous.Add(SuspendThread(thread));
            }

            Assert.Equal(0xFFFFFFFFu, SuspendThread(thread));
            Assert.Equal(WinError.ERROR_SIGNAL_REFUSED, GetLastError());
            var count = VirtualAlloc(0, 8, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
            Assert.Equal(STATUS_SUSPEND_COUNT_EXCEEDED, Ntdll.NtSuspendThread(thread, count));

            // The count did not move: one resume gives 127 back.
            Assert.Equal(127u, ResumeThread(thread));
            Assert.Equal(126u, SuspendThread(thread));

            // A suspended thread can still be terminated.
            Assert.True(TerminateThread(thread, 0x55));
            Assert.Equal(WAIT_OBJECT_0, WaitForSingleObject(thread, INFINITE));
            GetExitCodeThread(thread, out var code);

            // An ended thread cannot be suspended.
            Assert.Equal(STATUS_THREAD_IS_TERMINATING, Ntdll.NtSuspendThread(thread, 0));
            return (int)code;
        }));
        Assert.Equal(0x55u, exit);
        Assert.Equal(Enumerable.Range(0, 127).Select(i => (uint)i), previous);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void A_running_thread_stops_at_its_next_system_call_while_suspended_and_goes_on_after_resume(ulong seed)
    {
        using var m = new UserModeMachine(seed);
        long during = -1;
        long after = -1;
        var exit = m.Run(new TestProgram(args =>
        {
            var counter = VirtualAlloc(0, 0x1000, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
            var stop = CreateEvent(0, true, false, null);
            var worker = CreateThread(0, 0, c =>
            {
                while (WaitForSingleObject(stop, 0) == WAIT_TIMEOUT)
                {
                    Memory.Write(c, Memory.Read<long>(c) + 1);
                    Sleep(1);
                }

                return 0;
            }, counter, 0, out _);
            while (Memory.Read<long>(counter) < 3)
            {
                Sleep(1);
            }

            Assert.Equal(0u, SuspendThread(worker));

            // Give it time to reach the point where it stops, then watch it not move.
            Sleep(5);
            var stopped = Memory.Read<long>(counter);
            Sleep(30);
            during = Memory.Read<long>(counter) - stopped;
            Assert.Equal(1u, ResumeThread(worker));
            Sleep(30);
            after = Memory.Read<long>(counter) - stopped;
            SetEvent(stop);
            return (int)WaitForSingleObject(worker, INFINITE);
        }));
        Assert.Equal(0u, exit);
        Assert.Equal(0, during);
        Assert.True(after > 0, $"the resumed thread should go on counting, counted {after}");
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void A_thread_suspended_in_a_wait_does_not_go_on_when_the_wait_is_satisfied_until_it_is_resumed(ulong seed)
    {
        using var m = new UserModeMachine(seed);
        var log = new List<string>();
        var exit = m.Run(new TestProgram(args =>
        {
            var go = CreateEvent(0, true, false, null);
            var waiting = CreateEvent(0, true, false, null);
            var worker = CreateThread(0, 0, _ =>
            {
                SetEvent(waiting);
                WaitForSingleObject(go, INFINITE);
                log.Add("worker went on");
                return 0;
            }, 0, 0, out _);
            WaitForSingleObject(waiting, INFINITE);
            Sleep(2);
            Assert.Equal(0u, SuspendThread(worker));
            SetEvent(go);
            Sleep(20);
            log.Add("resume");
            Assert.Equal(1u, ResumeThread(worker));
            return (int)WaitForSingleObject(worker, INFINITE);
        }));
        Assert.Equal(0u, exit);
        Assert.Equal(["resume", "worker went on"], log);
    }

    [Fact]
    public void A_thread_can_suspend_itself_until_another_thread_resumes_it()
    {
        using var m = new UserModeMachine();
        var log = new List<string>();
        var exit = m.Run(new TestProgram(args =>
        {
            var worker = CreateThread(0, 0, _ =>
            {
                log.Add("suspending");
                var previous = SuspendThread(GetCurrentThread());
                log.Add($"resumed ({previous})");
                return 0;
            }, 0, 0, out _);
            Sleep(20);
            log.Add("resume");
            Assert.Equal(1u, ResumeThread(worker));
            return (int)WaitForSingleObject(worker, INFINITE);
        }));
        Assert.Equal(0u, exit);
        Assert.Equal(["suspending", "resume", "resumed (0)"], log);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void A_thread_created_suspended_and_terminated_never_runs_its_routine(ulong seed)
    {
        using var m = new UserModeMachine(seed);
        var ran = false;
        var exit = m.Run(new TestProgram(args =>
        {
            var thread = CreateThread(0, 0, _ =>
            {
                ran = true;
                return 1;
            }, 0, CREATE_SUSPENDED, out _);
            Sleep(2);
            Assert.True(TerminateThread(thread, 9));
            Assert.Equal(WAIT_OBJECT_0, WaitForSingleObject(thread, INFINITE));
            GetExitCodeThread(thread, out var code);
            return (int)code;
        }));
        Assert.Equal(9u, exit);
        Assert.False(ran);
    }

    [Fact]
    public void APCs_queued_to_a_thread_before_it_first_runs_are_called_before_its_start_routine()
    {
        using var m = new UserModeMachine();
        var log = new List<string>();
        var exit = m.Run(new TestProgram(args =>
        {
            var thread = CreateThread(0, 0, _ =>
            {
                log.Add("start routine");
                return 0;
            }, 0, CREATE_SUSPENDED, out _);
            Assert.NotEqual(0u, QueueUserAPC(d => log.Add($"apc {d}"), thread, 1));
            Assert.NotEqual(0u, QueueUserAPC(d => log.Add($"apc {d}"), thread, 2));
            Sleep(5);
            Assert.Empty(log);
            ResumeThread(thread);
            return (int)WaitForSingleObject(thread, INFINITE);
        }));
        Assert.Equal(0u, exit);
        Assert.Equal(["apc 1", "apc 2", "start routine"], log);
    }
}
