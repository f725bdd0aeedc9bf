using SharpNT.Kernel.Ke;
using static SharpNT.Kernel.Ddi.Wdm;

namespace SharpNT.Kernel.Tests.Ke;

public sealed class DeterminismTests
{
    /// <summary>
    /// Several threads, DPCs and timers racing for a lock and events; returns the machine's event trace
    /// and the order in which the threads got through.
    /// </summary>
    private static (IReadOnlyList<string> Trace, string Order) Scenario(ulong seed)
    {
        using var machine = TestMachines.Boot(processors: 2, seed: seed, recordEvents: true);
        var order = machine.Run(() =>
        {
            var spinLock = new KSPIN_LOCK();
            KeInitializeSpinLock(spinLock);
            var log = new List<string>();
            var go = new KEVENT();
            KeInitializeEvent(go, NotificationEvent, false);
            var timer = new KTIMER();
            KeInitializeTimer(timer);
            var dpc = new KDPC();
            KeInitializeDpc(dpc, (_, _, _, _) =>
            {
                KeAcquireSpinLockAtDpcLevel(spinLock);
                log.Add("T");
                KeReleaseSpinLockFromDpcLevel(spinLock);
            }, null);
            KeSetTimerEx(timer, new LARGE_INTEGER(-3 * 10_000), 2, dpc);

            var threads = new List<KTHREAD>();
            for (var i = 0; i < 4; i++)
            {
                var name = ((char)('A' + i)).ToString();
                threads.Add(machine.Ke.CreateSystemThread(_ =>
                {
                    KeWaitForSingleObject(go, Executive, KernelMode, false, null);
                    for (var k = 0; k < 5; k++)
                    {
                        KeAcquireSpinLock(spinLock, out var old);
                        log.Add(name);
                        KeReleaseSpinLock(spinLock, old);
                        KeDelayExecutionThread(KernelMode, false, new LARGE_INTEGER(-(1 + k) * 10_000));
                    }
                }, null, machine.Modules.Kernel, "Racer" + name));
            }

            KeSetEvent(go, IO_NO_INCREMENT, false);
            foreach (var t in threads)
            {
                KeWaitForSingleObject(t, Executive, KernelMode, false, null);
            }

            KeCancelTimer(timer);
            return string.Concat(log);
        });

        return (machine.EventTrace, order);
    }

    [Fact]
    public void The_same_seed_gives_the_same_trace_byte_for_byte()
    {
        var first = Scenario(42);
        var second = Scenario(42);

        Assert.True(first.Trace.Count > 100, $"trace has {first.Trace.Count} events");
        Assert.Equal(string.Join('\n', first.Trace), string.Join('\n', second.Trace));
        Assert.Equal(first.Order, second.Order);
        Assert.Equal(20, first.Order.Count(c => c != 'T'));
    }

    [Fact]
    public void Another_seed_gives_another_interleaving()
    {
        var orders = new HashSet<string>();
        for (ulong seed = 1; seed <= 6; seed++)
        {
            orders.Add(Scenario(seed).Order);
        }

        Assert.True(orders.Count > 1, "six seeds all gave the same interleaving");
    }
}
