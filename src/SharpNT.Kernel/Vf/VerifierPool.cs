using SharpNT.Kernel.Ke;
using SharpNT.Kernel.Mm;

namespace SharpNT.Kernel.Vf;

/// <summary>
/// The pool DDIs as Driver Verifier serves them to a verified driver (NT redirects a verified driver's
/// imports to such thunks): low resources simulation may fail the call, special pool may place it.
/// </summary>
internal sealed class VerifierPool(Machine machine, VerifierState verifier)
{
    /// <summary>ExAllocatePool2 as the verifier's thunk serves a verified driver: low resources, then special pool.</summary>
    internal ulong AllocatePool2(KTHREAD caller, ulong flags, ulong bytes, uint tag)
    {
        if (verifier.ShouldFailAllocation(caller))
        {
            // As a genuine shortage: NULL, or the exception POOL_FLAG_RAISE_ON_FAILURE asks for.
            return (flags & PoolFlags.POOL_FLAG_RAISE_ON_FAILURE) != 0 ? throw new NtException(NTSTATUS.STATUS_INSUFFICIENT_RESOURCES) : 0UL;
        }

        var special = verifier.Applies(caller.InnermostModule(), VerifierSettings.SpecialPool);
        return machine.Mm.AllocatePool2(flags, bytes, tag, caller, special);
    }

    /// <summary>ExAllocatePoolWithTag as the verifier's thunk serves a verified driver.</summary>
    internal ulong AllocatePoolWithTag(KTHREAD caller, POOL_TYPE type, ulong bytes, uint tag)
    {
        if (verifier.ShouldFailAllocation(caller))
        {
            return ((uint)type & PoolFlags.POOL_RAISE_IF_ALLOCATION_FAILURE) != 0 ? throw new NtException(NTSTATUS.STATUS_INSUFFICIENT_RESOURCES) : 0UL;
        }

        var special = verifier.Applies(caller.InnermostModule(), VerifierSettings.SpecialPool);
        return machine.Mm.AllocatePoolWithTag(type, bytes, tag, caller, special);
    }
}
