using System.Diagnostics;

namespace SharpNT.Kernel.Ke;

/// <summary>
/// An executive spin lock. Holding one raises the processor to DISPATCH_LEVEL; a processor that asks for
/// a lock it already holds would spin forever, which the kernel reports as SPIN_LOCK_ALREADY_OWNED.
/// </summary>
[DebuggerDisplay("KSPIN_LOCK owner {Owner}")]
public sealed class KSPIN_LOCK
{
    /// <summary>The owning processor, or null when free.</summary>
    internal KPRCB? Owner;

    /// <summary>The address that stands for the lock in bug check parameters.</summary>
    internal ulong Address { get; set; }
}
