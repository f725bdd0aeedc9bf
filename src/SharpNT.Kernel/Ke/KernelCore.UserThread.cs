namespace SharpNT.Kernel.Ke;

internal sealed partial class KernelCore
{
    /// <summary>
    /// Creates a thread of a user process (PspCreateThread for a user thread): it starts in the kernel at
    /// PspUserThreadStartup, then runs <paramref name="userStart"/> in user mode. When the user code ends
    /// (it returns, it calls NtTerminateProcess, or an exception escapes it), <paramref name="onExit"/> runs
    /// in the thread's own context in kernel mode (PspExitThread: the process rundown happens there), and
    /// the thread object becomes signaled.
    /// </summary>
    internal KTHREAD CreateUserThread(object process, Mm.AddressSpace space, string name, Func<NTSTATUS> userStart,
        Action<KTHREAD> initialize, Action<KTHREAD, NTSTATUS> onExit)
    {
        ThrowIfStopping(KTHREAD.Current);
        var thread = NewThread(ThreadKind.User, name);
        thread.Process = process;
        thread.AddressSpace = space;
        initialize(thread);
        var kernel = _machine.Modules.Kernel;
        var frame = new CallFrame(kernel, kernel.RoutineAddress("PspUserThreadStartup"), "PspUserThreadStartup");
        StartHostThread(thread, () => UserThreadMain(thread, frame, userStart, onExit));
        return thread;
    }

    private void UserThreadMain(KTHREAD thread, CallFrame frame, Func<NTSTATUS> userStart, Action<KTHREAD, NTSTATUS> onExit)
    {
        KTHREAD.Current = thread;
        try
        {
            WaitForFirstDispatch(thread);
            thread.PushFrame(frame);
            NTSTATUS exitStatus;
            thread.PreviousMode = KPROCESSOR_MODE.UserMode;
            thread.InUserMode = true;
            try
            {
                // A thread terminated before it first ran never runs its start routine; one created suspended
                // stops here until resumed; user APCs queued before it first ran are called first.
                ExitIfTerminationRequested(thread);
                EnterUserModeFirstTime(thread);
                exitStatus = userStart();
            }
            catch (ThreadExitException exit)
            {
                exitStatus = exit.ExitStatus;
            }
            catch (Exception e) when (e is not MachineHaltedException)
            {
                // An exception the program's own handlers let through ends only its process, with the
                // exception code as the exit status (what the default unhandled-exception filter does).
                exitStatus = NtException.CodeFor(e);
                thread.EndedByUnhandledException = true;
            }

            thread.InUserMode = false;
            thread.InSystemService = false;
            thread.PreviousMode = KPROCESSOR_MODE.KernelMode;
            FlushUserApcs(thread);
            while (thread.FrameCount > 1)
            {
                thread.PopFrame();
            }

            var prcb = thread.Processor!;
            if (prcb.Irql != Irql.PASSIVE_LEVEL)
            {
                // Only kernel code raises IRQL; user code always leaves the kernel at PASSIVE_LEVEL.
                prcb.Irql = Irql.PASSIVE_LEVEL;
            }

            thread.ExitStatus = exitStatus;
            onExit(thread, exitStatus);
            while (thread.FrameCount > 0)
            {
                thread.PopFrame();
            }

            TerminateCurrentThread(thread);
        }
        catch (MachineHaltedException)
        {
            // The machine stopped; this host thread just ends.
        }
        finally
        {
            KTHREAD.Current = null;
        }
    }
}
