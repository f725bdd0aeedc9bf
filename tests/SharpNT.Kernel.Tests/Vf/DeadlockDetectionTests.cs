using SharpNT.Kernel.Ke;
using SharpNT.Kernel.Vf;
using static SharpNT.Kernel.Ddi.Wdm;

namespace SharpNT.Kernel.Tests.Vf;

/// <summary>Deadlock detection (0x20): the lock-order graph over spin locks and mutexes of verified drivers.</summary>
public sealed class DeadlockDetectionTests
{
    private const string Driver = "locks.sys";

    private static Machine Boot(string verifier = "/flags 0x20 /driver locks.sys") =>
        Machine.Boot(MachineDescription.Default with { Processors = 1 }, new MachineOptions { Verifier = VerifierSettings.Parse(verifier) });

    private static void AsDriver(Machine machine, Action body) => machine.Run(() => TestMachines.AsDriver(machine, Driver, "LockWork", body));

    private static (KSPIN_LOCK A, KSPIN_LOCK B) TwoLocks()
    {
        var a = new KSPIN_LOCK();
        var b = new KSPIN_LOCK();
        KeInitializeSpinLock(a);
        KeInitializeSpinLock(b);
        return (a, b);
    }

    private static void Nested(KSPIN_LOCK outer, KSPIN_LOCK inner)
    {
        KeAcquireSpinLock(outer, out var old);
        KeAcquireSpinLockAtDpcLevel(inner);
        KeReleaseSpinLockFromDpcLevel(inner);
        KeReleaseSpinLock(outer, old);
    }

    [Fact]
    public void Taking_two_spin_locks_in_both_orders_is_0xC4_subcode_0x1001_naming_the_lock_that_closes_the_cycle()
    {
        using var machine = Boot();
        KSPIN_LOCK a = null!;
        var e = Assert.Throws<BugCheckException>(() => AsDriver(machine, () =>
        {
            (a, var b) = TwoLocks();
            Nested(a, b);
            Nested(b, a);
        }));

        Assert.Equal(BugCheckCode.DRIVER_VERIFIER_DETECTED_VIOLATION, e.Code);
        Assert.Equal(new[] { 0x1001UL, a.Address, 0UL, 0UL }, e.Info.Parameters);
        Assert.Equal(Driver, e.Info.FaultingModule);
    }

    [Fact]
    public void A_consistent_order_passes_and_an_unverified_driver_is_not_checked()
    {
        using (var machine = Boot())
        {
            AsDriver(machine, () =>
            {
                var (a, b) = TwoLocks();
                Nested(a, b);
                Nested(a, b);
            });
            Assert.False(machine.IsHalted);
        }

        using (var machine = Boot("/flags 0x20 /driver other.sys"))
        {
            AsDriver(machine, () =>
            {
                var (a, b) = TwoLocks();
                Nested(a, b);
                Nested(b, a);
            });
            Assert.False(machine.IsHalted);
        }
    }

    [Fact]
    public void A_cycle_through_three_locks_is_found()
    {
        using var machine = Boot();
        var e = Assert.Throws<BugCheckException>(() => AsDriver(machine, () =>
        {
            var (a, b) = TwoLocks();
            var c = new KSPIN_LOCK();
            KeInitializeSpinLock(c);
            Nested(a, b);
            Nested(b, c);
            Nested(c, a);
        }));

        Assert.Equal(0x1001UL, e.Info.Parameters[0]);
    }

    [Fact]
    public void Mutexes_taken_in_both_orders_are_0x1001()
    {
        using var machine = Boot();
        var first = new KMUTEX();
        var e = Assert.Throws<BugCheckException>(() => AsDriver(machine, () =>
        {
            var second = new KMUTEX();
            KeInitializeMutex(first, 0);
            KeInitializeMutex(second, 0);
            void Take(KMUTEX outer, KMUTEX inner)
            {
                KeWaitForSingleObject(outer, Executive, KernelMode, false, null);
                KeWaitForSingleObject(inner, Executive, KernelMode, false, null);

                // A KMUTEX may be taken again by its owner: that is no cycle.
                KeWaitForSingleObject(outer, Executive, KernelMode, false, null);
                KeReleaseMutex(outer, false);
                KeReleaseMutex(inner, false);
                KeReleaseMutex(outer, false);
            }

            Take(first, second);
            Take(second, first);
        }));

        Assert.Equal(BugCheckCode.DRIVER_VERIFIER_DETECTED_VIOLATION, e.Code);
        Assert.Equal(0x1001UL, e.Info.Parameters[0]);
        Assert.Equal(SharpNT.Kernel.Ke.KernelCore.ObjectAddress(first), e.Info.Parameters[1]);
    }

    [Fact]
    public void Releasing_a_raised_spin_lock_under_a_later_one_is_0x1003()
    {
        using var machine = Boot();
        KSPIN_LOCK a = null!, b = null!;
        var e = Assert.Throws<BugCheckException>(() => AsDriver(machine, () =>
        {
            (a, b) = TwoLocks();
            KeAcquireSpinLock(a, out var oldA);
            KeAcquireSpinLock(b, out var oldB);
            KeReleaseSpinLock(a, oldA);
            KeReleaseSpinLock(b, oldB);
        }));

        Assert.Equal(new[] { 0x1003UL, a.Address, b.Address, 0UL }, e.Info.Parameters);
    }

    [Fact]
    public void Acquiring_a_spin_lock_never_initialized_is_0x1002()
    {
        using var machine = Boot();
        var e = Assert.Throws<BugCheckException>(() => AsDriver(machine, () =>
        {
            KeAcquireSpinLock(new KSPIN_LOCK(), out _);
        }));

        Assert.Equal(new[] { 0x1002UL, 0UL, 0UL, 0UL }, e.Info.Parameters);
    }
}
