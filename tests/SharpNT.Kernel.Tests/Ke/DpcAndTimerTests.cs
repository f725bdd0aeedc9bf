using SharpNT.Kernel.Ke;
using static SharpNT.Kernel.Ddi.Wdm;

namespace SharpNT.Kernel.Tests.Ke;

public sealed class DpcAndTimerTests
{
    [Fact]
    public void A_DPC_queued_at_dispatch_level_runs_when_the_irql_drops_and_runs_at_dispatch_level()
    {
        using var machine = TestMachines.Boot();
        var log = machine.Run(() =>
        {
            var events = new List<string>();
            var dpc = new KDPC();
            KeInitializeDpc(dpc, (d, ctx, a1, a2) => events.Add($"dpc irql={KeGetCurrentIrql()} ctx={ctx} a1={a1}"), "C");
            KeRaiseIrql(DISPATCH_LEVEL, out var old);
            Assert.True(KeInsertQueueDpc(dpc, 7, null));
            Assert.False(KeInsertQueueDpc(dpc, 8, null));
            events.Add("still at dispatch");
            KeLowerIrql(old);
            events.Add("lowered");
            return events;
        });

        Assert.Equal(["still at dispatch", "dpc irql=2 ctx=C a1=7", "lowered"], log);
    }

    [Fact]
    public void A_DPC_queued_below_dispatch_level_runs_at_once()
    {
        using var machine = TestMachines.Boot();
        var ran = machine.Run(() =>
        {
            var hit = new bool[1];
            var dpc = new KDPC();
            KeInitializeDpc(dpc, (_, _, _, _) => hit[0] = true, null);
            KeInsertQueueDpc(dpc, null, null);
            return hit[0];
        });

        Assert.True(ran);
    }

    [Fact]
    public void KeRemoveQueueDpc_takes_a_queued_DPC_off_before_it_runs()
    {
        using var machine = TestMachines.Boot();
        var (removed, ran) = machine.Run(() =>
        {
            var hit = new bool[1];
            var dpc = new KDPC();
            KeInitializeDpc(dpc, (_, _, _, _) => hit[0] = true, null);
            KeRaiseIrql(DISPATCH_LEVEL, out var old);
            KeInsertQueueDpc(dpc, null, null);
            var r = KeRemoveQueueDpc(dpc);
            KeLowerIrql(old);
            return (r, hit[0]);
        });

        Assert.True(removed);
        Assert.False(ran);
    }

    [Fact]
    public void A_DPC_targeted_at_an_idle_processor_runs_there()
    {
        using var machine = TestMachines.Boot(processors: 2);
        var processor = machine.Run(() =>
        {
            var where = new uint[] { 99 };
            var done = new KEVENT();
            KeInitializeEvent(done, NotificationEvent, false);
            var dpc = new KDPC();
            KeInitializeDpc(dpc, (_, _, _, _) =>
            {
                where[0] = KeGetCurrentProcessorNumber();
                KeSetEvent(done, IO_NO_INCREMENT, false);
            }, null);
            var target = (byte)(1 - KeGetCurrentProcessorNumber());
            KeSetTargetProcessorDpc(dpc, target);
            KeInsertQueueDpc(dpc, null, null);
            KeWaitForSingleObject(done, Executive, KernelMode, false, null);
            return (where[0], target);
        });

        Assert.Equal(processor.target, processor.Item1);
    }

    [Fact]
    public void A_timer_signals_waiters_and_queues_its_DPC_at_its_due_time()
    {
        using var machine = TestMachines.Boot();
        var (status, dpcTime, setTime) = machine.Run(() =>
        {
            var timer = new KTIMER();
            KeInitializeTimer(timer);
            var dpcAt = new ulong[1];
            var dpc = new KDPC();
            KeInitializeDpc(dpc, (_, _, _, _) => dpcAt[0] = KeQueryInterruptTime(), null);
            var start = KeQueryInterruptTime();
            Assert.False(KeSetTimer(timer, new LARGE_INTEGER(-20 * 10_000), dpc));
            var s = KeWaitForSingleObject(timer, Executive, KernelMode, false, null);
            return (s, dpcAt[0], start);
        });

        Assert.Equal(NTSTATUS.STATUS_SUCCESS, status);
        Assert.InRange(dpcTime - setTime, 20UL * 10_000, 21UL * 10_000);
    }

