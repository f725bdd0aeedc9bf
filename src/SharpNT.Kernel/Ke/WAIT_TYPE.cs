namespace SharpNT.Kernel.Ke;

/// <summary>KeWaitForMultipleObjects: wait for all objects or for any one (wdm.h WAIT_TYPE).</summary>
public enum WAIT_TYPE
{
    WaitAll = 0,
    WaitAny = 1,
}
