using SharpNT.Kernel.Ex;
using SharpNT.Kernel.Ke;
using SharpNT.Kernel.Vf;
using static SharpNT.Kernel.Ddi.Wdm;

namespace SharpNT.Kernel.Tests.Ex;

/// <summary>
/// Critical and guarded regions, fast mutexes, guarded mutexes and executive resources, against their
/// documented rules: who is granted when, the IRQL each leaves the caller at, and the bug checks.
/// </summary>
public sealed class ExecutiveSyncTests
{
    private const string Driver = "sync.sys";

    private static KTHREAD Start(Machine machine, KSTART_ROUTINE routine, string name = "Worker") =>
        machine.Ke.CreateSystemThread(routine, null, machine.Modules.Kernel, name);

    private static LARGE_INTEGER Ms(long ms) => new(-ms * 10_000);

    private static void Join(params KTHREAD[] threads)
    {
        foreach (var t in threads)
        {
            KeWaitForSingleObject(t, Executive, KernelMode, false, null);
        }
    }

    private static Machine BootVerified(string flags) =>
        Machine.Boot(MachineDescription.Default with { Processors = 1 }, new MachineOptions { Verifier = VerifierSettings.Parse($"/flags {flags} /driver {Driver}") });

    private static void Log(List<string> log, string entry)
    {
        lock (log)
        {
            log.Add(entry);
        }
    }

    // ---- Critical and guarded regions ------------------------------------------------------------------

    [Fact]
    public void Regions_nest_and_KeAreApcsDisabled_follows_them()
    {
        using var machine = TestMachines.Boot();
        var states = machine.Run(() =>
        {
            var s = new List<(bool, bool)> { (KeAreApcsDisabled(), KeAreAllApcsDisabled()) };
            KeEnterCriticalRegion();
            KeEnterCriticalRegion();
            s.Add((KeAreApcsDisabled(), KeAreAllApcsDisabled()));
            KeLeaveCriticalRegion();
            s.Add((KeAreApcsDisabled(), KeAreAllApcsDisabled()));
            KeLeaveCriticalRegion();
            KeEnterGuardedRegion();
            s.Add((KeAreApcsDisabled(), KeAreAllApcsDisabled()));
            KeLeaveGuardedRegion();
            s.Add((KeAreApcsDisabled(), KeAreAllApcsDisabled()));
            return s;
        });

        Assert.Equal([(false, false), (true, false), (true, false), (true, true), (false, false)], states);
    }

    [Fact]
    public void A_special_kernel_APC_waits_for_the_end_of_a_guarded_region_but_not_of_a_critical_region()
    {
        using var machine = TestMachines.Boot();
        var log = machine.Run(() =>
        {
            var events = new List<string>();
            var thread = KeGetCurrentThread();

            KeEnterCriticalRegion();
            var first = new KAPC();
            machine.Ke.InitializeApc(first, thread, (a, c) => events.Add("apc 1"), null, "First");
            machine.Ke.InsertQueueApc(first);
            events.Add("in critical region");
            KeLeaveCriticalRegion();

            KeEnterGuardedRegion();
            var second = new KAPC();
            machine.Ke.InitializeApc(second, thread, (a, c) => events.Add("apc 2"), null, "Second");
            machine.Ke.InsertQueueApc(second);
            events.Add("in guarded region");
            KeLeaveGuardedRegion();
            events.Add("left");
            return events;
        });

        Assert.Equal(["apc 1", "in critical region", "in guarded region", "apc 2", "left"], log);
    }

    [Fact]
    public void Leaving_a_critical_region_never_entered_is_a_DDI_compliance_violation_under_the_verifier()
    {
        using var machine = BootVerified("0x20000");
        var e = Assert.Throws<BugCheckException>(() => machine.Run(() => TestMachines.AsDriver(machine, Driver, "Work", KeLeaveCriticalRegion)));
        Assert.Equal(BugCheckCode.DRIVER_VERIFIER_DETECTED_VIOLATION, e.Code);
        Assert.Equal(0x40003UL, e.Info.Parameters[0]);
        Assert.Equal(Driver, e.Info.FaultingModule);
    }

    // ---- Fast mutexes ------------------------------------------------------------------------------------

