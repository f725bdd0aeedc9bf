using SharpNT.Kernel.Ke;

namespace SharpNT.Kernel.Ex;

internal sealed partial class ExecutiveSync
{
    /// <summary>How a shared acquisition treats threads waiting for exclusive access.</summary>
    internal enum SharedPolicy
    {
        /// <summary>ExAcquireResourceSharedLite: a new sharer waits behind exclusive waiters; an existing one does not.</summary>
        Lite,

        /// <summary>ExAcquireSharedStarveExclusive: sharers never wait behind exclusive waiters.</summary>
        StarveExclusive,

        /// <summary>ExAcquireSharedWaitForExclusive: every sharer, even one already sharing, waits behind exclusive waiters.</summary>
        WaitForExclusive,
    }

    /// <summary>ExInitializeResourceLite / ExReinitializeResourceLite: unowned, no waiters.</summary>
    internal static NTSTATUS InitializeResource(ERESOURCE resource)
    {
        lock (resource.Sync)
        {
            resource.ExclusiveOwner = null;
            resource.ExclusiveCount = 0;
            resource.SharedOwners.Clear();
            resource.NumberOfExclusiveWaiters = 0;
            resource.NumberOfSharedWaiters = 0;
            resource.ContentionCount = 0;
            KernelCore.InitializeEvent(resource.ExclusiveWaiters, EVENT_TYPE.SynchronizationEvent, false);
            KernelCore.InitializeSemaphore(resource.SharedWaiters, 0, int.MaxValue);
        }

        return NTSTATUS.STATUS_SUCCESS;
    }

    /// <summary>
    /// ExDeleteResourceLite: on NT it takes the resource off the system's resource list; no such list is kept
    /// here, so there is nothing to undo.
    /// </summary>
    internal static NTSTATUS DeleteResource(ERESOURCE resource) => NTSTATUS.STATUS_SUCCESS;

    /// <summary>
    /// ExAcquireResourceExclusiveLite: IRQL &lt;= APC_LEVEL. Granted at once if the resource is free or the
    /// caller already holds it exclusively (recursively); otherwise the caller waits, or with
    /// <paramref name="wait"/> false gets FALSE. A sharer asking for exclusive access waits for itself, as
    /// the documentation warns.
    /// </summary>
    internal bool AcquireResourceExclusive(ERESOURCE resource, bool wait)
    {
        Ke.CheckIrqlAtMostApcLevel(resource, KernelCore.DdiRuleIrqlExApcLte3);
        var thread = Ke.CurrentThread;
        Ke.VerifierLockAcquiring(thread, KernelCore.ObjectAddress(resource), recursive: true);
        var waiting = false;
        while (true)
        {
            lock (resource.Sync)
            {
                if (resource.ExclusiveOwner == thread || resource.IsFree)
                {
                    resource.ExclusiveOwner = thread;
                    resource.ExclusiveCount++;
                    if (waiting)
                    {
                        resource.NumberOfExclusiveWaiters--;
                    }

                    return true;
                }

                if (!wait)
                {
                    Ke.VerifierLockReleased(thread, KernelCore.ObjectAddress(resource), restoresIrql: false);
                    return false;
                }

                if (!waiting)
                {
                    waiting = true;
                    resource.NumberOfExclusiveWaiters++;
                    resource.ContentionCount++;
                }
            }

            WaitOn(resource.ExclusiveWaiters);
        }
    }

    /// <summary>
    /// ExAcquireResourceSharedLite, ExAcquireSharedStarveExclusive, ExAcquireSharedWaitForExclusive: IRQL &lt;=
    /// APC_LEVEL. A free resource is granted shared; an exclusive owner gets its exclusive hold again; while
    /// another thread holds it exclusively the caller waits; with exclusive waiters, <paramref name="policy"/> decides.
    /// </summary>
    internal bool AcquireResourceShared(ERESOURCE resource, bool wait, SharedPolicy policy)
    {
        Ke.CheckIrqlAtMostApcLevel(resource, KernelCore.DdiRuleIrqlExApcLte3);
        var thread = Ke.CurrentThread;
        var waiting = false;
        while (true)
        {
            lock (resource.Sync)
            {
                if (resource.ExclusiveOwner == thread)
                {
                    // The exclusive owner is granted the same access again; this does not convert it to shared.
                    resource.ExclusiveCount++;
                    EndWait(resource, ref waiting);
                    return true;
                }

                if (resource.ExclusiveOwner is null && SharedGrantable(resource, thread, policy))
                {
                    resource.SharedOwners[thread] = resource.SharedOwners.GetValueOrDefault(thread) + 1;
                    EndWait(resource, ref waiting);
                    return true;
                }

                if (!wait)
                {
                    return false;
                }

                if (!waiting)
                {
                    waiting = true;
                    resource.NumberOfSharedWaiters++;
                    resource.ContentionCount++;
                }
            }

            WaitOn(resource.SharedWaiters);
        }
    }

    private static bool SharedGrantable(ERESOURCE resource, KTHREAD thread, SharedPolicy policy) =>
        resource.SharedOwners.Count == 0 || resource.NumberOfExclusiveWaiters == 0 || policy switch
        {
            SharedPolicy.StarveExclusive => true,
            SharedPolicy.Lite => resource.SharedOwners.ContainsKey(thread),
            _ => false,
        };

