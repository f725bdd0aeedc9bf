using SharpNT.Drivers.Samples;
using SharpNT.Kernel.Io;
using SharpNT.Kernel.Ke;
using static SharpNT.Kernel.Ddi.Wdm;
using static SharpNT.Kernel.NTSTATUS;

namespace SharpNT.Kernel.Tests.Io;

/// <summary>The pending sample: reads wait in a cancel-safe queue until a timer DPC completes them.</summary>
public sealed class PendingTimerTests
{
    private static IRP BuildRead(DEVICE_OBJECT device, KEVENT evt, IO_STATUS_BLOCK iosb, ulong buffer) =>
        IoBuildSynchronousFsdRequest(SharpNT.Kernel.Io.IRP_MJ.IRP_MJ_READ, device, buffer, 1, new LARGE_INTEGER(0), evt, iosb);

    [Fact]
    public void Reads_pend_and_complete_from_the_timer_DPC_in_order()
    {
        using var machine = TestMachines.Boot();
        var results = machine.Run(() =>
        {
            var device = Requester.Load(machine, new PendingTimerDriver());
            var reads = new List<(KEVENT Event, IO_STATUS_BLOCK Iosb, ulong Buffer, NTSTATUS Returned)>();
            for (var i = 0; i < 3; i++)
            {
                var evt = new KEVENT();
                KeInitializeEvent(evt, NotificationEvent, false);
                var iosb = new IO_STATUS_BLOCK(ExAllocatePool2(POOL_FLAG_NON_PAGED, 16, PoolTag("Test")));
                var buffer = ExAllocatePool2(POOL_FLAG_NON_PAGED, 1, PoolTag("Test"));
                var irp = BuildRead(device, evt, iosb, buffer);
                reads.Add((evt, iosb, buffer, IoCallDriver(device, irp)));
            }

            var start = KeQueryInterruptTime();
            return reads.Select(r =>
            {
                KeWaitForSingleObject(r.Event, Executive, KernelMode, false, null);
                return (r.Returned, r.Iosb.Status, ReadMemory<byte>(r.Buffer), Ms: (KeQueryInterruptTime() - start) / 10_000);
            }).ToList();
        });

        Assert.All(results, r => Assert.Equal(STATUS_PENDING, r.Returned));
        Assert.All(results, r => Assert.Equal(STATUS_SUCCESS, r.Status));
        Assert.Equal([0, 1, 2], results.Select(r => (int)r.Item3));
        Assert.True(results[2].Ms >= 2 * PendingTimerDriver.PeriodMs);
    }

    /// <summary>
    /// Cancel against completion, explored over many seeds: whichever wins, each IRP completes exactly
    /// once (cancelled or successful), nothing bug checks, and nothing is left queued.
    /// </summary>
    [Fact]
    public void Cancel_racing_the_timer_completes_every_IRP_exactly_once_across_seeds()
    {
        var outcomes = new HashSet<string>();
        for (ulong seed = 1; seed <= 40; seed++)
        {
            using var machine = TestMachines.Boot(processors: 2, seed: seed);
            var statuses = machine.Run(() =>
            {
                var device = Requester.Load(machine, new PendingTimerDriver());
                var pending = new List<(IRP Irp, KEVENT Event, IO_STATUS_BLOCK Iosb)>();
                for (var i = 0; i < 4; i++)
                {
                    var evt = new KEVENT();
                    KeInitializeEvent(evt, NotificationEvent, false);
                    var iosb = new IO_STATUS_BLOCK(ExAllocatePool2(POOL_FLAG_NON_PAGED, 16, PoolTag("Test")));
                    var irp = BuildRead(device, evt, iosb, ExAllocatePool2(POOL_FLAG_NON_PAGED, 1, PoolTag("Test")));
                    IoCallDriver(device, irp);
                    pending.Add((irp, evt, iosb));
                }

                // A canceller on another thread fires at a seed-chosen moment around the timer's period.
                var canceller = machine.Ke.CreateSystemThread(_ =>
                {
                    KeDelayExecutionThread(KernelMode, false, new LARGE_INTEGER(-(long)(seed % 10) * 5 * 10_000));
                    foreach (var p in pending)
                    {
                        if (KeReadStateEvent(p.Event) == 0)
                        {
                            IoCancelIrp(p.Irp);
                        }
                    }
                }, null, machine.Modules.Kernel, "Canceller");
                foreach (var p in pending)
                {
                    Assert.Equal(STATUS_SUCCESS, KeWaitForSingleObject(p.Event, Executive, KernelMode, false, new LARGE_INTEGER(-1000 * 10_000)));
                }

                KeWaitForSingleObject(canceller, Executive, KernelMode, false, null);
                var extension = IoGetDeviceExtension<PendingTimerDriver.DeviceExtension>(device);
                Assert.Empty(extension.Csq.Pending);
                return pending.Select(p => p.Iosb.Status).ToList();
            });

            Assert.All(statuses, s => Assert.True(s == STATUS_SUCCESS || s == STATUS_CANCELLED, s.ToString()));
            outcomes.Add(string.Join(",", statuses.Select(s => s == STATUS_SUCCESS ? "S" : "C")));
        }

        // The seeds explore different interleavings: some IRPs win the race, some are cancelled.
        Assert.True(outcomes.Count > 1, "every seed gave the same outcome");
    }
}
