using SharpNT.Cli;
using SharpNT.Kernel.Ke;
using SharpNT.Win32;
using static SharpNT.Win32.Kernel32;
using static SharpNT.Win32.WinBase;

namespace SharpNT.Kernel.Tests.Win32;

/// <summary>
/// Threads of a user process: CreateThread (NtCreateThreadEx), their handles, exit codes and ends, and
/// termination of threads and processes from outside (NtTerminateThread, NtTerminateProcess).
/// </summary>
public sealed class ThreadTests
{
    private const int STATUS_INVALID_INFO_CLASS = unchecked((int)0xC0000003);
    private const int STATUS_INFO_LENGTH_MISMATCH = unchecked((int)0xC0000004);

    [Fact]
    public void A_thread_runs_its_routine_with_its_parameter_and_ends_with_the_routine_s_value()
    {
        using var m = new UserModeMachine();
        uint seenId = 0;
        uint otherId = 0;
        var exit = m.Run(new TestProgram(args =>
        {
            var thread = CreateThread(0, 0, p =>
            {
                seenId = GetCurrentThreadId();
                return (uint)p + 1;
            }, 41, 0, out otherId);
            Assert.NotEqual(0, thread);
            Assert.Equal(WAIT_OBJECT_0, WaitForSingleObject(thread, INFINITE));
            Assert.True(GetExitCodeThread(thread, out var code));
            CloseHandle(thread);
            return (int)code;
        }));
        Assert.Equal(42u, exit);
        Assert.Equal(otherId, seenId);
        Assert.NotEqual(0u, seenId);
        Assert.Empty(m.Machine.Ps.ActiveProcesses);
    }

    [Fact]
    public void A_running_thread_s_exit_code_is_STILL_ACTIVE()
    {
        using var m = new UserModeMachine();
        var exit = m.Run(new TestProgram(args =>
        {
            var go = CreateEvent(0, true, false, null);
            var thread = CreateThread(0, 0, _ =>
            {
                WaitForSingleObject(go, INFINITE);
                return 7;
            }, 0, 0, out _);
            Assert.True(GetExitCodeThread(thread, out var running));
            Assert.Equal(STILL_ACTIVE, running);
            SetEvent(go);
            WaitForSingleObject(thread, INFINITE);
            Assert.True(GetExitCodeThread(thread, out var ended));
            return (int)ended;
        }));
        Assert.Equal(7u, exit);
    }

    [Fact]
    public void The_main_thread_returning_ends_the_process_and_its_other_threads()
    {
        using var m = new UserModeMachine();
        var resumed = false;
        var exit = m.Run(new TestProgram(args =>
        {
            var started = CreateEvent(0, true, false, null);
            CreateThread(0, 0, _ =>
            {
                SetEvent(started);
                Sleep(INFINITE);
                resumed = true;
                return 1;
            }, 0, 0, out _);
            WaitForSingleObject(started, INFINITE);
            return 5;
        }));
        Assert.Equal(5u, exit);
        Assert.False(resumed);
        Assert.Empty(m.Machine.Ps.ActiveProcesses);
    }

    [Fact]
    public void ExitProcess_on_another_thread_ends_the_process_with_its_code()
    {
        using var m = new UserModeMachine();
        var exit = m.Run(new TestProgram(args =>
        {
            var never = CreateEvent(0, true, false, null);
            CreateThread(0, 0, _ =>
            {
                ExitProcess(9);
                return 0;
            }, 0, 0, out _);
            WaitForSingleObject(never, INFINITE);
            return 1;
        }));
        Assert.Equal(9u, exit);
    }

    [Fact]
    public void An_unhandled_exception_on_any_thread_ends_the_whole_process_with_its_code()
    {
        using var m = new UserModeMachine();
        var zero = 0;
        Assert.Equal(0xC0000005u, m.Run(ProgramWhoseThreadFails(() => Memory.Read<byte>(0))));
        Assert.Equal(0xC0000094u, m.Run(ProgramWhoseThreadFails(() => _ = 1 / zero)));
        Assert.Empty(m.Machine.Ps.ActiveProcesses);
    }

    private static TestProgram ProgramWhoseThreadFails(Action fail) => new(args =>
    {
        var never = CreateEvent(0, true, false, null);
        CreateThread(0, 0, _ =>
        {
            fail();
            return 0;
        }, 0, 0, out _);
        WaitForSingleObject(never, INFINITE);
        return 1;
    });

