using System.Diagnostics;
using SharpNT.Kernel.Cm;
using SharpNT.Kernel.Ex;
using SharpNT.Kernel.Io;
using SharpNT.Kernel.Ke;
using SharpNT.Kernel.Mm;
using SharpNT.Kernel.Ob;

namespace SharpNT.Kernel;


/// <summary>
/// A simulated machine: processors, physical memory, and the kernel that runs on them. A machine is a
/// value: it holds all of its state, so one host process can run many machines side by side.
/// </summary>
[DebuggerDisplay("Machine {Description.Name} halted={IsHalted}")]
public sealed partial class Machine : IDisposable
{
    private readonly TextWriter _console;
    private volatile bool _halted;
    private volatile bool _hung;
    private volatile bool _shutDown;

    private Machine(MachineDescription description, MachineOptions options)
    {
        Description = description;
        Options = options;
        _console = options.Console ?? TextWriter.Null;
        Events = new MachineEvents(this) { RecordLog = options.RecordEvents };
        Events.Refresh();
        Modules = new ModuleList();
        BugCheck = new BugCheckService(this);
        Ke = new KernelCore(this, description.Processors, description.Scheduling, description.Seed);
        Mm = new MemoryManager(this, description);
        Hal = new Hal.HalCore(this);
        Ob = new ObjectManager(this);
        Io = new IoManager(this);
        FsRtl = new FsRtl.FileLockPackage(this);
        Verifier = new Vf.VerifierState(this);
        Ex = new ExWorkerQueue(this);
        ExSync = new ExecutiveSync(this);
        Cm = new ConfigurationManager(() => Ke.BootSystemTime + Ke.InterruptTime, description.Processors);
        Cm.InitializeObjects(this);
        Ps = new Ps.ProcessManager(this);
        Pnp = new Pnp.PnpManager(this);
        Services = new SystemServiceDispatcher(this, SystemServiceTable.Build(this));
    }

    public MachineDescription Description { get; }

    public MachineOptions Options { get; }

    internal KernelCore Ke { get; }

    internal MemoryManager Mm { get; }

    internal Hal.HalCore Hal { get; }

    internal ObjectManager Ob { get; }

    internal IoManager Io { get; }

    /// <summary>The FsRtl file-lock package: byte-range locks of the file systems' FILE_LOCKs.</summary>
    internal FsRtl.FileLockPackage FsRtl { get; }

    /// <summary>Driver Verifier's state for this machine (its checks run only for verified drivers).</summary>
    internal Vf.VerifierState Verifier { get; }

    internal ExWorkerQueue Ex { get; }

    /// <summary>Executive fast mutexes and resources.</summary>
    internal ExecutiveSync ExSync { get; }

    internal ConfigurationManager Cm { get; }

    internal Ps.ProcessManager Ps { get; }

    /// <summary>The PnP manager: the device tree, device stacks built from the registry, device interfaces.</summary>
    internal Pnp.PnpManager Pnp { get; }

    internal SystemServiceDispatcher Services { get; }

    internal ModuleList Modules { get; }

    internal BugCheckService BugCheck { get; }

    internal MachineEvents Events { get; }

    /// <summary>True once the machine stopped with a bug check (or hung, or was shut down).</summary>
    public bool IsHalted => _halted;

    /// <summary>The bug check that stopped the machine, if any.</summary>
    public BugCheckInfo? BugCheckInfo => BugCheck.Info;

    /// <summary>The recorded event trace, when <see cref="MachineOptions.RecordEvents"/> is set.</summary>
    public IReadOnlyList<string> EventTrace => Events.Snapshot();

    /// <summary>Builds and boots a machine from its description.</summary>
    public static Machine Boot(MachineDescription? description = null, MachineOptions? options = null)
    {
        description ??= MachineDescription.Default;
        if (description.Validate() is { } problem)
        {
            throw new ArgumentException($"Invalid machine description: {problem}.", nameof(description));
        }

        options ??= new MachineOptions();
        if (options.Verifier.Flags == 0 && description.Verifier is { } verifier)
        {
            // The machine description's verifier settings apply when the run names none.
            options = options with { Verifier = Vf.VerifierSettings.Parse(verifier) };
        }

        var machine = new Machine(description, options);
        if (description.RegistryFile is { } registry)
        {
            try
            {
                machine.Cm.LoadRegFile(registry);
            }
            catch (Exception e) when (e is SharpNT.Kernel.Cm.RegFileException or IOException or UnauthorizedAccessException)
            {
                throw new MachineDescriptionException($"Registry file refused: {e.Message}", e);
            }
        }

        machine.Ke.StartClockThread();
        machine.BootStorage();
        return machine;
    }

