using SharpNT.Kernel.Io;
using SharpNT.Kernel.Ke;
using static SharpNT.Kernel.Ddi.Wdm;
using static SharpNT.Kernel.NTSTATUS;

namespace SharpNT.Kernel.Tests.Io;

/// <summary>StartIo and device queues, direct I/O reads, cancel routines, remove locks, work items, IRP reuse.</summary>
public sealed class IoDdiTests
{
    private static IO_STATUS_BLOCK NewIosb() => new(ExAllocatePool2(POOL_FLAG_NON_PAGED, 16, PoolTag("Test")));

    [Fact]
    public void StartIo_runs_one_IRP_at_a_time_in_order_at_dispatch_level_with_direct_io_MDLs()
    {
        using var machine = TestMachines.Boot();
        var log = new List<string>();
        var data = machine.Run(() =>
        {
            var driver = new StartIoDriver(log);
            Requester.Load(machine, driver);
            var reads = new List<(KEVENT Event, ulong Buffer)>();
            for (var i = 1; i <= 3; i++)
            {
                var evt = new KEVENT();
                KeInitializeEvent(evt, NotificationEvent, false);
                var buffer = ExAllocatePool2(POOL_FLAG_NON_PAGED, 100, PoolTag("Test"));
                var irp = IoBuildSynchronousFsdRequest(SharpNT.Kernel.Io.IRP_MJ.IRP_MJ_READ, driver.Device, buffer, 100, new LARGE_INTEGER(i), evt, NewIosb());
                Assert.False(irp.MdlAddress == 0);
                Assert.Equal(STATUS_PENDING, IoCallDriver(driver.Device, irp));
                reads.Add((evt, buffer));
            }

            foreach (var r in reads)
            {
                KeWaitForSingleObject(r.Event, Executive, KernelMode, false, null);
            }

            return reads.Select(r => ReadMemory<byte>(r.Buffer + 99)).ToList();
        });

        Assert.Equal([1, 2, 3], data.Select(b => (int)b));
        Assert.Equal(
        [
            "queue 1", "start 1 irql 2 current yes", "queue 2", "queue 3",
            "finish 1", "start 2 irql 2 current yes", "finish 2", "start 3 irql 2 current yes", "finish 3",
        ], log);
    }

    [Fact]
    public void IoCancelIrp_calls_the_cancel_routine_with_the_cancel_lock_held_and_only_once()
    {
        using var machine = TestMachines.Boot();
        var log = new List<string>();
        var (first, second, status) = machine.Run(() =>
        {
            var driver = new StartIoDriver(log);
            Requester.Load(machine, driver);
            var evt = new KEVENT();
            KeInitializeEvent(evt, NotificationEvent, false);
            var iosb = NewIosb();
            var irp = IoBuildDeviceIoControlRequest(CTL_CODE(0x22, 1, 0, 0), driver.Device, 0, 0, 0, 0, false, evt, iosb);
            Assert.Equal(STATUS_PENDING, IoCallDriver(driver.Device, irp));
            var cancelled = IoCancelIrp(irp);
            KeWaitForSingleObject(evt, Executive, KernelMode, false, null);
            return (cancelled, log.Count, iosb.Status);
        });

        Assert.True(first);
        Assert.Equal(1, second);
        Assert.Equal(STATUS_CANCELLED, status);
        Assert.Equal("cancel routine irql 2 cancel True", log[0]);
    }

    [Fact]
    public void IoCancelIrp_without_a_cancel_routine_only_marks_the_IRP()
    {
        using var machine = TestMachines.Boot();
        var (called, cancel) = machine.Run(() =>
        {
            var irp = IoAllocateIrp(1, false);
            var c = IoCancelIrp(irp);
            var r = (c, irp.Cancel);
            IoFreeIrp(irp);
            return r;
        });

        Assert.False(called);
        Assert.True(cancel);
    }

    [Fact]
    public void Completing_an_IRP_whose_cancel_routine_is_still_set_is_CANCEL_STATE_IN_COMPLETED_IRP()
    {
        using var machine = TestMachines.Boot();
        var e = Assert.Throws<BugCheckException>(() => machine.Run(() =>
        {
            var irp = IoAllocateIrp(1, false);
            IoSetCancelRoutine(irp, (d, i) => { });
            IoCompleteRequest(irp, IO_NO_INCREMENT);
        }));

        Assert.Equal(BugCheckCode.CANCEL_STATE_IN_COMPLETED_IRP, e.Code);
        Assert.NotEqual(0UL, e.Info.Parameter2);
    }