    [Fact]
    public void A_periodic_timer_fires_every_period_until_cancelled()
    {
        using var machine = TestMachines.Boot();
        var fired = machine.Run(() =>
        {
            var timer = new KTIMER();
            KeInitializeTimerEx(timer, SynchronizationTimer);
            var count = new int[1];
            var dpc = new KDPC();
            KeInitializeDpc(dpc, (_, _, _, _) => count[0]++, null);
            KeSetTimerEx(timer, new LARGE_INTEGER(-10 * 10_000), 10, dpc);
            KeDelayExecutionThread(KernelMode, false, new LARGE_INTEGER(-55 * 10_000));
            Assert.True(KeCancelTimer(timer));
            var atCancel = count[0];
            KeDelayExecutionThread(KernelMode, false, new LARGE_INTEGER(-50 * 10_000));
            Assert.False(KeCancelTimer(timer));
            return (atCancel, count[0]);
        });

        Assert.Equal((5, 5), fired);
    }

    [Fact]
    public void KeDelayExecutionThread_advances_the_virtual_clock_and_system_time()
    {
        using var machine = TestMachines.Boot();
        var (interrupt, system) = machine.Run(() =>
        {
            KeQuerySystemTime(out var t0);
            var i0 = KeQueryInterruptTime();
            KeDelayExecutionThread(KernelMode, false, new LARGE_INTEGER(-1000 * 10_000));
            KeQuerySystemTime(out var t1);
            return (KeQueryInterruptTime() - i0, t1.QuadPart - t0.QuadPart);
        });

        Assert.InRange(interrupt, 1000UL * 10_000, 1001UL * 10_000);
        Assert.InRange(system, 1000L * 10_000, 1001L * 10_000);
    }

    [Fact]
    public void A_deterministic_machine_boots_at_a_fixed_system_time()
    {
        using var machine = TestMachines.Boot();
        var time = machine.Run(() =>
        {
            KeQuerySystemTime(out var t);
            return DateTime.FromFileTimeUtc(t.QuadPart);
        });

        Assert.Equal(new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc), time, TimeSpan.FromSeconds(1));
    }

    [Fact]
    public void Parallel_mode_timers_expire_on_real_time()
    {
        using var machine = TestMachines.Boot(processors: 2, mode: SchedulingMode.Parallel);
        var (status, elapsed) = machine.Run(() =>
        {
            var evt = new KEVENT();
            KeInitializeEvent(evt, NotificationEvent, false);
            var timer = new KTIMER();
            KeInitializeTimer(timer);
            var dpc = new KDPC();
            KeInitializeDpc(dpc, (_, _, _, _) => KeSetEvent(evt, IO_NO_INCREMENT, false), null);
            var start = KeQueryInterruptTime();
            KeSetTimer(timer, new LARGE_INTEGER(-20 * 10_000), dpc);
            var s = KeWaitForSingleObject(evt, Executive, KernelMode, false, new LARGE_INTEGER(-5000 * 10_000));
            return (s, KeQueryInterruptTime() - start);
        });

        Assert.Equal(NTSTATUS.STATUS_SUCCESS, status);
        Assert.True(elapsed >= 20UL * 10_000, $"elapsed {elapsed}");
    }

    [Theory]
    [InlineData(1UL)]
    [InlineData(2UL)]
    [InlineData(3UL)]
    public void KeFlushQueuedDpcs_returns_only_after_every_DPC_queued_before_it_has_run(ulong seed)
    {
        using var machine = TestMachines.Boot(processors: 2, seed: seed);
        var (ranBeforeReturn, queued) = machine.Run(() =>
        {
            var ran = 0;
            var dpcs = new List<KDPC>();
            KeRaiseIrql(DISPATCH_LEVEL, out var old);
            for (var i = 0; i < 6; i++)
            {
                var dpc = new KDPC();
                KeInitializeDpc(dpc, (d, c, a1, a2) => Interlocked.Increment(ref ran), null);
                KeSetTargetProcessorDpc(dpc, (byte)(i % 2));
                dpcs.Add(dpc);
                KeInsertQueueDpc(dpc, null, null);
            }

            KeLowerIrql(old);
            KeFlushQueuedDpcs();
            return (Volatile.Read(ref ran), dpcs.Count);
        });

        Assert.Equal(queued, ranBeforeReturn);
    }
}
