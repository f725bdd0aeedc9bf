using System.Diagnostics;

namespace SharpNT.Kernel.Ke;

/// <summary>A system service as the dispatcher calls it: the raw argument words of the syscall.</summary>
internal delegate NTSTATUS SystemServiceRoutine(ReadOnlySpan<ulong> arguments);

/// <summary>One entry of the service table (KiServiceTable / KiArgumentTable).</summary>
internal sealed record SystemServiceEntry(string Name, int ArgumentCount, SystemServiceRoutine Routine, ulong Address);

/// <summary>
/// KiSystemService: the way from user mode into the kernel. The dispatcher sets PreviousMode to UserMode
/// (so every service probes and captures what the caller passes), runs the service as kernel code, and on
/// the way back enforces what NT checks in KiSystemServiceExit: the thread must return to user mode at
/// PASSIVE_LEVEL (else IRQL_GT_ZERO_AT_SYSTEM_SERVICE, 0x4A) with kernel APCs enabled (else
/// APC_INDEX_MISMATCH, 0x1), pending kernel APCs run before user code resumes (a suspended thread stops there),
/// and a pending user APC is delivered: user code resumes in its routine first. An exception that
/// escapes a service is SYSTEM_SERVICE_EXCEPTION (0x3B): services catch what a bad user pointer raises.
/// </summary>
internal sealed class SystemServiceDispatcher
{
    private readonly Machine _machine;
    private readonly SystemServiceEntry[] _table;

    internal SystemServiceDispatcher(Machine machine, SystemServiceEntry[] table)
    {
        _machine = machine;
        _table = table;
    }

    internal IReadOnlyList<SystemServiceEntry> Table => _table;

    internal long Dispatch(KTHREAD thread, uint number, ReadOnlySpan<ulong> arguments)
    {
        Debug.Assert(thread == KTHREAD.Current);
        if (number >= (uint)_table.Length)
        {
            return unchecked((int)NTSTATUS.STATUS_INVALID_SYSTEM_SERVICE);
        }

        var entry = _table[number];
        _machine.Ke.ThrowIfStopping(thread);

        // Arguments the caller left out read as whatever the registers and stack held: zero here.
        Span<ulong> words = stackalloc ulong[16];
        var count = Math.Min(arguments.Length, entry.ArgumentCount);
        arguments[..count].CopyTo(words);
        words[count..entry.ArgumentCount].Clear();

        thread.InUserMode = false;
        thread.PreviousMode = KPROCESSOR_MODE.UserMode;
        thread.InSystemService = true;
        thread.ServiceRoutineAddress = entry.Address;
        var frames = thread.FrameCount;
        thread.PushFrame(new CallFrame(_machine.Modules.Kernel, entry.Address, entry.Name));
        _machine.Ke.DeliverApcsIfPending(thread, normal: true);
        NTSTATUS status;
        try
        {
            KernelCore.ExitIfTerminationRequested(thread);
            status = entry.Routine(words[..entry.ArgumentCount]);
        }
        catch (ThreadExitException)
        {
            // NtTerminateProcess of the caller's own process: the thread leaves through its exit path.
            LeaveService(thread, frames);
            throw;
        }
        catch (Exception e) when (e is not MachineHaltedException && KernelCore.NoteFault(thread, e))
        {
            throw;
        }
        catch (Exception e) when (e is not MachineHaltedException)
        {
            _machine.BugCheck.RaiseForUnhandledException(thread, e, BugCheckCode.SYSTEM_SERVICE_EXCEPTION);
            throw new UnreachableException();
        }

        var prcb = thread.Processor!;
        if (prcb.Irql != Irql.PASSIVE_LEVEL)
        {
            // IRQL_GT_ZERO_AT_SYSTEM_SERVICE: the service routine, the IRQL it left at.
            _machine.BugCheck.Raise(BugCheckCode.IRQL_GT_ZERO_AT_SYSTEM_SERVICE, entry.Address, prcb.Irql, 0, 0);
        }

        if (thread.KernelApcDisable != 0 || thread.SpecialApcDisable != 0)
        {
            // APC_INDEX_MISMATCH: the routine, the APC state index, the combined disable count, 0 = a system call.
            _machine.BugCheck.Raise(BugCheckCode.APC_INDEX_MISMATCH, entry.Address, 0, KernelCore.CombinedApcDisable(thread), 0);
        }

        _machine.Ke.DeliverApcsIfPending(thread, normal: true);
        if (thread.TerminationPending && thread.Kind == ThreadKind.User)
        {
            // Terminated while in the service: the thread leaves on its way back to user mode.
            LeaveService(thread, frames);
            throw new ThreadExitException(thread.TerminationStatus);
        }

        if (thread.UserApcPending)
        {
            // KiDeliverApc for user mode: the return goes to the first user APC's routine (see Ring3.SystemCall).
            _machine.Ke.DeliverUserApc(thread);
        }

        LeaveService(thread, frames);
        _machine.Ke.ThrowIfStopping(thread);
        return unchecked((int)status);
    }

    private static void LeaveService(KTHREAD thread, int frames)
    {
        while (thread.FrameCount > frames)
        {
            thread.PopFrame();
        }

        thread.InSystemService = false;
        thread.ServiceRoutineAddress = 0;
        thread.InUserMode = true;
    }
}