    [Fact]
    public void A_fast_mutex_runs_its_owner_at_APC_LEVEL_and_makes_a_second_thread_wait_for_the_release()
    {
        using var machine = TestMachines.Boot(processors: 2);
        var (log, contention) = machine.Run(() =>
        {
            var events = new List<string>();
            var mutex = new FAST_MUTEX();
            ExInitializeFastMutex(mutex);
            ExAcquireFastMutex(mutex);
            Log(events, $"owner at IRQL {KeGetCurrentIrql()}");
            var other = Start(machine, _ =>
            {
                Assert.False(ExTryToAcquireFastMutex(mutex));
                Log(events, $"try failed at IRQL {KeGetCurrentIrql()}");
                ExAcquireFastMutex(mutex);
                Log(events, "other acquired");
                ExReleaseFastMutex(mutex);
            });
            KeLowerIrql(PASSIVE_LEVEL);
            KeDelayExecutionThread(KernelMode, false, Ms(2));
            KeRaiseIrql(APC_LEVEL, out _);
            Log(events, "owner releases");
            ExReleaseFastMutex(mutex);
            Log(events, $"released, back at IRQL {KeGetCurrentIrql()}");
            Join(other);
            Assert.True(ExTryToAcquireFastMutex(mutex));
            ExReleaseFastMutex(mutex);
            return (events, mutex.Contention);
        });

        Assert.Equal("owner at IRQL 1", log[0]);
        Assert.Equal("try failed at IRQL 0", log[1]);
        Assert.True(log.IndexOf("owner releases") < log.IndexOf("other acquired"), string.Join(" | ", log));
        Assert.Contains("released, back at IRQL 0", log);
        Assert.Equal(1u, contention);
    }

    [Fact]
    public void ExAcquireFastMutex_above_APC_LEVEL_is_0xA_and_under_DDI_compliance_checking_0xC4_0x20005()
    {
        using (var machine = TestMachines.Boot())
        {
            FAST_MUTEX mutex = null!;
            var e = Assert.Throws<BugCheckException>(() => machine.Run(() => TestMachines.AsDriver(machine, Driver, "Work", () =>
            {
                mutex = new FAST_MUTEX();
                ExInitializeFastMutex(mutex);
                KeRaiseIrql(DISPATCH_LEVEL, out _);
                ExAcquireFastMutex(mutex);
            })));
            Assert.Equal(BugCheckCode.IRQL_NOT_LESS_OR_EQUAL, e.Code);
            Assert.Equal(KernelCore.ObjectAddress(mutex), e.Info.Parameters[0]);
            Assert.Equal(2UL, e.Info.Parameters[1]);
            Assert.Equal(machine.Modules.Find(Driver)!.RoutineAddress("Work"), e.Info.Parameters[3]);
        }

        using (var machine = BootVerified("0x20000"))
        {
            var e = Assert.Throws<BugCheckException>(() => machine.Run(() => TestMachines.AsDriver(machine, Driver, "Work", () =>
            {
                var mutex = new FAST_MUTEX();
                ExInitializeFastMutex(mutex);
                KeRaiseIrql(DISPATCH_LEVEL, out _);
                ExTryToAcquireFastMutex(mutex);
            })));
            Assert.Equal(BugCheckCode.DRIVER_VERIFIER_DETECTED_VIOLATION, e.Code);
            Assert.Equal(0x20005UL, e.Info.Parameters[0]);
            Assert.Equal(2UL, e.Info.Parameters[2]);
        }
    }

    [Fact]
    public void Acquiring_a_fast_mutex_twice_is_reported_as_a_self_deadlock_by_deadlock_detection()
    {
        using var machine = BootVerified("0x20");
        FAST_MUTEX mutex = null!;
        var e = Assert.Throws<BugCheckException>(() => machine.Run(() => TestMachines.AsDriver(machine, Driver, "Work", () =>
        {
            mutex = new FAST_MUTEX();
            ExInitializeFastMutex(mutex);
            ExAcquireFastMutex(mutex);
            ExAcquireFastMutex(mutex);
        })));
        Assert.Equal(BugCheckCode.DRIVER_VERIFIER_DETECTED_VIOLATION, e.Code);
        Assert.Equal(new[] { 0x1000UL, KernelCore.ObjectAddress(mutex), 0UL, 0UL }, e.Info.Parameters);
    }

