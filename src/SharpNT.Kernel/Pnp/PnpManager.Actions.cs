using SharpNT.Kernel.Ke;

namespace SharpNT.Kernel.Pnp;

internal sealed partial class PnpManager
{
    private readonly Queue<Action> _actions = new();
    private readonly KEVENT _idle = new();
    private bool _workerRunning;

    /// <summary>
    /// PipRequestDeviceAction: queues an action on the PnP manager's worker; callable at IRQL &lt;= DISPATCH_LEVEL
    /// (IoInvalidateDeviceRelations is). Actions run one at a time, in order, at PASSIVE_LEVEL.
    /// </summary>
    internal void RequestDeviceAction(DEVICE_NODE node, PnpDeviceAction action) => QueueWork(action switch
    {
        PnpDeviceAction.Enumerate => () => EnumerateDevice(node),
        PnpDeviceAction.QueryRemoveAndRemove => () => QueryRemoveAndRemoveDevice(node),
        _ => CompletePendingRemovals,
    });

    private void QueueWork(Action work)
    {
        var start = false;
        lock (_lock)
        {
            _actions.Enqueue(work);
            if (!_workerRunning)
            {
                _workerRunning = true;
                start = true;
            }
        }

        if (start)
        {
            var kernel = _machine.Modules.Kernel;
            _machine.Ex.QueueWork(kernel, kernel.RoutineAddress("PipDeviceActionWorker"), "PipDeviceActionWorker", DeviceActionWorker);
        }
    }

    private bool Busy
    {
        get
        {
            lock (_lock)
            {
                return _workerRunning || _actions.Count > 0;
            }
        }
    }

    private void DeviceActionWorker()
    {
        while (true)
        {
            Action? work;
            lock (_lock)
            {
                if (!_actions.TryDequeue(out work))
                {
                    _workerRunning = false;
                }
            }

            if (work is null)
            {
                _machine.Ke.SetEvent(_idle);
                return;
            }

            work();
        }
    }

    /// <summary>
    /// PpSynchronizeDeviceEventQueue: waits (PASSIVE_LEVEL) until every queued device action has run, including
    /// the actions those actions queued (enumerating a started bus enumerates its children).
    /// </summary>
    internal void SynchronizeDeviceEventQueue()
    {
        ReadOnlySpan<DispatcherObject> wait = [_idle];
        while (Busy)
        {
            _machine.Ke.Wait(wait, WAIT_TYPE.WaitAny, KWAIT_REASON.Executive, KPROCESSOR_MODE.KernelMode, false, null, null);
            if (!Busy)
            {
                return;
            }

            _machine.Ke.ResetEvent(_idle);
        }
    }
}
