using SharpNT.Kernel.Ke;
using static SharpNT.Kernel.Ddi.Wdm;

namespace SharpNT.Kernel.Tests.Ke;

public sealed class ApcTests
{
    [Fact]
    public void A_kernel_APC_interrupts_a_wait_runs_in_the_target_thread_and_the_wait_goes_on()
    {
        using var machine = TestMachines.Boot(processors: 2);
        var log = machine.Run(() =>
        {
            var events = new List<string>();
            var evt = new KEVENT();
            KeInitializeEvent(evt, NotificationEvent, false);
            var waiter = machine.Ke.CreateSystemThread(_ =>
            {
                var s = KeWaitForSingleObject(evt, Executive, KernelMode, false, null);
                lock (events)
                {
                    events.Add($"wait ended {s}");
                }
            }, null, machine.Modules.Kernel, "Waiter");
            KeDelayExecutionThread(KernelMode, false, new LARGE_INTEGER(-10_000));
            var apc = new KAPC();
            machine.Ke.InitializeApc(apc, waiter, (a, ctx) =>
            {
                lock (events)
                {
                    events.Add($"apc in {(KeGetCurrentThread() == waiter ? "waiter" : "other")} at IRQL {KeGetCurrentIrql()}");
                }
            }, null, "TestApc");
            Assert.True(machine.Ke.InsertQueueApc(apc));
            KeDelayExecutionThread(KernelMode, false, new LARGE_INTEGER(-10_000));
            lock (events)
            {
                events.Add("set");
            }

            KeSetEvent(evt, IO_NO_INCREMENT, false);
            KeWaitForSingleObject(waiter, Executive, KernelMode, false, null);
            return events;
        });

        Assert.Equal(["apc in waiter at IRQL 1", "set", "wait ended STATUS_SUCCESS"], log);
    }

    [Fact]
    public void An_APC_to_the_current_thread_waits_until_the_irql_drops_below_APC_LEVEL()
    {
        using var machine = TestMachines.Boot();
        var log = machine.Run(() =>
        {
            var events = new List<string>();
            var apc = new KAPC();
            machine.Ke.InitializeApc(apc, KeGetCurrentThread(), (a, ctx) => events.Add("apc"), null, "TestApc");
            KeRaiseIrql(APC_LEVEL, out var old);
            machine.Ke.InsertQueueApc(apc);
            events.Add("queued at APC_LEVEL");
            KeLowerIrql(old);
            events.Add("lowered");
            return events;
        });

        Assert.Equal(["queued at APC_LEVEL", "apc", "lowered"], log);
    }

    [Fact]
    public void A_timed_wait_interrupted_by_an_APC_still_times_out_on_time()
    {
        using var machine = TestMachines.Boot(processors: 2);
        var (status, elapsed) = machine.Run(() =>
        {
            var evt = new KEVENT();
            KeInitializeEvent(evt, NotificationEvent, false);
            var result = new (NTSTATUS, ulong)[1];
            var waiter = machine.Ke.CreateSystemThread(_ =>
            {
                var start = KeQueryInterruptTime();
                var s = KeWaitForSingleObject(evt, Executive, KernelMode, false, new LARGE_INTEGER(-10 * 10_000));
                result[0] = (s, KeQueryInterruptTime() - start);
            }, null, machine.Modules.Kernel, "Waiter");
            KeDelayExecutionThread(KernelMode, false, new LARGE_INTEGER(-3 * 10_000));
            var apc = new KAPC();
            machine.Ke.InitializeApc(apc, waiter, (a, ctx) => { }, null, "TestApc");
            machine.Ke.InsertQueueApc(apc);
            KeWaitForSingleObject(waiter, Executive, KernelMode, false, null);
            return result[0];
        });

        Assert.Equal(NTSTATUS.STATUS_TIMEOUT, status);
        Assert.InRange(elapsed, 10UL * 10_000, 11UL * 10_000);
    }
}