    [Fact]
    public void The_unsafe_fast_mutex_routines_leave_the_IRQL_alone()
    {
        using var machine = TestMachines.Boot();
        var irqls = machine.Run(() =>
        {
            var mutex = new FAST_MUTEX();
            ExInitializeFastMutex(mutex);
            KeEnterCriticalRegion();
            ExAcquireFastMutexUnsafe(mutex);
            var inside = KeGetCurrentIrql();
            var tried = ExTryToAcquireFastMutex(mutex);
            ExReleaseFastMutexUnsafe(mutex);
            KeLeaveCriticalRegion();
            return (inside, tried, KeGetCurrentIrql());
        });

        Assert.Equal((PASSIVE_LEVEL, false, PASSIVE_LEVEL), irqls);
    }

    // ---- Guarded mutexes ---------------------------------------------------------------------------------

    [Fact]
    public void A_guarded_mutex_keeps_its_owner_at_PASSIVE_LEVEL_with_every_APC_held_back_until_the_release()
    {
        using var machine = TestMachines.Boot(processors: 2);
        var log = machine.Run(() =>
        {
            var events = new List<string>();
            var mutex = new KGUARDED_MUTEX();
            KeInitializeGuardedMutex(mutex);
            KeAcquireGuardedMutex(mutex);
            Log(events, $"owner at IRQL {KeGetCurrentIrql()}, all APCs disabled {KeAreAllApcsDisabled()}");
            var apc = new KAPC();
            machine.Ke.InitializeApc(apc, KeGetCurrentThread(), (a, c) => Log(events, "apc"), null, "Held");
            machine.Ke.InsertQueueApc(apc);
            var other = Start(machine, _ =>
            {
                Log(events, $"other tries: {KeTryToAcquireGuardedMutex(mutex)}");
                KeAcquireGuardedMutex(mutex);
                Log(events, "other acquired");
                KeReleaseGuardedMutex(mutex);
            });
            KeDelayExecutionThread(KernelMode, false, Ms(2));
            Log(events, "owner releases");
            KeReleaseGuardedMutex(mutex);
            Log(events, "owner released");
            Join(other);
            Log(events, $"done, all APCs disabled {KeAreAllApcsDisabled()}");
            return events;
        });

        Assert.Equal("owner at IRQL 0, all APCs disabled True", log[0]);
        Assert.Contains("other tries: False", log);
        // The APC waited for the guarded region to end, and ran on the owner before the release returned.
        var release = log.IndexOf("owner releases");
        var apc = log.IndexOf("apc");
        Assert.True(release < apc && apc < log.IndexOf("owner released"), string.Join(" | ", log));
        Assert.True(release < log.IndexOf("other acquired"), string.Join(" | ", log));
        Assert.Equal("done, all APCs disabled False", log[^1]);
    }

    // ---- Executive resources -----------------------------------------------------------------------------

    [Fact]
    public void Sharers_hold_a_resource_together_and_an_exclusive_request_waits_for_the_last_of_them()
    {
        using var machine = TestMachines.Boot(processors: 2);
        var log = machine.Run(() =>
        {
            var events = new List<string>();
            var resource = new ERESOURCE();
            ExInitializeResourceLite(resource);
            KeEnterCriticalRegion();
            Assert.True(ExAcquireResourceSharedLite(resource, true));
            var sharer = Start(machine, _ =>
            {
                KeEnterCriticalRegion();
                Log(events, $"second sharer granted {ExAcquireResourceSharedLite(resource, false)}");
                KeDelayExecutionThread(KernelMode, false, Ms(2));
                Log(events, "second sharer releases");
                ExReleaseResourceLite(resource);
                KeLeaveCriticalRegion();
            });
            KeDelayExecutionThread(KernelMode, false, Ms(1));
            var writer = Start(machine, _ =>
            {
                KeEnterCriticalRegion();
                Log(events, $"writer without waiting {ExAcquireResourceExclusiveLite(resource, false)}");
                ExAcquireResourceExclusiveLite(resource, true);
                Log(events, "writer granted");
                ExReleaseResourceLite(resource);
                KeLeaveCriticalRegion();
            });
            KeDelayExecutionThread(KernelMode, false, Ms(1));
            Log(events, $"exclusive waiters {ExGetExclusiveWaiterCount(resource)}");
            Log(events, "first sharer releases");
            ExReleaseResourceLite(resource);
            KeLeaveCriticalRegion();
            Join(sharer, writer);
            Log(events, $"contention {resource.ContentionCount}");
            return events;
        });

        Assert.Contains("second sharer granted True", log);
        Assert.Contains("writer without waiting False", log);
        Assert.Contains("exclusive waiters 1", log);
        Assert.Equal("contention 1", log[^1]);
        var granted = log.IndexOf("writer granted");
        Assert.True(granted > log.IndexOf("first sharer releases") && granted > log.IndexOf("second sharer releases"), string.Join(" | ", log));
    }

