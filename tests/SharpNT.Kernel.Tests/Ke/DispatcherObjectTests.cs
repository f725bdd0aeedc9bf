using SharpNT.Kernel.Ke;
using static SharpNT.Kernel.Ddi.Wdm;

namespace SharpNT.Kernel.Tests.Ke;

public sealed class DispatcherObjectTests
{
    private static KTHREAD Start(Machine machine, KSTART_ROUTINE routine) =>
        machine.Ke.CreateSystemThread(routine, null, machine.Modules.Kernel, "TestThread");

    private static LARGE_INTEGER Ms(long ms) => new(-ms * 10_000);

    [Fact]
    public void A_notification_event_releases_every_waiter_and_stays_signaled()
    {
        using var machine = TestMachines.Boot(processors: 2);
        var (woken, state) = machine.Run(() =>
        {
            var evt = new KEVENT();
            KeInitializeEvent(evt, NotificationEvent, false);
            var count = new int[1];
            var threads = Enumerable.Range(0, 3).Select(_ => Start(machine, _ =>
            {
                Assert.Equal(NTSTATUS.STATUS_SUCCESS, KeWaitForSingleObject(evt, Executive, KernelMode, false, null));
                Interlocked.Increment(ref count[0]);
            })).ToList();
            KeDelayExecutionThread(KernelMode, false, Ms(1));
            Assert.Equal(0, count[0]);
            KeSetEvent(evt, IO_NO_INCREMENT, false);
            foreach (var t in threads)
            {
                KeWaitForSingleObject(t, Executive, KernelMode, false, null);
            }

            return (count[0], KeReadStateEvent(evt));
        });

        Assert.Equal(3, woken);
        Assert.Equal(1, state);
    }

    [Fact]
    public void A_synchronization_event_releases_one_waiter_per_set_and_resets()
    {
        using var machine = TestMachines.Boot();
        var result = machine.Run(() =>
        {
            var evt = new KEVENT();
            KeInitializeEvent(evt, SynchronizationEvent, false);
            var count = new int[1];
            var threads = Enumerable.Range(0, 2).Select(_ => Start(machine, _ =>
            {
                KeWaitForSingleObject(evt, Executive, KernelMode, false, null);
                Interlocked.Increment(ref count[0]);
            })).ToList();
            KeDelayExecutionThread(KernelMode, false, Ms(1));
            KeSetEvent(evt, IO_NO_INCREMENT, false);
            KeDelayExecutionThread(KernelMode, false, Ms(1));
            var afterOne = count[0];
            var stateAfterOne = KeReadStateEvent(evt);
            KeSetEvent(evt, IO_NO_INCREMENT, false);
            foreach (var t in threads)
            {
                KeWaitForSingleObject(t, Executive, KernelMode, false, null);
            }

            return (afterOne, stateAfterOne, count[0]);
        });

        Assert.Equal((1, 0, 2), result);
    }

    [Fact]
    public void A_wait_with_a_timeout_returns_STATUS_TIMEOUT_after_that_much_virtual_time()
    {
        using var machine = TestMachines.Boot();
        var (status, elapsed) = machine.Run(() =>
        {
            var evt = new KEVENT();
            KeInitializeEvent(evt, NotificationEvent, false);
            var start = KeQueryInterruptTime();
            var s = KeWaitForSingleObject(evt, Executive, KernelMode, false, Ms(50));
            return (s, KeQueryInterruptTime() - start);
        });

        Assert.Equal(NTSTATUS.STATUS_TIMEOUT, status);
        Assert.InRange(elapsed, 50UL * 10_000, 51UL * 10_000);
    }

    [Fact]
    public void A_zero_timeout_polls_and_is_allowed_at_dispatch_level()
    {
        using var machine = TestMachines.Boot();
        var statuses = machine.Run(() =>
        {
            var evt = new KEVENT();
            KeInitializeEvent(evt, NotificationEvent, false);
            KeRaiseIrql(DISPATCH_LEVEL, out var old);
            var first = KeWaitForSingleObject(evt, Executive, KernelMode, false, new LARGE_INTEGER(0));
            KeSetEvent(evt, IO_NO_INCREMENT, false);
            var second = KeWaitForSingleObject(evt, Executive, KernelMode, false, new LARGE_INTEGER(0));
            KeLowerIrql(old);
            return (first, second);
        });

        Assert.Equal((NTSTATUS.STATUS_TIMEOUT, NTSTATUS.STATUS_SUCCESS), statuses);
    }