    [Fact]
    public void A_remove_lock_refuses_new_holders_once_removal_starts_and_waits_for_the_old_ones()
    {
        using var machine = TestMachines.Boot(processors: 2);
        var log = machine.Run(() =>
        {
            var events = new List<string>();
            var removeLock = new IO_REMOVE_LOCK();
            IoInitializeRemoveLock(removeLock, PoolTag("RmLk"), 0, 0);
            Assert.Equal(STATUS_SUCCESS, IoAcquireRemoveLock(removeLock, null));
            var holder = machine.Ke.CreateSystemThread(_ =>
            {
                Assert.Equal(STATUS_SUCCESS, IoAcquireRemoveLock(removeLock, null));
                KeDelayExecutionThread(KernelMode, false, new LARGE_INTEGER(-5 * 10_000));
                lock (events)
                {
                    events.Add("holder releases");
                }

                IoReleaseRemoveLock(removeLock, null);
            }, null, machine.Modules.Kernel, "Holder");
            KeDelayExecutionThread(KernelMode, false, new LARGE_INTEGER(-10_000));
            IoReleaseRemoveLockAndWait(removeLock, null);
            lock (events)
            {
                events.Add("remover done");
            }

            events.Add($"late acquire {IoAcquireRemoveLock(removeLock, null)}");
            KeWaitForSingleObject(holder, Executive, KernelMode, false, null);
            return events;
        });

        Assert.Equal(["holder releases", "remover done", "late acquire STATUS_DELETE_PENDING"], log);
    }

    [Fact]
    public void A_work_item_runs_at_passive_level_on_a_system_worker_thread_with_its_context()
    {
        using var machine = TestMachines.Boot();
        var (irql, context, thread, current) = machine.Run(() =>
        {
            var log = new List<string>();
            var device = Requester.Load(machine, new LayerDriver("W", null, log) { Behaviour = LayerBehaviour.Complete });
            var done = new KEVENT();
            KeInitializeEvent(done, NotificationEvent, false);
            var seen = new object?[4];
            var item = IoAllocateWorkItem(device);
            KeRaiseIrql(DISPATCH_LEVEL, out var old);
            IoQueueWorkItem(item, (d, ctx) =>
            {
                seen[0] = KeGetCurrentIrql();
                seen[1] = ctx;
                seen[2] = KeGetCurrentThread().ToString();
                KeSetEvent(done, IO_NO_INCREMENT, false);
            }, DelayedWorkQueue, "payload");
            KeLowerIrql(old);
            KeWaitForSingleObject(done, Executive, KernelMode, false, null);
            IoFreeWorkItem(item);
            return ((byte)seen[0]!, (string)seen[1]!, (string)seen[2]!, KeGetCurrentThread().ToString());
        });

        Assert.Equal(PASSIVE_LEVEL, irql);
        Assert.Equal("payload", context);
        Assert.StartsWith("ntoskrnl!ExpWorkerThread", thread, StringComparison.Ordinal);
        Assert.NotEqual(current, thread);
    }

    [Fact]
    public void IoReuseIrp_sends_the_same_IRP_again()
    {
        using var machine = TestMachines.Boot();
        var log = new List<string>();
        var statuses = machine.Run(() =>
        {
            var device = Requester.Load(machine, new LayerDriver("R", null, log) { Behaviour = LayerBehaviour.Complete });
            var irp = IoAllocateIrp(device.StackSize, false);
            var results = new List<NTSTATUS>();
            for (var i = 0; i < 3; i++)
            {
                var sl = IoGetNextIrpStackLocation(irp);
                sl.MajorFunction = SharpNT.Kernel.Io.IRP_MJ.IRP_MJ_DEVICE_CONTROL;
                IoSetCompletionRoutine(irp, (d, x, c) => STATUS_MORE_PROCESSING_REQUIRED, null, true, true, true);
                results.Add(IoCallDriver(device, irp));
                Assert.Equal(irp.StackCount + 1, irp.CurrentLocation);
                IoReuseIrp(irp, STATUS_SUCCESS);
            }

            IoFreeIrp(irp);
            return results;
        });

        Assert.Equal([STATUS_SUCCESS, STATUS_SUCCESS, STATUS_SUCCESS], statuses);
        Assert.Equal(3, log.Count);
    }

