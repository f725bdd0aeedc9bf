using SharpNT.Kernel.Mm;

namespace SharpNT.Kernel.Ke;

/// <summary>
/// What a processor offers code running in user mode (ring 3), and nothing more: loads and stores through
/// the current process's page tables with user-mode access rights, and the syscall instruction. The
/// user-mode libraries (SharpNT.Win32) are built on this alone; a program never reaches a kernel type.
/// A load or store the page tables refuse raises an access violation (an <see cref="NtException"/> with
/// STATUS_ACCESS_VIOLATION and the address) in the program, as the processor's page fault would.
/// </summary>
public static class Ring3
{
    /// <summary>Reads user memory of the current process.</summary>
    public static void Read(ulong address, Span<byte> destination) => Current().Machine.Mm.Read(address, destination, KPROCESSOR_MODE.UserMode);

    /// <summary>Writes user memory of the current process.</summary>
    public static void Write(ulong address, ReadOnlySpan<byte> source) => Current().Machine.Mm.Write(address, source, KPROCESSOR_MODE.UserMode);

    /// <summary>Reads a value of an unmanaged type from user memory.</summary>
    public static T Read<T>(ulong address)
        where T : unmanaged => Current().Machine.Mm.Read<T>(address, KPROCESSOR_MODE.UserMode);

    /// <summary>Writes a value of an unmanaged type to user memory.</summary>
    public static void Write<T>(ulong address, T value)
        where T : unmanaged => Current().Machine.Mm.Write(address, value, KPROCESSOR_MODE.UserMode);

    /// <summary>
    /// The address of a routine of the running program's image (a thread start routine): programs are
    /// managed code, and this stands for the address the loader's mapping gives the routine on NT. The same
    /// routine always has the same address in a process; another process does not know it.
    /// </summary>
    public static ulong CodeAddress(Func<ulong, uint> routine)
    {
        ArgumentNullException.ThrowIfNull(routine);
        return ((Ps.EPROCESS)Current().Process!).MapCode(routine);
    }

    /// <summary>
    /// The address of an image routine taking one pointer-sized argument and returning nothing (PAPCFUNC, the
    /// routine QueueUserAPC takes). Calling it through <see cref="Call(ulong, ulong)"/> returns 0.
    /// </summary>
    public static ulong CodeAddress(Action<ulong> routine)
    {
        ArgumentNullException.ThrowIfNull(routine);
        return ((Ps.EPROCESS)Current().Process!).MapCode(routine);
    }

    /// <summary>
    /// The address of an image routine taking three pointer-sized arguments (PPS_APC_ROUTINE, the routine
    /// NtQueueApcThread queues, and PIO_APC_ROUTINE): what a user APC calls.
    /// </summary>
    public static ulong CodeAddress(Action<ulong, ulong, ulong> routine)
    {
        ArgumentNullException.ThrowIfNull(routine);
        return ((Ps.EPROCESS)Current().Process!).MapCode(routine);
    }

    /// <summary>
    /// The address of an image routine of the LPOVERLAPPED_COMPLETION_ROUTINE shape (an error code, a byte count,
    /// the OVERLAPPED's address): what ReadFileEx and WriteFileEx call through a user APC.
    /// </summary>
    public static ulong CodeAddress(Action<uint, uint, ulong> routine)
    {
        ArgumentNullException.ThrowIfNull(routine);
        return ((Ps.EPROCESS)Current().Process!).MapCode(routine);
    }

    /// <summary>
    /// An indirect call (a call through a function pointer) to the image routine at <paramref name="address"/>
    /// with one argument; an address with no routine behind it is an access violation (an
    /// <see cref="NtException"/> with STATUS_ACCESS_VIOLATION), as executing there would be.
    /// </summary>
    public static uint Call(ulong address, ulong argument)
    {
        switch (((Ps.EPROCESS)Current().Process!).CodeAt(address))
        {
            case Func<ulong, uint> routine:
                return routine(argument);
            case Action<ulong> procedure:
                procedure(argument);
                return 0;
            default:
                throw new NtException(NTSTATUS.STATUS_ACCESS_VIOLATION, address, false);
        }
    }