    [Fact]
    public void Waiting_at_dispatch_level_with_a_timeout_is_IRQL_NOT_LESS_OR_EQUAL()
    {
        using var machine = TestMachines.Boot();
        var e = Assert.Throws<BugCheckException>(() => machine.Run(() =>
        {
            var evt = new KEVENT();
            KeInitializeEvent(evt, NotificationEvent, false);
            KeRaiseIrql(DISPATCH_LEVEL, out _);
            KeWaitForSingleObject(evt, Executive, KernelMode, false, Ms(1));
        }));

        Assert.Equal(BugCheckCode.IRQL_NOT_LESS_OR_EQUAL, e.Code);
        Assert.Equal(2UL, e.Info.Parameter2);
    }

    [Fact]
    public void Waiting_inside_a_DPC_is_ATTEMPTED_SWITCH_FROM_DPC()
    {
        using var machine = TestMachines.Boot();
        var e = Assert.Throws<BugCheckException>(() => machine.Run(() =>
        {
            var evt = new KEVENT();
            KeInitializeEvent(evt, NotificationEvent, false);
            var dpc = new KDPC();
            KeInitializeDpc(dpc, (_, _, _, _) => KeWaitForSingleObject(evt, Executive, KernelMode, false, null), null);
            KeInsertQueueDpc(dpc, null, null);
        }));

        Assert.Equal(BugCheckCode.ATTEMPTED_SWITCH_FROM_DPC, e.Code);
        Assert.NotEqual(0UL, e.Info.Parameter1);
    }

    [Fact]
    public void A_semaphore_counts_and_refuses_to_pass_its_limit()
    {
        using var machine = TestMachines.Boot();
        var (previous, afterWaits, limitStatus) = machine.Run(() =>
        {
            var sem = new KSEMAPHORE();
            KeInitializeSemaphore(sem, 0, 2);
            var prev = KeReleaseSemaphore(sem, IO_NO_INCREMENT, 2, false);
            KeWaitForSingleObject(sem, Executive, KernelMode, false, null);
            KeWaitForSingleObject(sem, Executive, KernelMode, false, null);
            var state = KeReadStateSemaphore(sem);
            var third = KeWaitForSingleObject(sem, Executive, KernelMode, false, new LARGE_INTEGER(0));
            Assert.Equal(NTSTATUS.STATUS_TIMEOUT, third);
            var ex = Assert.Throws<NtException>(() => KeReleaseSemaphore(sem, IO_NO_INCREMENT, 3, false));
            return (prev, state, ex.Status);
        });

        Assert.Equal(0, previous);
        Assert.Equal(0, afterWaits);
        Assert.Equal(NTSTATUS.STATUS_SEMAPHORE_LIMIT_EXCEEDED, limitStatus);
    }

    [Fact]
    public void A_mutex_is_recursive_for_its_owner_and_exclusive_for_others()
    {
        using var machine = TestMachines.Boot(processors: 2);
        var log = machine.Run(() =>
        {
            var mutex = new KMUTEX();
            KeInitializeMutex(mutex, 0);
            var events = new List<string>();
            KeWaitForMutexObject(mutex, Executive, KernelMode, false, null);
            KeWaitForMutexObject(mutex, Executive, KernelMode, false, null);
            var other = Start(machine, _ =>
            {
                var s = KeWaitForSingleObject(mutex, Executive, KernelMode, false, null);
                lock (events)
                {
                    events.Add($"other got it {s}");
                }

                KeReleaseMutex(mutex, false);
            });
            KeDelayExecutionThread(KernelMode, false, Ms(5));
            lock (events)
            {
                events.Add("release 1");
            }

            KeReleaseMutex(mutex, false);
            KeDelayExecutionThread(KernelMode, false, Ms(5));
            lock (events)
            {
                events.Add("release 2");
            }

            KeReleaseMutex(mutex, false);
            KeWaitForSingleObject(other, Executive, KernelMode, false, null);
            return events;
        });

        Assert.Equal(["release 1", "release 2", "other got it STATUS_SUCCESS"], log);
    }