    private static void EndWait(ERESOURCE resource, ref bool waiting)
    {
        if (waiting)
        {
            resource.NumberOfSharedWaiters--;
            waiting = false;
        }
    }

    /// <summary>
    /// ExReleaseResourceForThreadLite (ExReleaseResourceLite for the caller): IRQL &lt;= DISPATCH_LEVEL; gives
    /// up one hold of <paramref name="owner"/>. When the resource becomes free, one exclusive waiter is woken,
    /// or, with none, every shared waiter. Releasing a resource the thread does not hold is
    /// RESOURCE_NOT_OWNED (0xE3).
    /// </summary>
    internal void ReleaseResource(ERESOURCE resource, KTHREAD owner)
    {
        var wakeExclusive = false;
        var wakeShared = 0;
        var fullyReleased = false;
        lock (resource.Sync)
        {
            if (resource.ExclusiveOwner == owner)
            {
                if (--resource.ExclusiveCount == 0)
                {
                    resource.ExclusiveOwner = null;
                    fullyReleased = true;
                }
            }
            else if (resource.SharedOwners.TryGetValue(owner, out var holds))
            {
                if (holds > 1)
                {
                    resource.SharedOwners[owner] = holds - 1;
                }
                else
                {
                    resource.SharedOwners.Remove(owner);
                }
            }
            else
            {
                // RESOURCE_NOT_OWNED: the resource, the thread, the owner table (none here), reserved.
                machine.BugCheck.Raise(BugCheckCode.RESOURCE_NOT_OWNED, KernelCore.ObjectAddress(resource), owner.Address, 0, 0);
            }

            if (resource.ExclusiveOwner is null)
            {
                if (resource.IsFree && resource.NumberOfExclusiveWaiters > 0)
                {
                    wakeExclusive = true;
                }
                else if (resource.NumberOfExclusiveWaiters == 0 && resource.NumberOfSharedWaiters > 0)
                {
                    wakeShared = resource.NumberOfSharedWaiters;
                }
            }
        }

        if (fullyReleased)
        {
            Ke.VerifierLockReleased(owner, KernelCore.ObjectAddress(resource), restoresIrql: false);
        }

        Wake(resource, wakeExclusive, wakeShared);
    }

    /// <summary>
    /// ExConvertExclusiveToSharedLite: the exclusive owner keeps its holds as shared ones, and the shared
    /// waiters may then join it unless exclusive waiters come first.
    /// </summary>
    internal void ConvertExclusiveToShared(ERESOURCE resource)
    {
        var thread = Ke.CurrentThread;
        var wakeShared = 0;
        lock (resource.Sync)
        {
            if (resource.ExclusiveOwner != thread)
            {
                machine.BugCheck.Raise(BugCheckCode.RESOURCE_NOT_OWNED, KernelCore.ObjectAddress(resource), thread.Address, 0, 0);
            }

            resource.SharedOwners[thread] = resource.ExclusiveCount;
            resource.ExclusiveOwner = null;
            resource.ExclusiveCount = 0;
            if (resource.NumberOfExclusiveWaiters == 0)
            {
                wakeShared = resource.NumberOfSharedWaiters;
            }
        }

        Ke.VerifierLockReleased(thread, KernelCore.ObjectAddress(resource), restoresIrql: false);
        Wake(resource, false, wakeShared);
    }

    /// <summary>ExIsResourceAcquiredSharedLite: how many holds (shared or exclusive) the caller has.</summary>
    internal static uint HoldsOf(ERESOURCE resource, KTHREAD thread)
    {
        lock (resource.Sync)
        {
            return resource.ExclusiveOwner == thread
                ? (uint)resource.ExclusiveCount
                : (uint)resource.SharedOwners.GetValueOrDefault(thread);
        }
    }

    /// <summary>The thread whose ERESOURCE_THREAD value (its KTHREAD address) is <paramref name="resourceThreadId"/>, holding the resource.</summary>
    internal static KTHREAD? OwnerById(ERESOURCE resource, ulong resourceThreadId)
    {
        lock (resource.Sync)
        {
            if (resource.ExclusiveOwner?.Address == resourceThreadId)
            {
                return resource.ExclusiveOwner;
            }

            foreach (var owner in resource.SharedOwners.Keys)
            {
                if (owner.Address == resourceThreadId)
                {
                    return owner;
                }
            }

            return null;
        }
    }

    private void Wake(ERESOURCE resource, bool exclusive, int shared)
    {
        if (exclusive)
        {
            Ke.SetEvent(resource.ExclusiveWaiters);
        }
        else if (shared > 0)
        {
            Ke.ReleaseSemaphore(resource.SharedWaiters, shared);
        }
    }

    private void WaitOn(DispatcherObject waiters)
    {
        ReadOnlySpan<DispatcherObject> one = [waiters];
        Ke.Wait(one, WAIT_TYPE.WaitAny, KWAIT_REASON.Executive, KPROCESSOR_MODE.KernelMode, false, null, null);
    }
}
