using SharpNT.Kernel.Ex;
using SharpNT.Kernel.Ke;

namespace SharpNT.Kernel.Ddi;

/// <summary>
/// The synchronization DDIs above spin locks and dispatcher objects: critical and guarded regions, fast
/// mutexes, guarded mutexes and executive resources (ERESOURCE).
/// </summary>
public static partial class Wdm
{
    /// <summary>An ERESOURCE_THREAD: the owning thread's KTHREAD address.</summary>
    public static ulong ExGetCurrentResourceThread() => Ke.CurrentThread.Address;

    // ---- Critical and guarded regions ------------------------------------------------------------------

    /// <summary>KeEnterCriticalRegion: IRQL &lt;= APC_LEVEL; normal kernel APCs wait until KeLeaveCriticalRegion.</summary>
    public static void KeEnterCriticalRegion() => Ke.EnterCriticalRegion();

    /// <summary>KeLeaveCriticalRegion: ends one KeEnterCriticalRegion.</summary>
    public static void KeLeaveCriticalRegion() => Ke.LeaveCriticalRegion();

    /// <summary>KeEnterGuardedRegion: IRQL &lt;= APC_LEVEL; every kernel APC waits until KeLeaveGuardedRegion.</summary>
    public static void KeEnterGuardedRegion() => Ke.EnterGuardedRegion();

    /// <summary>KeLeaveGuardedRegion: ends one KeEnterGuardedRegion; held-back special kernel APCs run.</summary>
    public static void KeLeaveGuardedRegion() => Ke.LeaveGuardedRegion();

    /// <summary>KeAreApcsDisabled: TRUE inside a critical or guarded region, or at APC_LEVEL or above.</summary>
    public static bool KeAreApcsDisabled() => Ke.AreApcsDisabled();

    /// <summary>KeAreAllApcsDisabled: TRUE inside a guarded region, or at APC_LEVEL or above.</summary>
    public static bool KeAreAllApcsDisabled() => Ke.AreAllApcsDisabled();

    /// <summary>FsRtlEnterFileSystem: a file system's critical region (KeEnterCriticalRegion).</summary>
    public static void FsRtlEnterFileSystem() => Ke.EnterCriticalRegion();

    /// <summary>FsRtlExitFileSystem: KeLeaveCriticalRegion.</summary>
    public static void FsRtlExitFileSystem() => Ke.LeaveCriticalRegion();

    // ---- Fast mutexes ------------------------------------------------------------------------------------

    /// <summary>ExInitializeFastMutex: IRQL &lt;= DISPATCH_LEVEL; the mutex is free.</summary>
    public static void ExInitializeFastMutex(FAST_MUTEX FastMutex) => ExecutiveSync.InitializeFastMutex(FastMutex);

    /// <summary>ExAcquireFastMutex: IRQL &lt;= APC_LEVEL; raises to APC_LEVEL and waits for the mutex.</summary>
    public static void ExAcquireFastMutex(FAST_MUTEX FastMutex) => CurrentMachine.ExSync.AcquireFastMutex(FastMutex, wait: true);

    /// <summary>ExTryToAcquireFastMutex: as ExAcquireFastMutex, but FALSE at once if another thread owns it.</summary>
    public static bool ExTryToAcquireFastMutex(FAST_MUTEX FastMutex) => CurrentMachine.ExSync.AcquireFastMutex(FastMutex, wait: false);

    /// <summary>ExReleaseFastMutex: at APC_LEVEL; frees the mutex and returns to the IRQL before ExAcquireFastMutex.</summary>
    public static void ExReleaseFastMutex(FAST_MUTEX FastMutex) => CurrentMachine.ExSync.ReleaseFastMutex(FastMutex);

    /// <summary>ExAcquireFastMutexUnsafe: the caller is in a critical region or at APC_LEVEL; the IRQL is not changed.</summary>
    public static void ExAcquireFastMutexUnsafe(FAST_MUTEX FastMutex) => CurrentMachine.ExSync.AcquireFastMutexUnsafe(FastMutex);