    /// <summary>
    /// Runs <paramref name="body"/> inside the machine, on the calling host thread, as a system thread at
    /// PASSIVE_LEVEL. In deterministic mode the machine's other threads run only while some Run call
    /// drives it. Throws <see cref="BugCheckException"/> if the machine bug checks, and
    /// <see cref="MachineHungException"/> if it can make no progress.
    /// </summary>
    public void Run(Action body) => Run(() =>
    {
        body();
        return 0;
    });

    /// <inheritdoc cref="Run(Action)"/>
    public T Run<T>(Func<T> body)
    {
        if (KTHREAD.Current is not null)
        {
            throw new InvalidOperationException("Machine.Run is called from the host, not from inside a machine.");
        }

        if (_halted || _shutDown)
        {
            throw HaltException();
        }

        var thread = Ke.NewThread(ThreadKind.Initial, "System");
        thread.PushFrame(new CallFrame(Modules.Kernel, Modules.Kernel.RoutineAddress("Phase1Initialization"), "Phase1Initialization"));
        try
        {
            Ke.Scheduler.Attach(thread);
            T result;
            try
            {
                result = body();
            }
            catch (Exception e) when (e is not MachineHaltedException && KernelCore.NoteFault(thread, e))
            {
                throw;
            }
            catch (Exception e) when (e is not MachineHaltedException)
            {
                // The body is the code of a system thread: what it does not handle is 0x7E.
                BugCheck.RaiseForUnhandledException(thread, e, BugCheckCode.SYSTEM_THREAD_EXCEPTION_NOT_HANDLED);
                throw new UnreachableException();
            }

            var irql = thread.Processor!.Irql;
            if (irql != Irql.PASSIVE_LEVEL)
            {
                // A system thread must return at PASSIVE_LEVEL (IRQL_UNEXPECTED_VALUE's 0xFE check).
                BugCheck.Raise(BugCheckCode.IRQL_UNEXPECTED_VALUE, ((ulong)irql << 16) | 0xFE, 0, 0, 0);
            }

            lock (Ke.DispatcherLock)
            {
                thread.SignalState = 1;
                Ke.SignalObjectLocked(thread);
            }

            Ke.Scheduler.Exit(thread, handOn: false);
            return result;
        }
        catch (MachineHaltedException e)
        {
            KTHREAD.Current = null;
            if (e is BugCheckException { InnerException: not null })
            {
                throw;
            }

            throw HaltException();
        }
    }

    /// <summary>
    /// Attaches the calling host thread to the machine as a system thread until the returned value is
    /// disposed: for benchmarks, which call kernel routines from a host thread they do not control.
    /// </summary>
    internal IDisposable AttachHostThread()
    {
        if (KTHREAD.Current is not null)
        {
            throw new InvalidOperationException("This host thread is already attached to a machine.");
        }

        var thread = Ke.NewThread(ThreadKind.Initial, "Benchmark");
        thread.PushFrame(new CallFrame(Modules.Kernel, Modules.Kernel.RoutineAddress("Phase1Initialization"), "Phase1Initialization"));
        Ke.Scheduler.Attach(thread);
        return new HostThreadAttachment(this, thread);
    }

