using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using SharpNT.Kernel.Mm;

namespace SharpNT.Kernel.Ke;

/// <summary>
/// KeBugCheckEx: stops every processor of the machine, records the crash, prints the blue screen and
/// writes the crash dump. The host process and other machines go on.
/// </summary>
internal sealed class BugCheckService
{
    private readonly Machine _machine;
    private readonly object _lock = new();
    private BugCheckInfo? _info;

    internal BugCheckService(Machine machine) => _machine = machine;

    internal BugCheckInfo? Info => Volatile.Read(ref _info);

    /// <summary>The exception nobody handled, when that is what stopped the machine.</summary>
    internal Exception? Cause { get; private set; }

    /// <summary>KeBugCheckEx: takes the stop code and exactly four parameters, and does not return.</summary>
    [DoesNotReturn]
    internal void Raise(BugCheckCode code, ulong p1, ulong p2, ulong p3, ulong p4) =>
        Raise((uint)code, p1, p2, p3, p4, faultFrame: null, cause: null);

    /// <summary>
    /// An exception nobody handled: 0x1E from a DPC or arbitrary context, 0x7E from a system thread, 0x3B
    /// from a system service. The parameters are the exception code and the faulting address, as each
    /// stop code documents.
    /// </summary>
    [DoesNotReturn]
    internal void RaiseForUnhandledException(KTHREAD thread, Exception e, BugCheckCode code)
    {
        if (thread.InSystemService && code != BugCheckCode.KMODE_EXCEPTION_NOT_HANDLED)
        {
            code = BugCheckCode.SYSTEM_SERVICE_EXCEPTION;
        }

        var status = (ulong)(uint)NtException.CodeFor(e);
        var frame = ReferenceEquals(thread.FaultException, e) && thread.FaultFrame.Module is not null
            ? thread.FaultFrame
            : thread.InnermostDriverFrame() ?? thread.InnermostFrame();
        var address = frame?.Address ?? 0;
        var nt = e as NtException;
        var (p3, p4) = code switch
        {
            // 0x1E: parameter 3 and 4 are the exception's first two information words.
            BugCheckCode.KMODE_EXCEPTION_NOT_HANDLED => (nt?.IsWrite == true ? 1UL : 0UL, nt?.FaultAddress ?? 0),

            // 0x7E and 0x3B: exception record and context record addresses.
            _ => (thread.Address + 0x4A0, thread.Address + 0x1F0),
        };
        _machine.DebugPrint($"Unhandled exception in kernel mode: {e.GetType().Name}: {e.Message}");
        Raise((uint)code, status, address, p3, p4, frame, e);
    }

    [DoesNotReturn]
    private void Raise(uint code, ulong p1, ulong p2, ulong p3, ulong p4, CallFrame? faultFrame, Exception? cause)
    {
        var thread = KTHREAD.Current;
        lock (_lock)
        {
            if (_info is null)
            {
                _info = Capture(code, p1, p2, p3, p4, thread, faultFrame);
                Cause = cause;
                _info = _info with { CallbackData = RunCallbacks(thread) };
                _machine.OnBugCheck(_info);
            }
        }

        throw Cause is null ? new BugCheckException(_info) : new BugCheckException(_info, Cause);
    }

    /// <summary>
    /// KeRegisterBugCheckCallback: FALSE if the record is already registered. The most recently registered
    /// callback runs first, as NT walks its list from the head.
    /// </summary>
    internal bool RegisterCallback(KBUGCHECK_CALLBACK_RECORD record, KBUGCHECK_CALLBACK_ROUTINE routine, ulong buffer, uint length,
        string component, LoadedModule module)
    {
        lock (_callbacks)
        {
            if (_callbacks.Contains(record))
            {
                return false;
            }

            record.CallbackRoutine = routine;
            record.Buffer = buffer;
            record.Length = length;
            record.Component = component;
            record.Module = module;
            record.RoutineName = routine.Method.Name;
            record.RoutineAddress = module.RoutineAddress(record.RoutineName);
            record.State = KBUGCHECK_BUFFER_DUMP_STATE.BufferInserted;
            _callbacks.Insert(0, record);
            return true;
        }
    }

    /// <summary>KeDeregisterBugCheckCallback: FALSE if the record was not registered.</summary>
    internal bool DeregisterCallback(KBUGCHECK_CALLBACK_RECORD record)
    {
        lock (_callbacks)
        {
            if (!_callbacks.Remove(record))
            {
                return false;
            }

            record.State = KBUGCHECK_BUFFER_DUMP_STATE.BufferEmpty;
            return true;
        }
    }

    private readonly List<KBUGCHECK_CALLBACK_RECORD> _callbacks = [];