    /// <summary>
    /// An indirect call to an image routine of three arguments (see <see cref="CodeAddress(Action{ulong, ulong, ulong})"/>
    /// and <see cref="CodeAddress(Action{uint, uint, ulong})"/>): the arguments travel in registers, a 32-bit one in
    /// the low half of its register.
    /// </summary>
    public static void Call(ulong address, ulong argument1, ulong argument2, ulong argument3)
    {
        switch (((Ps.EPROCESS)Current().Process!).CodeAt(address))
        {
            case Action<ulong, ulong, ulong> routine:
                routine(argument1, argument2, argument3);
                break;
            case Action<uint, uint, ulong> completion:
                completion((uint)argument1, (uint)argument2, argument3);
                break;
            default:
                throw new NtException(NTSTATUS.STATUS_ACCESS_VIOLATION, address, false);
        }
    }

    /// <summary>The current thread's TEB (what GS:[0x30] holds in user mode on x64).</summary>
    public static ulong Teb => Current().Teb;

    /// <summary>
    /// The syscall instruction: enters the kernel's system service dispatcher with the service number and
    /// the arguments (the first four in registers, the rest on the stack on x64; here one span). Returns
    /// the NTSTATUS the service returned (in RAX).
    /// </summary>
    public static int SystemCall(SystemService service, ReadOnlySpan<ulong> arguments)
    {
        var thread = Current();
        var status = (int)thread.Machine.Services.Dispatch(thread, (uint)service, arguments);
        if (thread.UserApcToDispatch is not null)
        {
            DispatchUserApcs(thread);
        }

        return status;
    }

    /// <summary>
    /// ntdll's KiUserApcDispatcher, where the kernel sent the return from a system call that delivered a user
    /// APC: it calls the APC's routine with its three arguments in user mode, then continues with NtContinue
    /// (TestAlert TRUE), which is NtTestAlert's work: the next queued user APC is delivered the same way, one
    /// per return, in the order they were queued. Then the interrupted code goes on with its system call's
    /// status. An exception in an APC routine unwinds into that code, as it does on NT.
    /// </summary>
    internal static void DispatchUserApcs(KTHREAD thread)
    {
        while (thread.UserApcToDispatch is { } apc)
        {
            thread.UserApcToDispatch = null;
            var routine = apc.NormalRoutine;
            var context = apc.NormalContext;
            var argument1 = apc.SystemArgument1;
            var argument2 = apc.SystemArgument2;
            Call(routine, context, argument1, argument2);
            thread.Machine.Services.Dispatch(thread, (uint)SystemService.NtTestAlert, []);
        }
    }

    private static KTHREAD Current()
    {
        var thread = KTHREAD.Current;
        if (thread is null || thread.Kind != ThreadKind.User || !thread.InUserMode)
        {
            throw new InvalidOperationException("User-mode instructions run only on a user thread of a machine, in user mode.");
        }

        if (thread.KernelApcQueue.Count > 0 || thread.TerminationPending || thread.NormalKernelApcQueue.Count > 0)
        {
            // A kernel APC queued to a thread running user code interrupts it at the next instruction
            // (the processor is interrupted and the APC runs before user code resumes): an I/O completion
            // becomes visible to a program that polls its OVERLAPPED without entering the kernel, and a
            // terminated thread's exit APC ends it there, and a suspended one stops there.
            DeliverKernelApcs(thread);
        }

        return thread;
    }

    private static void DeliverKernelApcs(KTHREAD thread)
    {
        thread.InUserMode = false;
        try
        {
            thread.Machine.Ke.DeliverApcsIfPending(thread, normal: true);
            KernelCore.ExitIfTerminationRequested(thread);
        }
        finally
        {
            thread.InUserMode = true;
        }
    }

    /// <summary>True if the calling code runs in user mode on a machine's user thread.</summary>
    public static bool IsUserThread => KTHREAD.Current is { Kind: ThreadKind.User, InUserMode: true };

    /// <summary>The highest address user memory can have (MM_HIGHEST_USER_ADDRESS).</summary>
    public const ulong HighestUserAddress = MemoryManager.HighestUserAddress;
}
