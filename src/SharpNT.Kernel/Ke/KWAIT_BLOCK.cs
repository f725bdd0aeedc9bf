namespace SharpNT.Kernel.Ke;

/// <summary>One thread waiting on one object (KWAIT_BLOCK).</summary>
public sealed class KWAIT_BLOCK
{
    internal KTHREAD? Thread { get; set; }

    internal DispatcherObject? Object { get; set; }

    /// <summary>The object's index in the wait, returned as STATUS_WAIT_0 + WaitKey.</summary>
    internal int WaitKey { get; set; }

    internal WAIT_TYPE WaitType { get; set; }
}
