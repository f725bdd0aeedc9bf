using System.Text;
using SharpNT.Kernel.Io;
using SharpNT.Kernel.Io.Layout;
using SharpNT.Kernel.Ke;
using SharpNT.Kernel.Mm;
using SharpNT.Kernel.Ps.Layout;
using SharpNT.Kernel.Se;

namespace SharpNT.Kernel.Ps;

/// <summary>
/// The process manager's user half: user processes (their own address space, handle table and primary
/// token; a PEB and process parameters in their memory; standard handles on the console) and their
/// threads (a TEB and a user stack each), and process exit: the thread's pending I/O cancelled and waited
/// for, every handle closed (so drivers see IRP_MJ_CLEANUP then IRP_MJ_CLOSE), the address space deleted,
/// the process object signaled.
/// </summary>
internal sealed partial class ProcessManager
{
    /// <summary>The committed size of a user thread's stack.</summary>
    internal const ulong UserStackSize = 0x40000;

    private readonly Machine _machine;
    private readonly List<EPROCESS> _processes = [];
    private bool _consoleLoaded;

    internal ProcessManager(Machine machine) => _machine = machine;

    /// <summary>The user processes that have not ended, oldest first.</summary>
    internal IReadOnlyList<EPROCESS> ActiveProcesses
    {
        get
        {
            lock (_processes)
            {
                return [.. _processes];
            }
        }
    }

    /// <summary>
    /// Creates a user process running <paramref name="userStart"/> as its initial thread (what
    /// NtCreateUserProcess does for an image): IRQL PASSIVE_LEVEL, from a kernel thread. The returned
    /// process carries one reference for the caller (ObDereferenceObject when done with it); wait on it to
    /// learn when it ends and read <see cref="EPROCESS.ExitStatus"/>.
    /// </summary>
    internal NTSTATUS CreateUserProcess(string imageName, string commandLine, TOKEN token, Func<NTSTATUS> userStart, out EPROCESS? process)
    {
        var status = CreateProcessWithoutThreads(imageName, commandLine, token, out process);
        if (!status.IsSuccess())
        {
            return status;
        }

        status = CreateUserThread(process!, userStart);
        if (!status.IsSuccess())
        {
            DestroyUnstartedProcess(process!, status);
            process = null;
        }

        return status;
    }

    /// <summary>
    /// A user process with its address space, PEB, process parameters and standard handles, but no thread
    /// yet (PspCreateProcess before the initial thread). The caller holds its one reference.
    /// </summary>
    internal NTSTATUS CreateProcessWithoutThreads(string imageName, string commandLine, TOKEN token, out EPROCESS? process)
    {
        process = null;
        EnsureConsole();
        var space = _machine.Mm.CreateProcessAddressSpace();
        if (space is null)
        {
            return NTSTATUS.STATUS_INSUFFICIENT_RESOURCES;
        }

        var creator = _machine.Ob.CurrentProcess;
        var created = _machine.Ob.CreateProcessObject(_machine.Ke.AllocateClientId(), imageName, space, token, creator.UniqueProcessId);
        space.ProcessAddress = created.Address;
        var status = Attached(created, () => BuildProcessEnvironment(created, imageName, commandLine));
        if (status.IsSuccess())
        {
            // The drivers' process-notify routines may refuse the process before its first thread exists.
            status = NotifyProcessCreated(created, commandLine);
        }

        if (!status.IsSuccess())
        {
            DestroyUnstartedProcess(created, status);
            return status;
        }

        process = created;
        return NTSTATUS.STATUS_SUCCESS;
    }

    /// <summary>A process whose creation failed before any thread ran: its handles, memory and reference go.</summary>
    private void DestroyUnstartedProcess(EPROCESS process, NTSTATUS status)
    {
        Attached(process, () =>
        {
            CloseAllHandles(process);
            return NTSTATUS.STATUS_SUCCESS;
        });
        _machine.Mm.DeleteProcessAddressSpace(process.AddressSpace!);
        process.ExitStatus = status;
        _machine.Ob.DereferenceObject(process);
    }

