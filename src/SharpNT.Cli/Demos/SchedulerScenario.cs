using SharpNT.Kernel;
using SharpNT.Kernel.Ke;
using static SharpNT.Kernel.Ddi.Wdm;

namespace SharpNT.Cli.Demos;

/// <summary>
/// Threads, a spin lock, a periodic timer and its DPC on two processors: the seed decides the
/// interleaving, and the same seed prints the same lines.
/// </summary>
internal sealed class SchedulerScenario : Scenario
{
    public override string Name => "scheduler";

    public override string Description => "Three system threads, a spin lock and a periodic timer DPC; the seed decides the interleaving";

    public override void Run(Machine machine, TextWriter output)
    {
        machine.Run(() =>
        {
            var spinLock = new KSPIN_LOCK();
            KeInitializeSpinLock(spinLock);
            var timer = new KTIMER();
            KeInitializeTimerEx(timer, SynchronizationTimer);
            var dpc = new KDPC();
            var ticks = new int[1];
            KeInitializeDpc(dpc, TimerDpc, null);
            KeSetTimerEx(timer, new LARGE_INTEGER(-2 * 10_000), 2, dpc);
            var threads = new List<KTHREAD>();
            foreach (var name in (string[])["A", "B", "C"])
            {
                threads.Add(machine.Ke.CreateSystemThread(_ => Worker(name), null, machine.Modules.Kernel, "Worker" + name));
            }

            foreach (var t in threads)
            {
                KeWaitForSingleObject(t, Executive, KernelMode, false, null);
            }

            KeCancelTimer(timer);
            Print($"done: {ticks[0]} timer DPCs");

            void TimerDpc(KDPC d, object? context, object? a1, object? a2)
            {
                ticks[0]++;
                Print($"  timer DPC #{ticks[0]} at IRQL {KeGetCurrentIrql()}");
            }

            void Worker(string name)
            {
                for (var i = 0; i < 3; i++)
                {
                    KeAcquireSpinLock(spinLock, out var old);
                    Print($"  thread {name} holds the lock (round {i + 1})");
                    KeReleaseSpinLock(spinLock, old);
                    KeDelayExecutionThread(KernelMode, false, new LARGE_INTEGER(-(i + 1) * 10_000));
                }
            }

            void Print(string text)
            {
                var ms = KeQueryInterruptTime() / 10_000.0;
                lock (output)
                {
                    output.WriteLine($"[{ms,8:F3} ms] cpu{KeGetCurrentProcessorNumber()} {text}");
                }
            }
        });
    }
}
