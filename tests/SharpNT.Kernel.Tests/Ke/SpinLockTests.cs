using SharpNT.Kernel.Ke;
using static SharpNT.Kernel.Ddi.Wdm;

namespace SharpNT.Kernel.Tests.Ke;

public sealed class SpinLockTests
{
    [Fact]
    public void KeAcquireSpinLock_raises_to_dispatch_and_release_restores()
    {
        using var machine = TestMachines.Boot();
        var (during, after, old) = machine.Run(() =>
        {
            var spinLock = new KSPIN_LOCK();
            KeInitializeSpinLock(spinLock);
            KeAcquireSpinLock(spinLock, out var oldIrql);
            var d = KeGetCurrentIrql();
            KeReleaseSpinLock(spinLock, oldIrql);
            return (d, KeGetCurrentIrql(), oldIrql);
        });

        Assert.Equal(DISPATCH_LEVEL, during);
        Assert.Equal(PASSIVE_LEVEL, after);
        Assert.Equal(PASSIVE_LEVEL, old);
    }

    [Fact]
    public void KeAcquireSpinLockAtDpcLevel_below_dispatch_is_a_bug_check()
    {
        using var machine = TestMachines.Boot();
        var e = Assert.Throws<BugCheckException>(() => machine.Run(() =>
        {
            var spinLock = new KSPIN_LOCK();
            KeInitializeSpinLock(spinLock);
            KeAcquireSpinLockAtDpcLevel(spinLock);
        }));

        Assert.Equal(BugCheckCode.IRQL_NOT_GREATER_OR_EQUAL, e.Code);
        Assert.Equal(0UL, e.Info.Parameter1);
        Assert.Equal(2UL, e.Info.Parameter2);
    }

    [Fact]
    public void Acquiring_a_lock_the_processor_already_holds_is_SPIN_LOCK_ALREADY_OWNED()
    {
        using var machine = TestMachines.Boot();
        ulong address = 0;
        var e = Assert.Throws<BugCheckException>(() => machine.Run(() =>
        {
            var spinLock = new KSPIN_LOCK();
            KeInitializeSpinLock(spinLock);
            address = spinLock.Address;
            KeAcquireSpinLock(spinLock, out _);
            KeAcquireSpinLockAtDpcLevel(spinLock);
        }));

        Assert.Equal(BugCheckCode.SPIN_LOCK_ALREADY_OWNED, e.Code);
        Assert.Equal(address, e.Info.Parameter1);
    }

    [Fact]
    public void Releasing_a_lock_that_is_not_held_is_SPIN_LOCK_NOT_OWNED()
    {
        using var machine = TestMachines.Boot();
        var e = Assert.Throws<BugCheckException>(() => machine.Run(() =>
        {
            var spinLock = new KSPIN_LOCK();
            KeInitializeSpinLock(spinLock);
            KeRaiseIrql(DISPATCH_LEVEL, out _);
            KeReleaseSpinLockFromDpcLevel(spinLock);
        }));

        Assert.Equal(BugCheckCode.SPIN_LOCK_NOT_OWNED, e.Code);
    }

    [Theory]
    [InlineData(SchedulingMode.Deterministic)]
    [InlineData(SchedulingMode.Parallel)]
    public void A_spin_lock_serialises_threads_on_different_processors(SchedulingMode mode)
    {
        using var machine = TestMachines.Boot(processors: 2, mode: mode);
        var total = machine.Run(() =>
        {
            var spinLock = new KSPIN_LOCK();
            var inner = new KSPIN_LOCK();
            KeInitializeSpinLock(spinLock);
            KeInitializeSpinLock(inner);
            var counter = new int[1];
            var threads = new List<KTHREAD>();
            for (var t = 0; t < 3; t++)
            {
                threads.Add(machine.Ke.CreateSystemThread(_ =>
                {
                    for (var i = 0; i < 200; i++)
                    {
                        KeAcquireSpinLock(spinLock, out var old);

                        // A non-atomic read-modify-write with a scheduling point inside (taking a
                        // second lock lets the other processor run): only the lock keeps it exact.
                        var v = counter[0];
                        KeAcquireSpinLockAtDpcLevel(inner);
                        Thread.SpinWait(20);
                        KeReleaseSpinLockFromDpcLevel(inner);
                        counter[0] = v + 1;
                        KeReleaseSpinLock(spinLock, old);
                        if (i % 16 == 0)
                        {
                            ZwYieldExecution();
                        }
                    }
                }, null, machine.Modules.Kernel, "Worker"));
            }

            foreach (var t in threads)
            {
                Assert.Equal(NTSTATUS.STATUS_SUCCESS, KeWaitForSingleObject(t, Executive, KernelMode, false, null));
            }

            return counter[0];
        });

        Assert.Equal(600, total);
    }
}