    /// <summary>
    /// For in-process measurements of the user-mode path: runs <paramref name="kernelSetup"/> as a system
    /// thread (load drivers, build stacks), creates a process for Administrator, and attaches the calling
    /// host thread to it as a user thread in user mode until the returned value is disposed.
    /// </summary>
    internal IDisposable AttachHostThreadAsUser(string imageName, Action kernelSetup)
    {
        Ps.EPROCESS? process;
        using (AttachHostThread())
        {
            kernelSetup();
            var status = Ps.CreateProcessWithoutThreads(imageName, imageName, Se.WellKnownTokens.Administrator(), out process);
            if (!status.IsSuccess())
            {
                throw new InvalidOperationException($"{imageName}: the process could not be created: {status.Describe()}");
            }
        }

        return Ps.AttachHostThread(process!);
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
            if (!machine.IsHalted)
            {
                machine.Ke.Scheduler.Exit(thread, handOn: false);
            }

            KTHREAD.Current = null;
        }
    }

    /// <summary>Stops the machine: every thread unwinds; no more Run calls.</summary>
    public void Shutdown()
    {
        if (_shutDown)
        {
            return;
        }

        if (!_halted && KTHREAD.Current is null && Io.HasFileSystems)
        {
            // IoShutdownSystem: the file systems flush and dismount their volumes before the machine stops.
            try
            {
                Run(Io.ShutdownFileSystems);
            }
            catch (MachineHaltedException)
            {
                // A bug check during shutdown: the machine halts as it would have anyway.
            }
        }

        _shutDown = true;
        if (!_halted)
        {
            // A clean shutdown: the disks write back what they hold.
            Hal.OnShutdown();
        }

        _halted = true;
        Ke.Scheduler.ReleaseAll(Ke.SnapshotThreads());
        Ke.StopClockThread();
        foreach (var t in Ke.SnapshotThreads())
        {
            if (t.HostThread is { } host && host != Thread.CurrentThread && t.Kind == ThreadKind.System)
            {
                host.Join(TimeSpan.FromSeconds(5));
            }
        }
    }

    public void Dispose() => Shutdown();

    /// <summary>Starts writing a Chrome trace of this machine (--trace); <see cref="WriteTrace"/> saves it.</summary>
    internal void StartTrace()
    {
        var trace = new Kd.ChromeTrace(this);
        Events.Trace = trace;
        Events.Refresh();
        Io.Trace = trace;
    }

    /// <summary>Writes the trace started with <see cref="StartTrace"/>, if any.</summary>
    internal void WriteTrace(string path)
    {
        if (Events.Trace is { } trace)
        {
            using var stream = File.Create(path);
            trace.Write(stream);
        }
    }

    /// <summary>Text a program wrote to its console (condrv.sys): the machine's console, as written.</summary>
    internal void WriteConsoleText(string text)
    {
        lock (_console)
        {
            _console.Write(text);
            _console.Flush();
        }
    }

    internal void DebugPrint(string text)
    {
        Events.Trace?.OnDebugPrint(text);
        lock (_console)
        {
            _console.WriteLine(text);
        }
    }

    internal Exception HaltException()
    {
        if (BugCheck.Info is { } info)
        {
            return BugCheck.Cause is { } cause ? new BugCheckException(info, cause) : new BugCheckException(info);
        }

        if (_hung)
        {
            return new MachineHungException();
        }

        return new MachineHaltedException("The machine has been shut down.");
    }

    /// <summary>Called once, by the first bug check: halt every processor, show the screen, write the dump.</summary>
    internal void OnBugCheck(BugCheckInfo info)
    {
        _halted = true;
        Hal.OnBugCheck();
        lock (_console)
        {
            _console.Write(info.BlueScreen);
            _console.Flush();
        }

        if (Options.DumpPath is { } path)
        {
            try
            {
                CrashDump.Write(info with { MachineState = Kd.KdSnapshot.Capture(this) }, path);
            }
            catch (IOException e)
            {
                DebugPrint($"Could not write the crash dump to {path}: {e.Message}");
            }
        }

        var current = KTHREAD.Current;
        var others = Ke.SnapshotThreads().Where(t => t != current);
        Ke.Scheduler.ReleaseAll(others);
    }

    /// <summary>Deterministic mode: nothing can run again. Wake the host's thread so Run can report it.</summary>
    internal void OnHung()
    {
        _hung = true;
        _halted = true;
        Ke.Scheduler.ReleaseAll(Ke.SnapshotThreads().Where(t => t.Kind == ThreadKind.Initial && t.State != KTHREAD_STATE.Terminated));
    }
}
