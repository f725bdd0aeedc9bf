namespace SharpNT.Kernel.Ke;

/// <summary>Event types (wdm.h EVENT_TYPE).</summary>
public enum EVENT_TYPE
{
    NotificationEvent = 0,
    SynchronizationEvent = 1,
}
