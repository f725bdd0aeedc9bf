namespace SharpNT.Kernel.Ke;

/// <summary>Timer types (wdm.h TIMER_TYPE).</summary>
public enum TIMER_TYPE
{
    NotificationTimer = 0,
    SynchronizationTimer = 1,
}
