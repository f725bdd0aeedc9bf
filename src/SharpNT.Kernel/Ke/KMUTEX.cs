namespace SharpNT.Kernel.Ke;

/// <summary>
/// A kernel mutex (KMUTANT): owned by one thread, recursively acquirable by its owner; while owned, normal
/// kernel APCs are disabled for the owner, as KeWaitForMutexObject documents.
/// </summary>
public sealed class KMUTEX : DispatcherObject
{
    public KMUTEX()
        : base(KObjectType.MutantObject)
    {
    }

    internal KTHREAD? OwnerThread { get; set; }

    internal bool Abandoned { get; set; }

    internal override bool IsSignaledFor(KTHREAD thread) => SignalState > 0 || OwnerThread == thread;

    internal override void Consume(KTHREAD thread)
    {
        SignalState--;
        if (SignalState == 0)
        {
            OwnerThread = thread;
            thread.KernelApcDisable++;
            thread.OwnedMutexes.Add(this);
        }
    }
}