    [Fact]
    public void Detaching_takes_a_device_out_of_the_stack_and_attached_references_count()
    {
        using var machine = TestMachines.Boot();
        var log = new List<string>();
        var (before, after) = machine.Run(() =>
        {
            var lower = Requester.Load(machine, new LayerDriver("L", null, log) { Behaviour = LayerBehaviour.Complete });
            var upper = new LayerDriver("U", "L", log);
            Requester.Load(machine, upper);
            var top = IoGetAttachedDeviceReference(lower);
            var b = top == upper.Device;
            ObDereferenceObject(top);
            IoDetachDevice(lower);
            return (b, IoGetAttachedDevice(lower) == lower);
        });

        Assert.True(before);
        Assert.True(after);
    }

    [Fact]
    public void An_asynchronous_FSD_request_is_the_callers_to_free_in_its_completion_routine()
    {
        using var machine = TestMachines.Boot();
        var log = new List<string>();
        var (data, status) = machine.Run(() =>
        {
            var driver = new StartIoDriver(log);
            Requester.Load(machine, driver);
            var done = new KEVENT();
            KeInitializeEvent(done, NotificationEvent, false);
            var buffer = ExAllocatePool2(POOL_FLAG_NON_PAGED, 16, PoolTag("Test"));
            var iosb = NewIosb();
            var irp = IoBuildAsynchronousFsdRequest(SharpNT.Kernel.Io.IRP_MJ.IRP_MJ_READ, driver.Device, buffer, 16, new LARGE_INTEGER(7), iosb);
            var seen = new NTSTATUS[1];
            Assert.Equal(STATUS_SUCCESS, IoSetCompletionRoutineEx(driver.Device, irp, (d, i, c) =>
            {
                seen[0] = i.IoStatus.Status;
                IoFreeMdl(i.MdlAddress);
                i.MdlAddress = 0;
                IoFreeIrp(i);
                KeSetEvent(done, IO_NO_INCREMENT, false);
                return STATUS_MORE_PROCESSING_REQUIRED;
            }, null, true, true, true));
            Assert.Equal(STATUS_PENDING, IoCallDriver(driver.Device, irp));
            KeWaitForSingleObject(done, Executive, KernelMode, false, null);
            return (ReadMemory<byte>(buffer + 15), seen[0]);
        });

        Assert.Equal(7, data);
        Assert.Equal(STATUS_SUCCESS, status);
    }

    [Fact]
    public void IoCsqRemoveIrp_takes_back_the_IRP_its_context_names_unless_it_was_cancelled()
    {
        using var machine = TestMachines.Boot();
        var (removed, again, cancelledGone) = machine.Run(() =>
        {
            var device = Requester.Load(machine, new SharpNT.Drivers.Samples.PendingTimerDriver());
            var extension = IoGetDeviceExtension<SharpNT.Drivers.Samples.PendingTimerDriver.DeviceExtension>(device);
            KeCancelTimer(extension.Timer);
            var irp = IoAllocateIrp(1, false);
            var context = new IO_CSQ_IRP_CONTEXT();
            IoCsqInsertIrp(extension.Csq, irp, context);
            var r = IoCsqRemoveIrp(extension.Csq, context);
            var a = IoCsqRemoveIrp(extension.Csq, context);

            var irp2 = IoAllocateIrp(1, false);
            IoSetCompletionRoutine(irp2, (d, i, c) => STATUS_MORE_PROCESSING_REQUIRED, null, true, true, true);
            IoSetNextIrpStackLocation(irp2);
            var context2 = new IO_CSQ_IRP_CONTEXT();
            IoCsqInsertIrp(extension.Csq, irp2, context2);
            IoCancelIrp(irp2);
            var c = IoCsqRemoveIrp(extension.Csq, context2).IsNull && irp2.IoStatus.Status == STATUS_CANCELLED;
            IoFreeIrp(irp);
            IoFreeIrp(irp2);
            return (r == irp, a.IsNull, c);
        });

        Assert.True(removed);
        Assert.True(again);
        Assert.True(cancelledGone);
    }

    /// <summary>A queue that holds at most one IRP and refuses the next with STATUS_DEVICE_BUSY, as IoCsqInitializeEx allows.</summary>
    private sealed class OneDeepQueue : IO_CSQ
    {
        public List<IRP> Queued { get; } = [];