    /// <summary>ExReleaseFastMutexUnsafe: frees a mutex taken by ExAcquireFastMutexUnsafe.</summary>
    public static void ExReleaseFastMutexUnsafe(FAST_MUTEX FastMutex) => CurrentMachine.ExSync.ReleaseFastMutexUnsafe(FastMutex);

    // ---- Guarded mutexes ---------------------------------------------------------------------------------

    /// <summary>KeInitializeGuardedMutex: IRQL &lt;= DISPATCH_LEVEL; the mutex is free.</summary>
    public static void KeInitializeGuardedMutex(KGUARDED_MUTEX Mutex) => KernelCore.InitializeGuardedMutex(Mutex);

    /// <summary>KeAcquireGuardedMutex: IRQL &lt;= APC_LEVEL; enters a guarded region and waits for the mutex.</summary>
    public static void KeAcquireGuardedMutex(KGUARDED_MUTEX Mutex) => Ke.AcquireGuardedMutex(Mutex, wait: true, unsafeAcquire: false);

    /// <summary>KeTryToAcquireGuardedMutex: as KeAcquireGuardedMutex, but FALSE at once if another thread owns it.</summary>
    public static bool KeTryToAcquireGuardedMutex(KGUARDED_MUTEX Mutex) => Ke.AcquireGuardedMutex(Mutex, wait: false, unsafeAcquire: false);

    /// <summary>KeReleaseGuardedMutex: frees the mutex and leaves the guarded region.</summary>
    public static void KeReleaseGuardedMutex(KGUARDED_MUTEX Mutex) => Ke.ReleaseGuardedMutex(Mutex, unsafeRelease: false);

    /// <summary>KeAcquireGuardedMutexUnsafe: the caller is already in a guarded region or at APC_LEVEL.</summary>
    public static void KeAcquireGuardedMutexUnsafe(KGUARDED_MUTEX FastMutex) => Ke.AcquireGuardedMutex(FastMutex, wait: true, unsafeAcquire: true);

    /// <summary>KeReleaseGuardedMutexUnsafe: frees a mutex taken by KeAcquireGuardedMutexUnsafe.</summary>
    public static void KeReleaseGuardedMutexUnsafe(KGUARDED_MUTEX FastMutex) => Ke.ReleaseGuardedMutex(FastMutex, unsafeRelease: true);

    // ---- Executive resources -----------------------------------------------------------------------------

    /// <summary>ExInitializeResourceLite: IRQL &lt;= DISPATCH_LEVEL; an unowned resource.</summary>
    public static NTSTATUS ExInitializeResourceLite(ERESOURCE Resource) => ExecutiveSync.InitializeResource(Resource);

    /// <summary>ExReinitializeResourceLite: as if newly initialized.</summary>
    public static NTSTATUS ExReinitializeResourceLite(ERESOURCE Resource) => ExecutiveSync.InitializeResource(Resource);

    /// <summary>ExDeleteResourceLite: IRQL &lt;= DISPATCH_LEVEL; the resource leaves the system's list.</summary>
    public static NTSTATUS ExDeleteResourceLite(ERESOURCE Resource) => ExecutiveSync.DeleteResource(Resource);

    /// <summary>ExAcquireResourceExclusiveLite: IRQL &lt;= APC_LEVEL, normal kernel APCs disabled.</summary>
    public static bool ExAcquireResourceExclusiveLite(ERESOURCE Resource, bool Wait) =>
        CurrentMachine.ExSync.AcquireResourceExclusive(Resource, Wait);

    /// <summary>ExAcquireResourceSharedLite: IRQL &lt;= APC_LEVEL, normal kernel APCs disabled.</summary>
    public static bool ExAcquireResourceSharedLite(ERESOURCE Resource, bool Wait) =>
        CurrentMachine.ExSync.AcquireResourceShared(Resource, Wait, ExecutiveSync.SharedPolicy.Lite);

    /// <summary>ExAcquireSharedStarveExclusive: shared access without waiting behind exclusive waiters.</summary>
    public static bool ExAcquireSharedStarveExclusive(ERESOURCE Resource, bool Wait) =>
        CurrentMachine.ExSync.AcquireResourceShared(Resource, Wait, ExecutiveSync.SharedPolicy.StarveExclusive);

