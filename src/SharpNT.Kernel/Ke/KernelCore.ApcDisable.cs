namespace SharpNT.Kernel.Ke;

internal sealed partial class KernelCore
{
    /// <summary>
    /// KeEnterCriticalRegion: normal kernel APCs (and with them NT's thread suspension and termination) are
    /// held back from the calling thread until the matching KeLeaveCriticalRegion. Regions nest. A thread
    /// that returns to user mode still inside one is APC_INDEX_MISMATCH (0x1), checked by the service exit.
    /// </summary>
    internal void EnterCriticalRegion() => CurrentThread.KernelApcDisable++;

    /// <summary>KeLeaveCriticalRegion: ends one KeEnterCriticalRegion of the calling thread.</summary>
    internal void LeaveCriticalRegion()
    {
        var thread = CurrentThread;
        if (thread.KernelApcDisable == 0 && VerifiesCallerFor(thread, Vf.VerifierSettings.DdiComplianceChecking))
        {
            // DDI compliance rule CriticalRegions: KeLeaveCriticalRegion without a KeEnterCriticalRegion.
            _machine.BugCheck.Raise(BugCheckCode.DRIVER_VERIFIER_DETECTED_VIOLATION, DdiRuleCriticalRegions, 0, 0, 0);
        }

        // Unbalanced without the verifier: the count goes wrong as it does on NT, and the service exit
        // reports it as APC_INDEX_MISMATCH.
        thread.KernelApcDisable--;
    }

    /// <summary>
    /// KeEnterGuardedRegion: all kernel APCs, special ones included, are held back from the calling thread
    /// until the matching KeLeaveGuardedRegion; regions nest.
    /// </summary>
    internal void EnterGuardedRegion() => CurrentThread.SpecialApcDisable++;

    /// <summary>KeLeaveGuardedRegion: ends one guarded region; special kernel APCs queued meanwhile run now.</summary>
    internal void LeaveGuardedRegion()
    {
        var thread = CurrentThread;
        thread.SpecialApcDisable--;
        if (thread.SpecialApcDisable == 0)
        {
            DeliverApcsIfPending(thread);
        }
    }

    /// <summary>KeAreApcsDisabled: inside a critical or guarded region, or at APC_LEVEL or above.</summary>
    internal bool AreApcsDisabled()
    {
        var thread = CurrentThread;
        return thread.KernelApcDisable != 0 || thread.SpecialApcDisable != 0 || thread.Processor!.Irql >= Irql.APC_LEVEL;
    }

    /// <summary>KeAreAllApcsDisabled: inside a guarded region, or at APC_LEVEL or above.</summary>
    internal bool AreAllApcsDisabled()
    {
        var thread = CurrentThread;
        return thread.SpecialApcDisable != 0 || thread.Processor!.Irql >= Irql.APC_LEVEL;
    }

    /// <summary>
    /// The combined APC disable count as a bug check reports it (APC_INDEX_MISMATCH, KERNEL_APC_PENDING_DURING_EXIT):
    /// NT keeps both counts as 16-bit values that go down on entering a region, SpecialApcDisable in the high half.
    /// </summary>
    internal static ulong CombinedApcDisable(KTHREAD thread) =>
        ((ulong)(ushort)(short)-thread.SpecialApcDisable << 16) | (ushort)(short)-thread.KernelApcDisable;

    /// <summary>Driver Verifier's DDI compliance rule CriticalRegions (0xC4 parameter 1).</summary>
    internal const ulong DdiRuleCriticalRegions = 0x40003;

    /// <summary>Whether the driver code calling into the kernel is verified with <paramref name="flag"/>.</summary>
    internal bool VerifiesCallerFor(KTHREAD thread, uint flag) =>
        (_machine.Options.Verifier.Flags & flag) != 0 && _machine.Verifier.Applies(thread.InnermostModule(), flag);
}