    /// <summary>
    /// Attaches the calling host thread to <paramref name="process"/> as a user thread running in user mode
    /// (with its own TEB and stack), until the returned value is disposed: for benchmarks, which call the
    /// Win32 surface from a host thread they do not control. The thread leaves without a process rundown.
    /// </summary>
    internal IDisposable AttachHostThread(EPROCESS process)
    {
        if (KTHREAD.Current is not null)
        {
            throw new InvalidOperationException("This host thread is already attached to a machine.");
        }

        var thread = _machine.Ke.NewThread(ThreadKind.User, $"{process.ImageFileName}!HostThread");
        thread.Process = process;
        thread.AddressSpace = process.AddressSpace;
        var kernel = _machine.Modules.Kernel;
        thread.PushFrame(new CallFrame(kernel, kernel.RoutineAddress("PspUserThreadStartup"), "PspUserThreadStartup"));
        _machine.Ke.Scheduler.Attach(thread);
        var status = AllocateThreadBlocks(process, out var stack, out var teb);
        if (!status.IsSuccess())
        {
            _machine.Ke.Scheduler.Exit(thread, handOn: false);
            KTHREAD.Current = null;
            throw new NtException(status);
        }

        InitializeThread(process, thread, stack, teb);
        thread.PreviousMode = KPROCESSOR_MODE.UserMode;
        thread.InUserMode = true;
        return new HostThreadAttachment(_machine, thread);
    }

    private sealed class HostThreadAttachment(Machine machine, KTHREAD thread) : IDisposable
    {
        private bool _disposed;

        public void Dispose()
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            thread.InUserMode = false;
            if (!machine.IsHalted)
            {
                machine.Ke.Scheduler.Exit(thread, handOn: false);
            }

