namespace SharpNT.Kernel.Ke;

/// <summary>A counting semaphore: signaled while its count is above zero; each satisfied wait takes one.</summary>
public sealed class KSEMAPHORE : DispatcherObject
{
    public KSEMAPHORE()
        : base(KObjectType.SemaphoreObject)
    {
    }

    internal int Limit { get; set; }

    internal override void Consume(KTHREAD thread) => SignalState--;
}