        public KSPIN_LOCK Lock { get; } = new();

        public List<object?> InsertContexts { get; } = [];
    }

    [Fact]
    public void IoCsqInsertIrpEx_returns_the_queues_refusal_and_leaves_a_refused_IRP_unqueued_and_not_pending()
    {
        using var machine = TestMachines.Boot();
        var result = machine.Run(() =>
        {
            var q = new OneDeepQueue();
            KeInitializeSpinLock(q.Lock);
            Assert.Equal(STATUS_SUCCESS, IoCsqInitializeEx(q,
                (csq, irp, insertContext) =>
                {
                    var queue = (OneDeepQueue)csq;
                    queue.InsertContexts.Add(insertContext);
                    if (queue.Queued.Count > 0)
                    {
                        return STATUS_DEVICE_BUSY;
                    }

                    queue.Queued.Add(irp);
                    return STATUS_SUCCESS;
                },
                (csq, irp) => ((OneDeepQueue)csq).Queued.Remove(irp),
                (csq, irp, peek) => ((OneDeepQueue)csq).Queued.FirstOrDefault(i => i != irp),
                (IO_CSQ csq, out byte irql) => KeAcquireSpinLock(((OneDeepQueue)csq).Lock, out irql),
                (csq, irql) => KeReleaseSpinLock(((OneDeepQueue)csq).Lock, irql),
                (csq, irp) => IoCompleteRequest(irp, IO_NO_INCREMENT)));

            IRP Fresh()
            {
                var irp = IoAllocateIrp(1, false);
                IoSetNextIrpStackLocation(irp);
                return irp;
            }

            bool Pending(IRP irp) => (IoGetCurrentIrpStackLocation(irp).Control & SL_FLAGS.SL_PENDING_RETURNED) != 0;

            var (first, second) = (Fresh(), Fresh());
            var accepted = IoCsqInsertIrpEx(q, first, null, "first");
            var refused = IoCsqInsertIrpEx(q, second, null, "second");
            var state = (accepted, refused, Pending(first), Pending(second), q.Queued.Count, string.Join(",", q.InsertContexts));
            var next = IoCsqRemoveNextIrp(q, null);
            IoFreeIrp(first);
            IoFreeIrp(second);
            return (state, next == first);
        });

        Assert.Equal((STATUS_SUCCESS, STATUS_DEVICE_BUSY, true, false, 1, "first,second"), result.state);
        Assert.True(result.Item2);
    }

    [Fact]
    public void A_device_timer_runs_once_a_second_at_DISPATCH_LEVEL_between_IoStartTimer_and_IoStopTimer_and_goes_with_the_device()
    {
        using var machine = TestMachines.Boot();
        var (ticks, irqls, stoppedTicks, timerBlock, typeField, afterDelete) = machine.Run(() =>
        {
            var device = Requester.Load(machine, new SharpNT.Drivers.Samples.PendingTimerDriver());
            var seen = new List<byte>();
            Assert.Equal(STATUS_SUCCESS, IoInitializeTimer(device, (d, context) =>
            {
                Assert.Equal("ctx", context);
                seen.Add(KeGetCurrentIrql());
            }, "ctx"));
            var block = device.Timer;
            var type = ReadMemory<short>(block);
            KeDelayExecutionThread(KernelMode, false, new LARGE_INTEGER(-2_500 * 10_000L));
            var beforeStart = seen.Count;
            IoStartTimer(device);
            KeDelayExecutionThread(KernelMode, false, new LARGE_INTEGER(-3_500 * 10_000L));
            var running = seen.Count - beforeStart;
            IoStopTimer(device);
            var atStop = seen.Count;
            KeDelayExecutionThread(KernelMode, false, new LARGE_INTEGER(-2_500 * 10_000L));
            var afterStop = seen.Count - atStop;
            IoStartTimer(device);
            IoDeleteDevice(device);
            return (running, seen.Distinct().ToList(), afterStop, block, type, device.Timer);
        });

        Assert.Equal(3, ticks);
        Assert.Equal([DISPATCH_LEVEL], irqls);
        Assert.Equal(0, stoppedTicks);
        Assert.NotEqual(0UL, timerBlock);
        Assert.Equal(IO_TYPE.IO_TYPE_TIMER, typeField);
        Assert.Equal(0UL, afterDelete);
    }
}