    [Fact]
    public void With_an_exclusive_waiter_a_new_sharer_waits_but_an_existing_one_and_StarveExclusive_do_not()
    {
        using var machine = TestMachines.Boot(processors: 2);
        var result = machine.Run(() =>
        {
            var resource = new ERESOURCE();
            ExInitializeResourceLite(resource);
            KeEnterCriticalRegion();
            ExAcquireResourceSharedLite(resource, true);
            var writer = Start(machine, _ =>
            {
                KeEnterCriticalRegion();
                ExAcquireResourceExclusiveLite(resource, true);
                ExReleaseResourceLite(resource);
                KeLeaveCriticalRegion();
            });
            KeDelayExecutionThread(KernelMode, false, Ms(1));
            var answers = new List<string>();
            var newcomer = Start(machine, _ =>
            {
                KeEnterCriticalRegion();
                Log(answers, $"new Lite {ExAcquireResourceSharedLite(resource, false)}");
                Log(answers, $"new WaitForExclusive {ExAcquireSharedWaitForExclusive(resource, false)}");
                var starved = ExAcquireSharedStarveExclusive(resource, false);
                Log(answers, $"new StarveExclusive {starved}");
                if (starved)
                {
                    ExReleaseResourceLite(resource);
                }

                KeLeaveCriticalRegion();
            });
            Join(newcomer);
            Log(answers, $"owner Lite again {ExAcquireResourceSharedLite(resource, false)}");
            Log(answers, $"owner WaitForExclusive again {ExAcquireSharedWaitForExclusive(resource, false)}");
            Log(answers, $"holds {ExIsResourceAcquiredSharedLite(resource)}");
            ExReleaseResourceLite(resource);
            ExReleaseResourceLite(resource);
            KeLeaveCriticalRegion();
            Join(writer);
            return answers;
        });

        Assert.Equal(
        [
            "new Lite False", "new WaitForExclusive False", "new StarveExclusive True",
            "owner Lite again True", "owner WaitForExclusive again False", "holds 2",
        ], result);
    }

    [Fact]
    public void The_exclusive_owner_holds_recursively_and_converting_to_shared_lets_waiting_sharers_in()
    {
        using var machine = TestMachines.Boot(processors: 2);
        var log = machine.Run(() =>
        {
            var events = new List<string>();
            var resource = new ERESOURCE();
            ExInitializeResourceLite(resource);
            ExEnterCriticalRegionAndAcquireResourceExclusive(resource);
            ExAcquireResourceExclusiveLite(resource, true);
            ExAcquireResourceSharedLite(resource, true);
            Log(events, $"exclusive {ExIsResourceAcquiredExclusiveLite(resource)} holds {ExIsResourceAcquiredSharedLite(resource)}");
            var reader = Start(machine, _ =>
            {
                ExEnterCriticalRegionAndAcquireResourceShared(resource);
                Log(events, "reader granted");
                ExReleaseResourceAndLeaveCriticalRegion(resource);
            });
            KeDelayExecutionThread(KernelMode, false, Ms(1));
            Log(events, $"shared waiters {ExGetSharedWaiterCount(resource)}");
            ExConvertExclusiveToSharedLite(resource);
            Log(events, $"converted: exclusive {ExIsResourceAcquiredExclusiveLite(resource)} holds {ExIsResourceAcquiredSharedLite(resource)}");
            Join(reader);
            ExReleaseResourceLite(resource);
            ExReleaseResourceLite(resource);
            ExReleaseResourceAndLeaveCriticalRegion(resource);
            Log(events, $"after: holds {ExIsResourceAcquiredSharedLite(resource)}, APCs disabled {KeAreApcsDisabled()}");
            return events;
        });

        Assert.Equal("exclusive True holds 3", log[0]);
        Assert.Equal("shared waiters 1", log[1]);
        Assert.Equal("converted: exclusive False holds 3", log[2]);
        Assert.Equal("reader granted", log[3]);
        Assert.Equal("after: holds 0, APCs disabled False", log[4]);
    }