    [Fact]
    public void Releasing_a_mutex_one_does_not_own_is_THREAD_NOT_MUTEX_OWNER()
    {
        using var machine = TestMachines.Boot();
        var e = Assert.Throws<BugCheckException>(() => machine.Run(() =>
        {
            var mutex = new KMUTEX();
            KeInitializeMutex(mutex, 0);
            KeReleaseMutex(mutex, false);
        }));

        Assert.Equal(BugCheckCode.THREAD_NOT_MUTEX_OWNER, e.Code);
    }

    [Fact]
    public void A_mutex_whose_owner_ends_is_abandoned()
    {
        using var machine = TestMachines.Boot();
        var status = machine.Run(() =>
        {
            var mutex = new KMUTEX();
            KeInitializeMutex(mutex, 0);
            var owner = Start(machine, _ => KeWaitForSingleObject(mutex, Executive, KernelMode, false, null));
            KeWaitForSingleObject(owner, Executive, KernelMode, false, null);
            var s = KeWaitForSingleObject(mutex, Executive, KernelMode, false, null);
            KeReleaseMutex(mutex, false);
            return s;
        });

        Assert.Equal(KernelCore.STATUS_ABANDONED_WAIT_0, status);
    }

    [Fact]
    public void WaitAny_returns_the_index_of_the_signaled_object_and_WaitAll_needs_all()
    {
        using var machine = TestMachines.Boot();
        var (any, allBefore, all) = machine.Run(() =>
        {
            var a = new KEVENT();
            var b = new KEVENT();
            KeInitializeEvent(a, NotificationEvent, false);
            KeInitializeEvent(b, NotificationEvent, false);
            DispatcherObject[] objects = [a, b];
            KeSetEvent(b, IO_NO_INCREMENT, false);
            var s1 = KeWaitForMultipleObjects(2, objects, WaitAny, Executive, KernelMode, false, null, null);
            var s2 = KeWaitForMultipleObjects(2, objects, WaitAll, Executive, KernelMode, false, new LARGE_INTEGER(0), null);
            Start(machine, _ => KeSetEvent(a, IO_NO_INCREMENT, false));
            var s3 = KeWaitForMultipleObjects(2, objects, WaitAll, Executive, KernelMode, false, Ms(100), null);
            return (s1, s2, s3);
        });

        Assert.Equal(NTSTATUS.STATUS_WAIT_1, any);
        Assert.Equal(NTSTATUS.STATUS_TIMEOUT, allBefore);
        Assert.Equal(KernelCore.STATUS_WAIT_0, all);
    }

    [Fact]
    public void More_than_THREAD_WAIT_OBJECTS_without_a_wait_block_array_is_a_bug_check()
    {
        using var machine = TestMachines.Boot();
        var e = Assert.Throws<BugCheckException>(() => machine.Run(() =>
        {
            var objects = Enumerable.Range(0, 4).Select(_ =>
            {
                var ev = new KEVENT();
                KeInitializeEvent(ev, NotificationEvent, true);
                return (DispatcherObject)ev;
            }).ToArray();
            KeWaitForMultipleObjects(4, objects, WaitAll, Executive, KernelMode, false, null, null);
        }));

        Assert.Equal(BugCheckCode.MAXIMUM_WAIT_OBJECTS_EXCEEDED, e.Code);
    }

    [Fact]
    public void A_wait_block_array_allows_many_objects()
    {
        using var machine = TestMachines.Boot();
        var status = machine.Run(() =>
        {
            var objects = Enumerable.Range(0, 10).Select(_ =>
            {
                var ev = new KEVENT();
                KeInitializeEvent(ev, NotificationEvent, true);
                return (DispatcherObject)ev;
            }).ToArray();
            var blocks = Enumerable.Range(0, 10).Select(_ => new KWAIT_BLOCK()).ToArray();
            return KeWaitForMultipleObjects(10, objects, WaitAll, Executive, KernelMode, false, null, blocks);
        });

        Assert.Equal(NTSTATUS.STATUS_SUCCESS, status);
    }

    [Fact]
    public void A_machine_whose_threads_all_wait_forever_reports_a_hang_to_the_host()
    {
        using var machine = TestMachines.Boot();
        Assert.Throws<MachineHungException>(() => machine.Run(() =>
        {
            var evt = new KEVENT();
            KeInitializeEvent(evt, NotificationEvent, false);
            KeWaitForSingleObject(evt, Executive, KernelMode, false, null);
        }));
    }
}
