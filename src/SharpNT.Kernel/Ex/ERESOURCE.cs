using SharpNT.Kernel.Ke;

namespace SharpNT.Kernel.Ex;

/// <summary>
/// An executive resource: a reader/writer lock that one thread holds exclusively or many hold shared, each
/// recursively. Shared waiters block on a semaphore and exclusive waiters on a synchronization event, as
/// NT's ERESOURCE does (SharedWaiters, ExclusiveWaiters); a woken waiter takes its turn again under the
/// resource's lock, so a thread that barges in meanwhile costs the waiter another wait, not the grant.
/// </summary>
public sealed class ERESOURCE
{
    internal Lock Sync { get; } = new();

    internal KTHREAD? ExclusiveOwner { get; set; }

    /// <summary>Recursive exclusive acquisitions of the owner.</summary>
    internal int ExclusiveCount { get; set; }

    /// <summary>The shared owners and how many times each holds the resource (NT's owner table).</summary>
    internal Dictionary<KTHREAD, int> SharedOwners { get; } = [];

    internal KEVENT ExclusiveWaiters { get; } = new();

    internal KSEMAPHORE SharedWaiters { get; } = new();

    internal int NumberOfExclusiveWaiters { get; set; }

    internal int NumberOfSharedWaiters { get; set; }

    /// <summary>Acquisitions that had to wait (ERESOURCE.ContentionCount).</summary>
    public uint ContentionCount { get; internal set; }

    internal bool IsFree => ExclusiveOwner is null && SharedOwners.Count == 0;
}
