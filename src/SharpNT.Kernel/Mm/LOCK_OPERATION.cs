namespace SharpNT.Kernel.Mm;

/// <summary>The access MmProbeAndLockPages probes for (wdm.h LOCK_OPERATION).</summary>
public enum LOCK_OPERATION
{
    IoReadAccess = 0,
    IoWriteAccess = 1,
    IoModifyAccess = 2,
}
