using SharpNT.Kernel.Ke;

namespace SharpNT.Kernel.Ob;

internal sealed partial class ObjectManager
{
    private readonly object _reaperLock = new();
    private readonly Queue<ObjectHeader> _reaperQueue = new();
    private KEVENT? _reaperEvent;

    /// <summary>Objects waiting for the reaper thread to delete them.</summary>
    internal int PendingDeletions
    {
        get
        {
            lock (_reaperLock)
            {
                return _reaperQueue.Count;
            }
        }
    }

    /// <summary>
    /// ObReferenceObject: one more pointer reference. Referencing an object whose last reference is gone
    /// is REFERENCE_BY_POINTER (the count is illegal for the object's state).
    /// </summary>
    internal void ReferenceObject(object body) => Reference(GetHeader(body));

    internal void Reference(ObjectHeader header)
    {
        if (Interlocked.Increment(ref header.PointerCount) <= 1)
        {
            // Every live object has at least one reference; a count that was zero means it is being deleted.
            Interlocked.Decrement(ref header.PointerCount);
            RaiseReferenceByPointer(header, 0);
        }
    }

    /// <summary>
    /// ObDereferenceObject: one pointer reference fewer; the last one deletes the object (its type's
    /// delete procedure runs), at once below DISPATCH_LEVEL, else on the reaper thread.
    /// </summary>
    internal void DereferenceObject(object body) => Dereference(GetHeader(body));

    /// <summary>ObDereferenceObjectDeferDelete: as ObDereferenceObject, but deletion always goes to the reaper.</summary>
    internal void DereferenceObjectDeferDelete(object body) => Dereference(GetHeader(body), deferDelete: true);

    internal void Dereference(ObjectHeader header, bool deferDelete = false)
    {
        var count = Interlocked.Decrement(ref header.PointerCount);
        if (count > 0)
        {
            return;
        }

        // Handles hold references, so the pointer count reaching zero with handles open is as illegal as
        // going below zero: REFERENCE_BY_POINTER either way.
        if (count < 0 || header.HandleCount != 0)
        {
            RaiseReferenceByPointer(header, count);
        }

        if (deferDelete || CurrentIrql > Irql.APC_LEVEL)
        {
            QueueForReaper(header);
        }
        else
        {
            DeleteObject(header);
        }
    }

    /// <summary>
    /// ObReferenceObjectByPointer: adds a reference after checking the type, which is checked only for
    /// user-mode callers, and always when the type asked for is the symbolic link type (as documented).
    /// </summary>
    internal NTSTATUS ReferenceObjectByPointer(object body, uint desiredAccess, OBJECT_TYPE? objectType, KPROCESSOR_MODE accessMode)
    {
        var header = GetHeader(body);
        if (objectType is not null && header.Type != objectType
            && (accessMode != KPROCESSOR_MODE.KernelMode || objectType == SymbolicLinkType))
        {
            return NTSTATUS.STATUS_OBJECT_TYPE_MISMATCH;
        }

        Reference(header);
        return NTSTATUS.STATUS_SUCCESS;
    }

    /// <summary>
    /// REFERENCE_BY_POINTER (0x18): parameter 1 the object's type, parameter 2 the object; 3 and 4 are
    /// reserved, and here carry the handle count and the pointer count the operation produced.
    /// </summary>
    private void RaiseReferenceByPointer(ObjectHeader header, long count) =>
        _machine.BugCheck.Raise(BugCheckCode.REFERENCE_BY_POINTER, header.Type.Address, header.Address,
            (ulong)header.HandleCount, unchecked((ulong)count));

    /// <summary>ObpRemoveObjectRoutine: the object's last reference went.</summary>
    private void DeleteObject(ObjectHeader header)
    {
        lock (_lock)
        {
            header.Deleted = true;
            header.Type.Objects.Remove(header);
            header.Type.TotalNumberOfObjects--;
        }

        header.Type.DeleteProcedure?.Invoke(header.Body);
    }

    /// <summary>
    /// ObpDeferObjectDeletion: a delete procedure may touch pageable memory and send IRPs, so it does not
    /// run at DISPATCH_LEVEL; the object goes to a queue that a system thread (started on first need)
    /// drains at PASSIVE_LEVEL.
    /// </summary>
    private void QueueForReaper(ObjectHeader header)
    {
        KEVENT reaperEvent;
        var start = false;
        lock (_reaperLock)
        {
            _reaperQueue.Enqueue(header);
            if (_reaperEvent is null)
            {
                _reaperEvent = new KEVENT();
                KernelCore.InitializeEvent(_reaperEvent, EVENT_TYPE.SynchronizationEvent, false);
                start = true;
            }

            reaperEvent = _reaperEvent;
        }

        var ke = _machine.Ke;
        if (start)
        {
            ke.CreateSystemThread(ReaperThread, reaperEvent, _machine.Modules.Kernel, "ObpProcessRemoveObjectQueue");
        }

        ke.SetEvent(reaperEvent);
    }

    private void ReaperThread(object? context)
    {
        var reaperEvent = (KEVENT)context!;
        var ke = _machine.Ke;
        while (true)
        {
            ke.Wait([reaperEvent], WAIT_TYPE.WaitAny, KWAIT_REASON.WrExecutive, KPROCESSOR_MODE.KernelMode,
                alertable: false, timeout: null, waitBlockArray: null);
            while (true)
            {
                ObjectHeader? next;
                lock (_reaperLock)
                {
                    if (!_reaperQueue.TryDequeue(out next))
                    {
                        break;
                    }
                }

                DeleteObject(next);
            }
        }
    }
}