    [Fact]
    public void Another_thread_may_release_a_hold_by_its_owner_ERESOURCE_THREAD()
    {
        using var machine = TestMachines.Boot(processors: 2);
        var holds = machine.Run(() =>
        {
            var resource = new ERESOURCE();
            ExInitializeResourceLite(resource);
            ulong owner = 0;
            var holder = Start(machine, _ =>
            {
                KeEnterCriticalRegion();
                ExAcquireResourceExclusiveLite(resource, true);
                owner = ExGetCurrentResourceThread();
                KeLeaveCriticalRegion();
            });
            Join(holder);
            KeEnterCriticalRegion();
            var before = ExAcquireResourceExclusiveLite(resource, false);
            ExReleaseResourceForThreadLite(resource, owner);
            var after = ExAcquireResourceExclusiveLite(resource, false);
            ExReleaseResourceLite(resource);
            KeLeaveCriticalRegion();
            return (before, after);
        });

        Assert.Equal((false, true), holds);
    }

    [Fact]
    public void Releasing_a_resource_the_thread_does_not_hold_is_RESOURCE_NOT_OWNED()
    {
        using var machine = TestMachines.Boot();
        ERESOURCE resource = null!;
        ulong thread = 0;
        var e = Assert.Throws<BugCheckException>(() => machine.Run(() => TestMachines.AsDriver(machine, Driver, "Work", () =>
        {
            resource = new ERESOURCE();
            ExInitializeResourceLite(resource);
            thread = ExGetCurrentResourceThread();
            ExReleaseResourceLite(resource);
        })));
        Assert.Equal(BugCheckCode.RESOURCE_NOT_OWNED, e.Code);
        Assert.Equal(0xE3u, (uint)e.Code);
        Assert.Equal(new[] { KernelCore.ObjectAddress(resource), thread, 0UL, 0UL }, e.Info.Parameters);
        Assert.Equal(Driver, e.Info.FaultingModule);
    }

    [Fact]
    public void ExAcquireResourceExclusiveLite_at_DISPATCH_LEVEL_is_0xC4_0x20007_under_DDI_compliance_checking()
    {
        using var machine = BootVerified("0x20000");
        var e = Assert.Throws<BugCheckException>(() => machine.Run(() => TestMachines.AsDriver(machine, Driver, "Work", () =>
        {
            var resource = new ERESOURCE();
            ExInitializeResourceLite(resource);
            KeRaiseIrql(DISPATCH_LEVEL, out _);
            ExAcquireResourceSharedLite(resource, true);
        })));
        Assert.Equal(BugCheckCode.DRIVER_VERIFIER_DETECTED_VIOLATION, e.Code);
        Assert.Equal(0x20007UL, e.Info.Parameters[0]);
    }

    [Theory]
    [InlineData(1UL)]
    [InlineData(2UL)]
    [InlineData(3UL)]
    [InlineData(4UL)]
    [InlineData(5UL)]
    public void Readers_and_writers_never_overlap_a_writer_over_scheduler_seeds(ulong seed)
    {
        using var machine = TestMachines.Boot(processors: 2, seed: seed);
        var (violations, total) = machine.Run(() =>
        {
            var resource = new ERESOURCE();
            ExInitializeResourceLite(resource);
            var readers = 0;
            var writers = 0;
            var bad = 0;
            var done = 0;
            var threads = Enumerable.Range(0, 6).Select(i => Start(machine, _ =>
            {
                for (var round = 0; round < 5; round++)
                {
                    KeEnterCriticalRegion();
                    if ((i + round) % 3 == 0)
                    {
                        ExAcquireResourceExclusiveLite(resource, true);
                        if (Interlocked.Increment(ref writers) != 1 || Volatile.Read(ref readers) != 0)
                        {
                            Interlocked.Increment(ref bad);
                        }

                        KeDelayExecutionThread(KernelMode, false, Ms(0));
                        Interlocked.Decrement(ref writers);
                    }
                    else
                    {
                        ExAcquireResourceSharedLite(resource, true);
                        Interlocked.Increment(ref readers);
                        if (Volatile.Read(ref writers) != 0)
                        {
                            Interlocked.Increment(ref bad);
                        }

                        KeDelayExecutionThread(KernelMode, false, Ms(0));
                        Interlocked.Decrement(ref readers);
                    }

                    ExReleaseResourceLite(resource);
                    KeLeaveCriticalRegion();
                    Interlocked.Increment(ref done);
                }
            }, $"Worker{i}")).ToArray();
            Join(threads);
            return (bad, done);
        });

        Assert.Equal(0, violations);
        Assert.Equal(30, total);
    }
}