    /// <summary>
    /// Runs the registered callbacks at HIGH_LEVEL on the crashing processor and keeps what each left in its
    /// buffer. A callback that faults, bug checks again or belongs to an unloaded driver leaves its buffer
    /// BufferIncomplete, and the bug check goes on.
    /// </summary>
    private List<BugCheckCallbackData> RunCallbacks(KTHREAD? thread)
    {
        KBUGCHECK_CALLBACK_RECORD[] records;
        lock (_callbacks)
        {
            records = [.. _callbacks];
        }

        var data = new List<BugCheckCallbackData>();
        var prcb = thread?.Machine == _machine ? thread.Processor : null;
        foreach (var record in records)
        {
            record.State = KBUGCHECK_BUFFER_DUMP_STATE.BufferStarted;
            if (thread is not null && prcb is not null && record.Module is { Unloaded: false } module)
            {
                var irql = prcb.Irql;
                prcb.Irql = Irql.HIGH_LEVEL;
                thread.PushFrame(new CallFrame(module, record.RoutineAddress, record.RoutineName));
                try
                {
                    record.CallbackRoutine!(record.Buffer, record.Length);
                    record.State = KBUGCHECK_BUFFER_DUMP_STATE.BufferFinished;
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    record.State = KBUGCHECK_BUFFER_DUMP_STATE.BufferIncomplete;
                }
                finally
                {
                    thread.PopFrame();
                    prcb.Irql = irql;
                }
            }
            else
            {
                record.State = KBUGCHECK_BUFFER_DUMP_STATE.BufferIncomplete;
            }

            data.Add(new BugCheckCallbackData(record.Component, record.Buffer, record.State, ReadBuffer(record)));
        }

        return data;
    }

    private byte[] ReadBuffer(KBUGCHECK_CALLBACK_RECORD record)
    {
        var bytes = new byte[record.Length];
        try
        {
            _machine.Mm.Read(record.Buffer, bytes);
            return bytes;
        }
        catch (Exception e) when (e is NtException or BugCheckException or InvalidOperationException)
        {
            return [];
        }
    }

    private BugCheckInfo Capture(uint code, ulong p1, ulong p2, ulong p3, ulong p4, KTHREAD? thread, CallFrame? faultFrame)
    {
        var ke = _machine.Ke;
        var modules = _machine.Modules;
        var frame = faultFrame ?? (thread?.Machine == _machine ? thread.InnermostDriverFrame() : null);

        // For the IRQL and page-fault stop codes the faulting instruction is a parameter; it names the module.
        var faultAddress = frame?.Address ?? 0;
        if ((BugCheckCode)code is BugCheckCode.DRIVER_IRQL_NOT_LESS_OR_EQUAL or BugCheckCode.IRQL_NOT_LESS_OR_EQUAL
            && p4 != 0)
        {
            faultAddress = p4;
        }

        var faultModule = faultAddress != 0 ? modules.Find(faultAddress) : frame?.Module;
        if (faultModule == modules.Kernel || faultModule == modules.Hal)
        {
            faultModule = frame?.Module != modules.Kernel ? frame?.Module : null;
        }

        var processors = new List<ProcessorSnapshot>();
        foreach (var prcb in ke.Processors)
        {
            var t = prcb.CurrentThread;
            processors.Add(new ProcessorSnapshot(prcb.Number, prcb.Irql, t?.Name, t?.Address ?? 0, prcb.DpcRoutineActive));
        }

        var stack = new List<StackFrameSnapshot>();
        if (thread is not null && thread.Machine == _machine)
        {
            var frames = thread.Frames;
            for (var i = frames.Length - 1; i >= 0; i--)
            {
                var f = frames[i];
                stack.Add(new StackFrameSnapshot(f.Module.Name, f.Routine, f.Address, modules.Symbolize(f.Address)));
            }
        }

        var moduleList = new List<ModuleSnapshot>();
        foreach (var m in modules.Snapshot())
        {
            moduleList.Add(new ModuleSnapshot(m.Name, m.Base, m.Size, m.Unloaded));
        }

        var name = Enum.GetName((BugCheckCode)code) ?? "UNKNOWN_BUGCHECK_CODE";
        var crashingProcessor = thread?.Machine == _machine ? thread.Processor?.Number ?? 0 : 0;
        var symbol = faultAddress != 0 ? modules.Symbolize(faultAddress) : null;
        var text = FormatBlueScreen(code, name, [p1, p2, p3, p4], faultModule?.Name, faultAddress, faultModule?.Base ?? 0);
        return new BugCheckInfo
        {
            Code = code,
            Parameter1 = p1,
            Parameter2 = p2,
            Parameter3 = p3,
            Parameter4 = p4,
            Name = name,
            FaultingModule = faultModule?.Name,
            FaultingAddress = faultAddress,
            FaultingSymbol = symbol,
            CrashingProcessor = crashingProcessor,
            CrashingThread = thread?.ToString() ?? "(host)",
            InterruptTime = ke.InterruptTime,
            Processors = processors,
            Stack = stack,
            Modules = moduleList,
            PoolUsage = _machine.Mm.QueryPoolUsage(),
            BlueScreen = text,
        };
    }

    /// <summary>The classic blue screen, as text.</summary>
    internal static string FormatBlueScreen(uint code, string name, ulong[] p, string? module, ulong address, ulong moduleBase)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture,
            $"*** STOP: 0x{code:X8} (0x{p[0]:X16}, 0x{p[1]:X16}, 0x{p[2]:X16}, 0x{p[3]:X16})\n");
        sb.Append(name).Append('\n');
        if (module is not null)
        {
            sb.Append('\n');
            sb.Append(CultureInfo.InvariantCulture,
                $"*** {module} - Address 0x{address:X16} base at 0x{moduleBase:X16}, DateStamp 00000000\n");
        }

        sb.Append('\n');
        sb.Append("A problem has been detected and the simulated machine has been shut down to prevent damage.\n");
        if (module is not null)
        {
            sb.Append(CultureInfo.InvariantCulture, $"The problem seems to be caused by the following file: {module}\n");
        }

        return sb.ToString();
    }
}
