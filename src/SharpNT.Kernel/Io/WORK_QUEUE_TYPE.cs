namespace SharpNT.Kernel.Io;

/// <summary>WORK_QUEUE_TYPE: which system worker queue runs a work item.</summary>
public enum WORK_QUEUE_TYPE
{
    CriticalWorkQueue = 0,
    DelayedWorkQueue = 1,
    HyperCriticalWorkQueue = 2,
}
