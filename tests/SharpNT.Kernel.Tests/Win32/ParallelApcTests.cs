using SharpNT.Kernel.Ke;
using SharpNT.Win32;
using static SharpNT.Win32.Kernel32;
using static SharpNT.Win32.WinBase;

namespace SharpNT.Kernel.Tests.Win32;

/// <summary>User APCs and suspension with processors running truly at once (parallel scheduling).</summary>
public sealed class ParallelApcTests
{
    [Fact]
    public void APCs_queued_from_another_processor_run_in_order_in_the_target_s_alertable_waits()
    {
        using var m = new UserModeMachine(mode: SchedulingMode.Parallel);
        var order = new List<int>();
        var exit = m.Run(new TestProgram(args =>
        {
            var started = CreateEvent(0, true, false, null);
            var target = CreateThread(0, 0, _ =>
            {
                SetEvent(started);
                var completions = 0;
                while (!order.Contains(99))
                {
                    completions += SleepEx(INFINITE, true) == WAIT_IO_COMPLETION ? 1 : 0;
                }

                return (uint)completions;
            }, 0, 0, out _);

            // Queued before the thread first ran, they would run before its start routine: let it start first.
            WaitForSingleObject(started, INFINITE);
            for (var i = 0; i < 50; i++)
            {
                QueueUserAPC(d => order.Add((int)d), target, (ulong)i);
            }

            QueueUserAPC(d => order.Add((int)d), target, 99);
            WaitForSingleObject(target, INFINITE);
            GetExitCodeThread(target, out var completions);
            return (int)completions;
        }));
        Assert.InRange(exit, 1u, 51u);
        Assert.Equal([.. Enumerable.Range(0, 50), 99], order);
    }

    [Fact]
    public void A_suspended_thread_does_not_move_until_resumed_in_parallel_mode()
    {
        using var m = new UserModeMachine(mode: SchedulingMode.Parallel);
        long during = -1;
        long after = -1;
        var exit = m.Run(new TestProgram(args =>
        {
            var counter = VirtualAlloc(0, 0x1000, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
            var worker = CreateThread(0, 0, c =>
            {
                while (Memory.Read<long>(c + 8) == 0)
                {
                    Memory.Write(c, Memory.Read<long>(c) + 1);
                }

                return 0;
            }, counter, CREATE_SUSPENDED, out _);
            Sleep(5);
            var before = Memory.Read<long>(counter);
            Assert.Equal(1u, ResumeThread(worker));
            while (Memory.Read<long>(counter) < 1000)
            {
                Sleep(1);
            }

            Assert.Equal(0u, SuspendThread(worker));
            Sleep(5);
            var stopped = Memory.Read<long>(counter);
            Sleep(20);
            during = Memory.Read<long>(counter) - stopped;
            Assert.Equal(1u, ResumeThread(worker));
            for (var i = 0; i < 10_000 && Memory.Read<long>(counter) == stopped; i++)
            {
                Sleep(1);
            }

            after = Memory.Read<long>(counter) - stopped;
            Memory.Write(counter + 8, 1L);
            WaitForSingleObject(worker, INFINITE);
            return (int)before;
        }));
        Assert.Equal(0u, exit);
        Assert.Equal(0, during);
        Assert.True(after > 0, $"the resumed thread should go on counting, counted {after}");
    }
}
