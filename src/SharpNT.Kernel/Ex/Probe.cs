using SharpNT.Kernel.Ke;
using SharpNT.Kernel.Mm;

namespace SharpNT.Kernel.Ex;

/// <summary>
/// ProbeForRead and ProbeForWrite: what a system service does to a user-mode caller's pointer before
/// touching it. Kernel-mode callers are trusted and not probed.
/// </summary>
internal static class Probe
{
    /// <summary>
    /// The checks both probes share: a buffer not on its alignment is STATUS_DATATYPE_MISALIGNMENT, one
    /// reaching MmUserProbeAddress (or wrapping) STATUS_ACCESS_VIOLATION; an empty buffer always passes.
    /// </summary>
    internal static NTSTATUS Check(ulong address, ulong length, uint alignment, KPROCESSOR_MODE previousMode)
    {
        if (previousMode != KPROCESSOR_MODE.UserMode || length == 0)
        {
            return NTSTATUS.STATUS_SUCCESS;
        }

        if ((address & (alignment - 1)) != 0)
        {
            return NTSTATUS.STATUS_DATATYPE_MISALIGNMENT;
        }

        var end = address + length;
        return end < address || end > MemoryManager.UserProbeAddress ? NTSTATUS.STATUS_ACCESS_VIOLATION : NTSTATUS.STATUS_SUCCESS;
    }

    /// <summary>ProbeForRead: raises the failure status as an exception, as the documented routine does.</summary>
    internal static void ForRead(ulong address, ulong length, uint alignment, KPROCESSOR_MODE previousMode)
    {
        var status = Check(address, length, alignment, previousMode);
        if (!status.IsSuccess())
        {
            throw new NtException(status, address, write: false);
        }
    }

    /// <summary>
    /// ProbeForWrite: the range checks, then each page is touched for write (read and written back, as NT's
    /// probe does), so a read-only or unmapped page raises STATUS_ACCESS_VIOLATION now rather than later.
    /// </summary>
    internal static void ForWrite(MemoryManager mm, ulong address, ulong length, uint alignment, KPROCESSOR_MODE previousMode)
    {
        var status = Check(address, length, alignment, previousMode);
        if (!status.IsSuccess())
        {
            throw new NtException(status, address, write: true);
        }

        if (previousMode != KPROCESSOR_MODE.UserMode || length == 0)
        {
            return;
        }

        var page = address & ~(ulong)(MemoryManager.PAGE_SIZE - 1);
        var end = address + length;
        for (var touch = address; touch < end; touch = page += MemoryManager.PAGE_SIZE)
        {
            mm.Write(touch, mm.Read<byte>(touch, KPROCESSOR_MODE.UserMode), KPROCESSOR_MODE.UserMode);
        }
    }
}
