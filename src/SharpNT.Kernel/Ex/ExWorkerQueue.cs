using SharpNT.Kernel.Ke;
using SharpNT.Kernel.Mm;

namespace SharpNT.Kernel.Ex;

/// <summary>
/// The system worker threads (ExQueueWorkItem's queue): a few system threads that run queued work at
/// PASSIVE_LEVEL, started the first time work is queued.
/// </summary>
internal sealed class ExWorkerQueue
{
    private const int WorkerCount = 2;

    private readonly Machine _machine;
    private readonly Queue<(LoadedModule Module, ulong Address, string Name, Action Work)> _queue = new();
    private readonly KSEMAPHORE _pending = new();
    private bool _started;

    internal ExWorkerQueue(Machine machine)
    {
        _machine = machine;
        KernelCore.InitializeSemaphore(_pending, 0, int.MaxValue);
    }

    /// <summary>Queues work; callable at IRQL &lt;= DISPATCH_LEVEL.</summary>
    internal void QueueWork(LoadedModule module, ulong address, string name, Action work)
    {
        var start = false;
        lock (_queue)
        {
            _queue.Enqueue((module, address, name, work));
            if (!_started)
            {
                _started = true;
                start = true;
            }
        }

        if (start)
        {
            for (var i = 0; i < WorkerCount; i++)
            {
                _machine.Ke.CreateSystemThread(_ => WorkerLoop(), null, _machine.Modules.Kernel, "ExpWorkerThread");
            }
        }

        _machine.Ke.ReleaseSemaphore(_pending, 1);
    }

    private void WorkerLoop()
    {
        var ke = _machine.Ke;
        var thread = ke.CurrentThread;
        ReadOnlySpan<DispatcherObject> wait = [_pending];
        while (true)
        {
            ke.Wait(wait, WAIT_TYPE.WaitAny, KWAIT_REASON.WrExecutive, KPROCESSOR_MODE.KernelMode, false, null, null);
            (LoadedModule Module, ulong Address, string Name, Action Work) item;
            lock (_queue)
            {
                if (!_queue.TryDequeue(out item))
                {
                    continue;
                }
            }

            thread.PushFrame(new CallFrame(item.Module, item.Address, item.Name));
            try
            {
                item.Work();
            }
            finally
            {
                thread.PopFrame();
            }

            var irql = thread.Processor!.Irql;
            if (irql != Irql.PASSIVE_LEVEL)
            {
                // WORKER_THREAD_RETURNED_AT_BAD_IRQL: (routine, IRQL, work item parameter, work item).
                _machine.BugCheck.Raise(BugCheckCode.WORKER_THREAD_RETURNED_AT_BAD_IRQL, item.Address, irql, 0, 0);
            }
        }
    }
}
