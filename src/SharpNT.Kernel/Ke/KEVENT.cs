namespace SharpNT.Kernel.Ke;


/// <summary>
/// A kernel event. A notification event stays signaled and releases every waiter; a synchronization event
/// releases one waiter and resets itself.
/// </summary>
public sealed class KEVENT : DispatcherObject
{
    public KEVENT()
        : base(KObjectType.EventNotificationObject)
    {
    }

    internal bool IsSynchronization => Type == KObjectType.EventSynchronizationObject;

    internal override void Consume(KTHREAD thread)
    {
        if (IsSynchronization)
        {
            SignalState = 0;
        }
    }
}