            KTHREAD.Current = null;
        }
    }

    /// <summary>
    /// Runs <paramref name="body"/> attached to <paramref name="process"/> (KeStackAttachProcess): its
    /// user memory is the current user memory and its handle table receives new handles.
    /// </summary>
    internal T Attached<T>(EPROCESS process, Func<T> body)
    {
        var thread = _machine.Ke.CurrentThread;
        var (oldProcess, oldSpace) = (thread.Process, thread.AddressSpace);
        thread.Process = process;
        thread.AddressSpace = process.AddressSpace;
        try
        {
            return body();
        }
        finally
        {
            thread.Process = oldProcess;
            thread.AddressSpace = oldSpace;
        }
    }

    /// <summary>condrv.sys is boot-loaded with the first user process (the console every process starts on).</summary>
    private void EnsureConsole()
    {
        lock (_processes)
        {
            if (_consoleLoaded)
            {
                return;
            }

            _consoleLoaded = true;
        }

        var status = _machine.Io.LoadDriver(new ConsoleDriver(_machine), out _);
        if (!status.IsSuccess())
        {
            throw new NtException(status);
        }
    }

    /// <summary>
    /// The PEB and the process parameters (image path, command line, standard handles opened on the
    /// console) in the new process's memory. Runs attached to it.
    /// </summary>
    private NTSTATUS BuildProcessEnvironment(EPROCESS process, string imageName, string commandLine)
    {
        var mm = _machine.Mm;
        var space = process.AddressSpace!;
        var status = mm.AllocateUserMemory(space, PebLayout.Size, PageProtection.PAGE_READWRITE, out var peb);
        if (!status.IsSuccess())
        {
            return status;
        }

        process.Peb = peb;
        var imagePath = @"C:\Windows\System32\" + imageName;
        var strings = Encoding.Unicode.GetByteCount(imagePath) + Encoding.Unicode.GetByteCount(commandLine) + (2 * 2);
        var blockSize = (ulong)(ProcessParametersLayout.Size + strings);
        status = mm.AllocateUserMemory(space, blockSize, PageProtection.PAGE_READWRITE, out var parameters);
        if (!status.IsSuccess())
        {
            return status;
        }

        mm.Write(parameters + ProcessParametersLayout.MaximumLength, (uint)blockSize);
        mm.Write(parameters + ProcessParametersLayout.Length, (uint)blockSize);
        mm.Write(parameters + ProcessParametersLayout.Flags, ProcessParametersLayout.RTL_USER_PROC_PARAMS_NORMALIZED);
        var next = parameters + ProcessParametersLayout.Size;
        next = WriteUnicodeString(parameters + ProcessParametersLayout.ImagePathName, next, imagePath);
        WriteUnicodeString(parameters + ProcessParametersLayout.CommandLine, next, commandLine);

        status = OpenConsole(AccessMask.FILE_GENERIC_READ, out var input);
        if (status.IsSuccess())
        {
            status = OpenConsole(AccessMask.FILE_GENERIC_WRITE, out var output);
            if (status.IsSuccess())
            {
                mm.Write(parameters + ProcessParametersLayout.StandardInput, input.Value);
                mm.Write(parameters + ProcessParametersLayout.StandardOutput, output.Value);
                mm.Write(parameters + ProcessParametersLayout.StandardError, output.Value);
            }
        }

        if (!status.IsSuccess())
        {
            return status;
        }

        mm.Write(peb + PebLayout.ProcessParameters, parameters);
        mm.Write(peb + PebLayout.OSMajorVersion, 10u);
        mm.Write(peb + PebLayout.OSMinorVersion, 0u);
        mm.Write(peb + PebLayout.OSBuildNumber, (ushort)19045);
        return NTSTATUS.STATUS_SUCCESS;
    }

    /// <summary>A UNICODE_STRING at <paramref name="at"/> whose buffer (NUL-terminated) goes at <paramref name="buffer"/>.</summary>
    private ulong WriteUnicodeString(ulong at, ulong buffer, string value)
    {
        var bytes = Encoding.Unicode.GetBytes(value + "\0");
        var mm = _machine.Mm;
        mm.Write(buffer, bytes);
        mm.Write(at + UnicodeStringLayout.Length, (ushort)(bytes.Length - 2));
        mm.Write(at + UnicodeStringLayout.MaximumLength, (ushort)bytes.Length);
        mm.Write(at + UnicodeStringLayout.Buffer, buffer);
        return buffer + (ulong)bytes.Length;
    }

    /// <summary>A handle in the current (attached) process to a new open of the console.</summary>
    private NTSTATUS OpenConsole(uint desiredAccess, out HANDLE handle)
    {
        OBJECT_ATTRIBUTES.Initialize(out var oa, new UNICODE_STRING(ConsoleDriver.DeviceName), OBJECT_ATTRIBUTES.OBJ_CASE_INSENSITIVE,
            HANDLE.NULL, null);
        return _machine.Io.CreateFile(out handle, desiredAccess | AccessMask.SYNCHRONIZE, oa, out _, out _, 0,
            FILE_SHARE_READ | FILE_SHARE_WRITE, IoManager.FILE_OPEN, IoManager.FILE_SYNCHRONOUS_IO_NONALERT, KPROCESSOR_MODE.KernelMode);
    }

    private const ushort FILE_SHARE_READ = 1;
    private const ushort FILE_SHARE_WRITE = 2;

    /// <summary>The initial thread: its TEB and user stack, its object, then it is readied.</summary>
    private NTSTATUS CreateUserThread(EPROCESS process, Func<NTSTATUS> userStart)
    {
        var status = CreateUserThread(process, $"{process.ImageFileName}!wmainCRTStartup", userStart, out var thread);
        if (status.IsSuccess())
        {
            _machine.Ob.DereferenceObject(thread!);
        }

        return status;
    }

    /// <summary>
    /// A thread of the process (PspCreateThread): its TEB and user stack, its object, then it is readied. The
    /// caller holds a reference to the returned thread (ObDereferenceObject when done).
    /// </summary>
    private NTSTATUS CreateUserThread(EPROCESS process, string name, Func<NTSTATUS> userStart, out KTHREAD? thread, bool createSuspended = false)
    {
        thread = null;
        var status = AllocateThreadBlocks(process, out var stack, out var teb);
        if (!status.IsSuccess())
        {
            return status;
        }

        _machine.Ob.ReferenceObject(process);
        thread = _machine.Ke.CreateUserThread(process, process.AddressSpace!, name, userStart,
            initialize: t =>
            {
                InitializeThread(process, t, stack, teb);
                NotifyThread(process, t, create: true);
                if (createSuspended)
                {
                    // PspCreateThread suspends a thread created suspended before it is readied.
                    _machine.Ke.SuspendThread(t);
                }

                // The creator's reference, taken before the thread can run (and end): it may still open a handle.
                _machine.Ob.ReferenceObject(t);
            },
            onExit: ExitThread);
        return NTSTATUS.STATUS_SUCCESS;
    }

    /// <summary>A thread's user stack and TEB in the process's memory.</summary>
    private NTSTATUS AllocateThreadBlocks(EPROCESS process, out ulong stack, out ulong teb)
    {
        var mm = _machine.Mm;
        var space = process.AddressSpace!;
        teb = 0;
        var status = mm.AllocateUserMemory(space, UserStackSize, PageProtection.PAGE_READWRITE, out stack);
        if (!status.IsSuccess())
        {
            return status;
        }

        status = mm.AllocateUserMemory(space, TebLayout.Size, PageProtection.PAGE_READWRITE, out teb);
        if (!status.IsSuccess())
        {
            mm.FreeUserMemory(space, stack);
        }

        return status;
    }

    /// <summary>The thread object, the I/O manager's record, the process's thread list, and the TEB's fields.</summary>
    private void InitializeThread(EPROCESS process, KTHREAD thread, ulong stack, ulong teb)
    {
        var mm = _machine.Mm;
        thread.Teb = teb;
        _machine.Ob.InsertUserThread(thread);
        _machine.Io.RegisterThread(thread);
        lock (_processes)
        {
            if (!_processes.Contains(process))
            {
                _processes.Add(process);
            }
        }

        lock (process.Threads)
        {
            process.Threads.Add(thread);
        }

        Attached(process, () =>
        {
            mm.Write(teb + TebLayout.StackBase, stack + UserStackSize);
            mm.Write(teb + TebLayout.StackLimit, stack);
            mm.Write(teb + TebLayout.Self, teb);
            mm.Write(teb + TebLayout.ClientIdUniqueProcess, process.UniqueProcessId.Value);
            mm.Write(teb + TebLayout.ClientIdUniqueThread, (ulong)thread.Id);
            mm.Write(teb + TebLayout.ProcessEnvironmentBlock, process.Peb);
            return 0;
        });
    }

    /// <summary>
    /// NtTerminateProcess. NULL ends every other thread of the caller's process and returns (what
    /// RtlExitUserProcess asks first); the caller's own process (NtCurrentProcess() or a handle to it) ends
    /// its other threads and then the caller, and does not return; another process's handle needs
    /// PROCESS_TERMINATE, and its threads end at their next safe point (see KernelCore.RequestTermination).
    /// The first status given becomes the process's exit status.
    /// </summary>
    internal NTSTATUS TerminateProcess(HANDLE processHandle, NTSTATUS exitStatus, KPROCESSOR_MODE previousMode)
    {
        var thread = _machine.Ke.CurrentThread;
        var self = thread.Process as EPROCESS;
        var target = self;
        if (!processHandle.IsNull && processHandle != HANDLE.CurrentProcess)
        {
            var status = ObjectByHandle<EPROCESS>(processHandle, AccessMask.PROCESS_TERMINATE, _machine.Ob.ProcessType, previousMode, out var named);
            if (!status.IsSuccess())
            {
                return status;
            }

            target = named;
        }

        if (target is null || !target.IsUserProcess)
        {
            // The System process cannot be ended.
            return NTSTATUS.STATUS_ACCESS_DENIED;
        }

        lock (target.Threads)
        {
            if (target.ExitStatus == NTSTATUS.STATUS_PENDING)
            {
                target.ExitStatus = exitStatus;
            }
        }

        TerminateThreadsOf(target, exitStatus, except: thread);
        if (processHandle.IsNull || !ReferenceEquals(target, self))
        {
            return NTSTATUS.STATUS_SUCCESS;
        }

        KernelCore.ExitCurrentThread(thread, exitStatus);
        return NTSTATUS.STATUS_SUCCESS;
    }

    /// <summary>Asks every thread of <paramref name="process"/> but <paramref name="except"/> to end.</summary>
    private void TerminateThreadsOf(EPROCESS process, NTSTATUS exitStatus, KTHREAD? except)
    {
        KTHREAD[] threads;
        lock (process.Threads)
        {
            threads = [.. process.Threads];
        }

        foreach (var other in threads)
        {
            if (other != except)
            {
                _machine.Ke.RequestTermination(other, exitStatus);
            }
        }
    }

    /// <summary>
    /// PspExitThread, in the ending thread's own context: its I/O is cancelled and waited for; the last
    /// thread of a process runs the process down (PspExitProcess, ObKillProcess, MmDeleteProcessAddressSpace)
    /// and signals the process object.
    /// </summary>
    private void ExitThread(KTHREAD thread, NTSTATUS exitStatus)
    {
        var process = (EPROCESS)thread.Process!;
        if (thread.EndedByUnhandledException)
        {
            // The default unhandled-exception filter ends the whole process with the exception's code.
            lock (process.Threads)
            {
                if (process.ExitStatus == NTSTATUS.STATUS_PENDING)
                {
                    process.ExitStatus = exitStatus;
                }
            }

            TerminateThreadsOf(process, exitStatus, except: thread);
        }

        CancelAndWaitThreadIo(thread);
        NotifyThread(process, thread, create: false);
        bool last;
        lock (process.Threads)
        {
            process.Threads.Remove(thread);
            last = process.Threads.Count == 0;
            if (last)
            {
                process.Exiting = true;
                if (process.ExitStatus == NTSTATUS.STATUS_PENDING)
                {
                    process.ExitStatus = exitStatus;
                }
            }
        }

        if (last)
        {
            NotifyProcessExited(process);
            CloseAllHandles(process);
            var space = process.AddressSpace!;
            thread.AddressSpace = null;
            _machine.Mm.DeleteProcessAddressSpace(space);
            lock (_processes)
            {
                _processes.Remove(process);
            }

            lock (_machine.Ke.DispatcherLock)
            {
                process.SignalState = 1;
                _machine.Ke.SignalObjectLocked(process);
            }

            _machine.Ob.DereferenceObject(process);
        }

        _machine.Ob.DereferenceObject(thread);
    }

    /// <summary>
    /// IoCancelThreadIo: cancels the thread's IRPs and waits for them to complete, in 100 ms steps (their
    /// completions run as APCs to this thread while it waits). After five minutes NT gives up on an IRP a
    /// driver never completes and disassociates it from the thread; so does this.
    /// </summary>
    private void CancelAndWaitThreadIo(KTHREAD thread)
    {
        for (var attempt = 0; attempt < 3000; attempt++)
        {
            if (_machine.Io.CancelThreadIo(thread) == 0)
            {
                return;
            }

            _machine.Ke.Delay(KPROCESSOR_MODE.KernelMode, false, -100 * 10_000L);
        }

        lock (thread.PendingIrpsLock)
        {
            _machine.DebugPrint($"IoCancelThreadIo: {thread.PendingIrps.Count} IRP(s) of {thread.Name} never completed; disassociated.");
            thread.PendingIrps.Clear();
        }
    }

    /// <summary>ObKillProcess: every handle of the process closed (runs attached to or inside the process).</summary>
    private void CloseAllHandles(EPROCESS process)
    {
        foreach (var (handle, _) in process.ObjectTable.Snapshot())
        {
            _machine.Ob.CloseHandle(new HANDLE(handle), KPROCESSOR_MODE.KernelMode);
        }
    }
}
