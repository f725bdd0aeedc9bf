using SharpNT.Kernel.Ke;

namespace SharpNT.Kernel.Io;

internal sealed partial class IoManager
{
    /// <summary>IoInitializeRemoveLock: IRQL PASSIVE_LEVEL.</summary>
    internal static void InitializeRemoveLock(IO_REMOVE_LOCK removeLock, uint allocateTag)
    {
        removeLock.Removed = false;
        removeLock.IoCount = 1;
        removeLock.AllocateTag = allocateTag;
        KernelCore.InitializeEvent(removeLock.RemoveEvent, EVENT_TYPE.NotificationEvent, false);
    }

    /// <summary>
    /// IoAcquireRemoveLock: IRQL &lt;= DISPATCH_LEVEL. STATUS_SUCCESS, or STATUS_DELETE_PENDING once
    /// removal has begun (the caller must then fail the IRP).
    /// </summary>
    internal NTSTATUS AcquireRemoveLock(IO_REMOVE_LOCK removeLock)
    {
        Interlocked.Increment(ref removeLock.IoCount);
        if (Volatile.Read(ref removeLock.Removed))
        {
            ReleaseRemoveLock(removeLock);
            return NTSTATUS.STATUS_DELETE_PENDING;
        }

        return NTSTATUS.STATUS_SUCCESS;
    }

    /// <summary>IoReleaseRemoveLock: IRQL &lt;= DISPATCH_LEVEL; the last release after removal wakes the remover.</summary>
    internal void ReleaseRemoveLock(IO_REMOVE_LOCK removeLock)
    {
        var count = Interlocked.Decrement(ref removeLock.IoCount);
        if (count == 0)
        {
            _machine.Ke.SetEvent(removeLock.RemoveEvent);
        }
        else if (count < 0)
        {
            // More releases than acquires: the lock is corrupt (the checked I/O manager asserts here).
            _machine.BugCheck.Raise(BugCheckCode.DRIVER_VERIFIER_IOMANAGER_VIOLATION, 0x211, 0, 0, 0);
        }
    }

    /// <summary>
    /// IoReleaseRemoveLockAndWait: IRQL PASSIVE_LEVEL. Marks the lock removed, releases the caller's
    /// acquisition and the bias, and waits until every other holder has released.
    /// </summary>
    internal void ReleaseRemoveLockAndWait(IO_REMOVE_LOCK removeLock)
    {
        Volatile.Write(ref removeLock.Removed, true);
        Interlocked.Decrement(ref removeLock.IoCount);
        ReleaseRemoveLock(removeLock);
        ReadOnlySpan<DispatcherObject> wait = [removeLock.RemoveEvent];
        _machine.Ke.Wait(wait, WAIT_TYPE.WaitAny, KWAIT_REASON.Executive, KPROCESSOR_MODE.KernelMode, false, null, null);
    }
}
