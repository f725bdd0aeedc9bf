namespace SharpNT.Kernel.Ke;

internal sealed partial class KernelCore
{
    internal static void InitializeSpinLock(KSPIN_LOCK spinLock)
    {
        spinLock.Owner = null;
        if (spinLock.Address == 0)
        {
            spinLock.Address = 0xFFFFFA80_00000000UL | ((ulong)(uint)System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(spinLock) << 3);
        }
    }

    /// <summary>KeAcquireSpinLock: IRQL &lt;= DISPATCH_LEVEL; raises to DISPATCH_LEVEL and takes the lock.</summary>
    internal byte AcquireSpinLock(KTHREAD thread, KSPIN_LOCK spinLock)
    {
        var prcb = thread.Processor!;
        var old = prcb.Irql;
        if (old > Irql.DISPATCH_LEVEL)
        {
            _machine.BugCheck.Raise(BugCheckCode.IRQL_NOT_LESS_OR_EQUAL, spinLock.Address, old, 1,
                thread.InnermostFrame()?.Address ?? 0);
        }

        if (old < Irql.DISPATCH_LEVEL && _machine.Options.Verifier.Flags != 0)
        {
            ForceIrqlChecking();
        }

        prcb.Irql = Irql.DISPATCH_LEVEL;
        if (_machine.Events.Enabled)
        {
            _machine.Events.OnIrqlChanged(prcb, Irql.DISPATCH_LEVEL);
        }

        AcquireAtDpcLevel(thread, prcb, spinLock);
        return old;
    }

    /// <summary>KeReleaseSpinLock: releases the lock and lowers the IRQL to the value the acquire returned.</summary>
    internal void ReleaseSpinLock(KTHREAD thread, KSPIN_LOCK spinLock, byte newIrql)
    {
        var prcb = thread.Processor!;
        if (_machine.Options.Verifier.Flags != 0)
        {
            VerifierLockReleased(thread, spinLock.Address, restoresIrql: true);
        }

        ReleaseFromDpcLevel(prcb, spinLock);

        // The common case inline: back to the IRQL of the acquire with no DPC, device interrupt or kernel APC
        // (queued by another processor's completion meanwhile) waiting for the IRQL to drop.
        if (newIrql < Irql.DISPATCH_LEVEL && prcb.Irql == Irql.DISPATCH_LEVEL && prcb.DpcQueueDepth == 0 && !_machine.Events.Enabled
            && _machine.Hal.Interrupts.PendingIrql == 0 && thread.KernelApcQueue.Count == 0)
        {
            prcb.Irql = newIrql;
            return;
        }

        LowerIrql(newIrql);
    }

    /// <summary>KeAcquireSpinLockAtDpcLevel: the caller must already run at IRQL >= DISPATCH_LEVEL.</summary>
    internal void AcquireSpinLockAtDpcLevel(KSPIN_LOCK spinLock)
    {
        var prcb = CurrentPrcb;
        if (prcb.Irql < Irql.DISPATCH_LEVEL)
        {
            _machine.BugCheck.Raise(BugCheckCode.IRQL_NOT_GREATER_OR_EQUAL, prcb.Irql, Irql.DISPATCH_LEVEL, spinLock.Address, 0);
        }

        AcquireAtDpcLevel(KTHREAD.Current!, prcb, spinLock);
    }

    /// <summary>KeReleaseSpinLockFromDpcLevel: releases without changing the IRQL.</summary>
    internal void ReleaseSpinLockFromDpcLevel(KSPIN_LOCK spinLock)
    {
        var prcb = CurrentPrcb;
        if (prcb.Irql < Irql.DISPATCH_LEVEL)
        {
            _machine.BugCheck.Raise(BugCheckCode.IRQL_NOT_GREATER_OR_EQUAL, prcb.Irql, Irql.DISPATCH_LEVEL, spinLock.Address, 0);
        }

        if (_machine.Options.Verifier.Flags != 0)
        {
            VerifierLockReleased(KTHREAD.Current!, spinLock.Address, restoresIrql: false);
        }

        ReleaseFromDpcLevel(prcb, spinLock);
    }

    private void AcquireAtDpcLevel(KTHREAD thread, KPRCB prcb, KSPIN_LOCK spinLock)
    {
        if (_machine.Options.Verifier.Flags != 0)
        {
            VerifierLockAcquiring(thread, spinLock.Address, recursive: false);
        }

        // Another processor may get there first: in deterministic mode the seed decides.
        Scheduler.SchedulingPoint(thread);
        if (Interlocked.CompareExchange(ref spinLock.Owner, prcb, null) is null)
        {
            if (_machine.Events.Enabled)
            {
                _machine.Events.OnSpinLockAcquired(prcb, spinLock);
            }

            return;
        }

        Contend(prcb, spinLock);
    }

    private void Contend(KPRCB prcb, KSPIN_LOCK spinLock)
    {
        var spin = new SpinWait();
        while (true)
        {
            var owner = Volatile.Read(ref spinLock.Owner);
            if (owner == prcb)
            {
                // This processor holds the lock: it would spin forever.
                _machine.BugCheck.Raise(BugCheckCode.SPIN_LOCK_ALREADY_OWNED, spinLock.Address, 0, 0, 0);
            }

            if (owner is null && Interlocked.CompareExchange(ref spinLock.Owner, prcb, null) is null)
            {
                _machine.Events.OnSpinLockAcquired(prcb, spinLock);
                return;
            }

            var thread = CurrentThread;
            ThrowIfStopping(thread);
            if (Deterministic)
            {
                // The owner runs on another processor; let the scheduler run it (spinning is a
                // scheduling point in the one-at-a-time model).
                Scheduler.Yield(thread);
            }
            else
            {
                spin.SpinOnce(sleep1Threshold: -1);
            }
        }
    }

    private void ReleaseFromDpcLevel(KPRCB prcb, KSPIN_LOCK spinLock)
    {
        if (spinLock.Owner != prcb)
        {
            _machine.BugCheck.Raise(BugCheckCode.SPIN_LOCK_NOT_OWNED, spinLock.Address, 0, 0, 0);
        }

        Volatile.Write(ref spinLock.Owner, null);
        if (_machine.Events.Enabled)
        {
            _machine.Events.OnSpinLockReleased(prcb, spinLock);
        }
    }

    /// <summary>Deadlock detection (0x20): a verified driver is about to take a lock (a spin lock or a mutex).</summary>
    internal void VerifierLockAcquiring(KTHREAD thread, ulong resource, bool recursive)
    {
        if (_machine.Verifier.Applies(thread.InnermostModule(), Vf.VerifierSettings.DeadlockDetection))
        {
            _machine.Verifier.Deadlocks.OnAcquire(thread, resource, recursive);
        }
    }

    /// <summary>Deadlock detection (0x20): a lock is released (forgotten if a verified acquisition recorded it).</summary>
    internal void VerifierLockReleased(KTHREAD thread, ulong resource, bool restoresIrql)
    {
        if ((_machine.Options.Verifier.Flags & Vf.VerifierSettings.DeadlockDetection) != 0)
        {
            _machine.Verifier.Deadlocks.OnRelease(thread, resource, restoresIrql);
        }
    }
}