    [Fact]
    public void A_start_address_with_no_code_faults_the_process()
    {
        using var m = new UserModeMachine();
        var exit = m.Run(new TestProgram(args =>
        {
            var handle = VirtualAlloc(0, 8, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
            var status = Ntdll.NtCreateThreadEx(handle, 0x1FFFFF, 0, Ntdll.NtCurrentProcess, 0x00007FF6_DEAD0000UL, 0, 0, 0, 0, 0, 0);
            Assert.Equal(0, status);
            WaitForSingleObject((nint)Memory.Read<ulong>(handle), INFINITE);
            return 1;
        }));
        Assert.Equal(0xC0000005u, exit);
    }

    [Fact]
    public void The_last_thread_to_end_gives_the_process_its_exit_code()
    {
        using var m = new UserModeMachine();
        var exit = m.Run(new TestProgram(args =>
        {
            CreateThread(0, 0, _ =>
            {
                Sleep(5);
                return 7;
            }, 0, 0, out _);
            ExitThread(3);
            return 1;
        }));
        Assert.Equal(7u, exit);
    }

    [Theory]
    [InlineData(1UL)]
    [InlineData(2UL)]
    [InlineData(3UL)]
    [InlineData(7UL)]
    [InlineData(42UL)]
    public void TerminateThread_ends_a_thread_in_a_wait_and_one_making_system_calls_with_the_code_given(ulong seed)
    {
        using var m = new UserModeMachine(seed);
        var exit = m.Run(new TestProgram(args =>
        {
            var never = CreateEvent(0, true, false, null);
            var busy = CreateEvent(0, true, false, null);
            var waiting = CreateThread(0, 0, _ =>
            {
                WaitForSingleObject(never, INFINITE);
                return 1;
            }, 0, 0, out _);
            var calling = CreateThread(0, 0, _ =>
            {
                // A polling thread: system calls, and Sleep(0) to let others run (a CPU-bound thread is not
                // preempted in deterministic mode).
                while (true)
                {
                    SetEvent(busy);
                    ResetEvent(never);
                    Sleep(0);
                }
            }, 0, 0, out _);
            WaitForSingleObject(busy, INFINITE);
            Assert.True(TerminateThread(waiting, 77));
            Assert.True(TerminateThread(calling, 78));
            Assert.Equal(WAIT_OBJECT_0, WaitForSingleObject(waiting, INFINITE));
            Assert.Equal(WAIT_OBJECT_0, WaitForSingleObject(calling, INFINITE));
            Assert.True(GetExitCodeThread(waiting, out var first));
            Assert.True(GetExitCodeThread(calling, out var second));
            return (int)(first * 1000 + second);
        }));
        Assert.Equal(77078u, exit);
    }

    [Fact]
    public void A_terminated_thread_running_user_code_ends_at_its_next_memory_access()
    {
        using var m = new UserModeMachine(mode: SchedulingMode.Parallel);
        var exit = m.Run(new TestProgram(args =>
        {
            var buffer = VirtualAlloc(0, 0x1000, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
            var spinning = CreateThread(0, 0, b =>
            {
                Memory.Write(b, 1);
                while (true)
                {
                    Memory.Write(b + 8, Memory.Read<long>(b + 8) + 1);
                }
            }, buffer, 0, out _);
            while (Memory.Read<int>(buffer) == 0)
            {
                Sleep(1);
            }

            TerminateThread(spinning, 55);
            WaitForSingleObject(spinning, INFINITE);
            GetExitCodeThread(spinning, out var code);
            return (int)code;
        }));
        Assert.Equal(55u, exit);
    }

    [Fact]
    public void A_terminated_thread_s_reads_in_flight_are_cancelled_before_it_ends()
    {
        using var m = new UserModeMachine();
        var exit = m.Run(new TestProgram(args =>
        {
            var device = CreateFile(SharpNT.Programs.PendingIoProgram.DevicePath, GENERIC_READ, 0, 0, OPEN_EXISTING, FILE_FLAG_OVERLAPPED, 0);
            var issued = CreateEvent(0, true, false, null);
            var never = CreateEvent(0, true, false, null);
            var reader = CreateThread(0, 0, parameter =>
            {
                var memory = VirtualAlloc(0, 0x1000, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
                for (var i = 0; i < 4; i++)
                {
                    var overlapped = memory + (ulong)(i * 0x40);
                    Memory.Write(overlapped + (ulong)OVERLAPPED_hEvent, (ulong)CreateEvent(0, true, false, null));
                    ReadFile(device, memory + 0x800 + (ulong)i, 1, out _, overlapped);
                }

                SetEvent(issued);
                WaitForSingleObject(never, INFINITE);
                return 1;
            }, 0, 0, out _);
            WaitForSingleObject(issued, INFINITE);
            TerminateThread(reader, 66);
            WaitForSingleObject(reader, INFINITE);
            GetExitCodeThread(reader, out var code);
            return (int)code;
        }));
        Assert.Equal(66u, exit);
        Assert.All(m.Machine.Ke.SnapshotThreads().Where(t => t.Kind == ThreadKind.User), t => Assert.Empty(t.PendingIrps));
    }

    [Fact]
    public void The_threads_program_terminates_the_workers_still_waiting_and_ends_cleanly()
    {
        using var m = new UserModeMachine();
        Assert.Equal(0u, m.Run(new SharpNT.Programs.ThreadsProgram(), "4"));
        var lines = m.Console.Split('\n').Where(l => l.Contains("ended with exit code", StringComparison.Ordinal)).ToList();
        Assert.Equal(4, lines.Count);
        Assert.Single(lines, l => l.Contains("exit code 10", StringComparison.Ordinal));
        Assert.Equal(3, lines.Count(l => l.Contains($"exit code {SharpNT.Programs.ThreadsProgram.TerminatedExitCode} ", StringComparison.Ordinal)));
        Assert.Empty(m.Machine.Ps.ActiveProcesses);
        Assert.All(m.Machine.Ke.SnapshotThreads().Where(t => t.Kind == ThreadKind.User), t => Assert.Empty(t.PendingIrps));
    }

    [Fact]
    public void Kill_ends_another_process_when_the_process_s_security_lets_it()
    {
        using var m = new UserModeMachine();
        var (asUser, asAdministrator, victimExit, unknown) = m.Machine.Run(() =>
        {
            var victim = ProgramHost.Start(m.Machine, new TestProgram(args =>
            {
                var never = CreateEvent(0, true, false, null);
                CreateThread(0, 0, _ => WaitForSingleObject(never, INFINITE), 0, 0, out _);
                WaitForSingleObject(never, INFINITE);
                return 1;
            }, "victim"), []);
            var pid = victim.UniqueProcessId.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var user = ProgramHost.Run(m.Machine, new SharpNT.Programs.KillProgram(), [pid, "7"], "user");
            var administrator = ProgramHost.Run(m.Machine, new SharpNT.Programs.KillProgram(), [pid, "7"]);
            var exit = ProgramHost.Wait(m.Machine, victim);
            return (user, administrator, exit, ProgramHost.Run(m.Machine, new SharpNT.Programs.KillProgram(), ["4000"]));
        });
        Assert.Equal(WinError.ERROR_ACCESS_DENIED, asUser);
        Assert.Equal(0u, asAdministrator);
        Assert.Equal(7u, victimExit);
        Assert.Equal(WinError.ERROR_INVALID_PARAMETER, unknown);
        Assert.Contains("ended with exit code 7", m.Console, StringComparison.Ordinal);
        Assert.Empty(m.Machine.Ps.ActiveProcesses);
    }

    [Fact]
    public void Thread_services_refuse_what_they_do_not_do()
    {
        using var m = new UserModeMachine();
        var exit = m.Run(new TestProgram(args =>
        {
            var info = VirtualAlloc(0, 0x100, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
            Assert.Equal(STATUS_INVALID_INFO_CLASS, Ntdll.NtQueryInformationThread(Ntdll.NtCurrentThread, 1, info, 0x30, 0));
            Assert.Equal(STATUS_INFO_LENGTH_MISMATCH, Ntdll.NtQueryInformationThread(Ntdll.NtCurrentThread, 0, info, 0x20, 0));
            Assert.True(GetExitCodeThread(GetCurrentThread(), out var self));
            return (int)self;
        }));
        Assert.Equal(STILL_ACTIVE, exit);
    }

    [Fact]
    public void NtTerminateProcess_from_outside_ends_every_thread_of_the_process()
    {
        using var m = new UserModeMachine();
        var exit = m.Machine.Run(() =>
        {
            var process = ProgramHost.Start(m.Machine, new TestProgram(args =>
            {
                var never = CreateEvent(0, true, false, null);
                CreateThread(0, 0, _ =>
                {
                    WaitForSingleObject(never, INFINITE);
                    return 0;
                }, 0, 0, out _);
                WaitForSingleObject(never, INFINITE);
                return 1;
            }), []);
            m.Machine.Ke.Delay(KPROCESSOR_MODE.KernelMode, false, -10 * 10_000L);
            Assert.Equal(NTSTATUS.STATUS_SUCCESS, m.Machine.Ob.OpenObjectByPointer(process, 0, null, AccessMask.PROCESS_TERMINATE,
                m.Machine.Ob.ProcessType, KPROCESSOR_MODE.KernelMode, out var handle));
            Assert.Equal(NTSTATUS.STATUS_SUCCESS, m.Machine.Ps.TerminateProcess(handle, (NTSTATUS)0x1234, KPROCESSOR_MODE.KernelMode));
            m.Machine.Ob.CloseHandle(handle, KPROCESSOR_MODE.KernelMode);
            return ProgramHost.Wait(m.Machine, process);
        });
        Assert.Equal(0x1234u, exit);
        Assert.Empty(m.Machine.Ps.ActiveProcesses);
    }
}