    /// <summary>ExAcquireSharedWaitForExclusive: shared access only after every exclusive waiter has had its turn.</summary>
    public static bool ExAcquireSharedWaitForExclusive(ERESOURCE Resource, bool Wait) =>
        CurrentMachine.ExSync.AcquireResourceShared(Resource, Wait, ExecutiveSync.SharedPolicy.WaitForExclusive);

    /// <summary>ExEnterCriticalRegionAndAcquireResourceExclusive: KeEnterCriticalRegion, then exclusive access.</summary>
    public static ulong ExEnterCriticalRegionAndAcquireResourceExclusive(ERESOURCE Resource)
    {
        Ke.EnterCriticalRegion();
        CurrentMachine.ExSync.AcquireResourceExclusive(Resource, true);
        return 0;
    }

    /// <summary>ExEnterCriticalRegionAndAcquireResourceShared: KeEnterCriticalRegion, then shared access.</summary>
    public static ulong ExEnterCriticalRegionAndAcquireResourceShared(ERESOURCE Resource)
    {
        Ke.EnterCriticalRegion();
        CurrentMachine.ExSync.AcquireResourceShared(Resource, true, ExecutiveSync.SharedPolicy.Lite);
        return 0;
    }

    /// <summary>ExReleaseResourceLite: IRQL &lt;= DISPATCH_LEVEL; one hold of the caller is given up.</summary>
    public static void ExReleaseResourceLite(ERESOURCE Resource) => CurrentMachine.ExSync.ReleaseResource(Resource, Ke.CurrentThread);

    /// <summary>ExReleaseResourceAndLeaveCriticalRegion: ExReleaseResourceLite, then KeLeaveCriticalRegion.</summary>
    public static void ExReleaseResourceAndLeaveCriticalRegion(ERESOURCE Resource)
    {
        CurrentMachine.ExSync.ReleaseResource(Resource, Ke.CurrentThread);
        Ke.LeaveCriticalRegion();
    }

    /// <summary>
    /// ExReleaseResourceForThreadLite: one hold of the thread named by its ERESOURCE_THREAD value is given up;
    /// a thread that holds nothing is RESOURCE_NOT_OWNED (0xE3).
    /// </summary>
    public static void ExReleaseResourceForThreadLite(ERESOURCE Resource, ulong ResourceThreadId)
    {
        var machine = CurrentMachine;
        if (ExecutiveSync.OwnerById(Resource, ResourceThreadId) is { } owner)
        {
            machine.ExSync.ReleaseResource(Resource, owner);
            return;
        }

        machine.BugCheck.Raise(BugCheckCode.RESOURCE_NOT_OWNED, KernelCore.ObjectAddress(Resource), ResourceThreadId, 0, 0);
    }

    /// <summary>ExConvertExclusiveToSharedLite: the caller's exclusive holds become shared ones.</summary>
    public static void ExConvertExclusiveToSharedLite(ERESOURCE Resource) => CurrentMachine.ExSync.ConvertExclusiveToShared(Resource);

    /// <summary>ExIsResourceAcquiredExclusiveLite: whether the caller holds the resource exclusively.</summary>
    public static bool ExIsResourceAcquiredExclusiveLite(ERESOURCE Resource)
    {
        var thread = Ke.CurrentThread;
        lock (Resource.Sync)
        {
            return Resource.ExclusiveOwner == thread;
        }
    }

    /// <summary>ExIsResourceAcquiredSharedLite: how many times the caller holds the resource (shared or exclusive).</summary>
    public static uint ExIsResourceAcquiredSharedLite(ERESOURCE Resource) => ExecutiveSync.HoldsOf(Resource, Ke.CurrentThread);

    /// <summary>ExGetExclusiveWaiterCount: threads waiting for exclusive access.</summary>
    public static uint ExGetExclusiveWaiterCount(ERESOURCE Resource)
    {
        lock (Resource.Sync)
        {
            return (uint)Resource.NumberOfExclusiveWaiters;
        }
    }

    /// <summary>ExGetSharedWaiterCount: threads waiting for shared access.</summary>
    public static uint ExGetSharedWaiterCount(ERESOURCE Resource)
    {
        lock (Resource.Sync)
        {
            return (uint)Resource.NumberOfSharedWaiters;
        }
    }
}
