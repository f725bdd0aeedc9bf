namespace SharpNT.Kernel.Ke;

/// <summary>Thread scheduling states (KTHREAD_STATE).</summary>
public enum KTHREAD_STATE
{
    Initialized = 0,
    Ready = 1,
    Running = 2,
    Standby = 3,
    Terminated = 4,
    Waiting = 5,
}
