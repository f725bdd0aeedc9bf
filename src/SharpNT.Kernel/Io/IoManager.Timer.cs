using SharpNT.Kernel.Io.Layout;
using SharpNT.Kernel.Ke;
using SharpNT.Kernel.Mm;

namespace SharpNT.Kernel.Io;

/// <summary>IO_TIMER_ROUTINE: a device's once-a-second routine (IoInitializeTimer), called at DISPATCH_LEVEL.</summary>
public delegate void IO_TIMER_ROUTINE(DEVICE_OBJECT DeviceObject, object? Context);

internal sealed partial class IoManager
{
    /// <summary>IO_TIMER in nonpaged pool (x64): Type, TimerFlag, TimerList, TimerRoutine, Context, DeviceObject.</summary>
    private static class IoTimerLayout
    {
        internal const int Size = 0x30;
        internal const int Type = 0x00;
        internal const int TimerFlag = 0x02;
        internal const int TimerRoutine = 0x18;
        internal const int DeviceObject = 0x28;
    }

    private const uint TagIoTimer = 0x6D69546F; // "oTim"

    private sealed class IoTimer(DEVICE_OBJECT device, ulong block)
    {
        public DEVICE_OBJECT Device { get; } = device;

        public ulong Block { get; } = block;

        public IO_TIMER_ROUTINE? Routine { get; set; }

        public object? Context { get; set; }

        public LoadedModule? Module { get; set; }

        public string RoutineName { get; set; } = "";
    }

    private readonly List<IoTimer> _ioTimers = [];
    private readonly KTIMER _ioTimerClock = new();
    private readonly KDPC _ioTimerDpc = new();
    private bool _ioTimerClockArmed;

    /// <summary>
    /// IoInitializeTimer: IRQL PASSIVE_LEVEL. Gives the device an IO_TIMER (DEVICE_OBJECT.Timer) whose routine
    /// runs once a second at DISPATCH_LEVEL between IoStartTimer and IoStopTimer; a second call replaces the
    /// routine and context. STATUS_INSUFFICIENT_RESOURCES if the IO_TIMER cannot be allocated.
    /// </summary>
    internal NTSTATUS InitializeTimer(DEVICE_OBJECT device, IO_TIMER_ROUTINE routine, object? context)
    {
        CheckPassive();
        var module = _machine.Ke.CurrentModule();
        lock (_ioTimers)
        {
            var timer = _ioTimers.Find(t => t.Device == device);
            if (timer is null)
            {
                var block = AllocateNonPaged(IoTimerLayout.Size, TagIoTimer);
                if (block == 0)
                {
                    return NTSTATUS.STATUS_INSUFFICIENT_RESOURCES;
                }

                Mm.Fill(block, IoTimerLayout.Size, 0);
                Mm.Write(block + IoTimerLayout.Type, IO_TYPE.IO_TYPE_TIMER);
                Mm.Write(block + IoTimerLayout.DeviceObject, device.Address);
                Mm.Write(device.Address + DeviceObjectLayout.Timer, block);
                timer = new IoTimer(device, block);
                _ioTimers.Add(timer);
            }

            timer.Routine = routine;
            timer.Context = context;
            timer.Module = module;
            timer.RoutineName = routine.Method.Name;
            Mm.Write(timer.Block + IoTimerLayout.TimerRoutine, Thunks.Register(module, routine));
        }

        return NTSTATUS.STATUS_SUCCESS;
    }

    /// <summary>IoStartTimer: IRQL &lt;= DISPATCH_LEVEL; the device's timer routine runs from the next second on.</summary>
    internal void StartTimer(DEVICE_OBJECT device) => SetTimerFlag(device, 1);

    /// <summary>IoStopTimer: IRQL &lt;= DISPATCH_LEVEL; the routine is not called again (one already running finishes).</summary>
    internal void StopTimer(DEVICE_OBJECT device) => SetTimerFlag(device, 0);

    private void SetTimerFlag(DEVICE_OBJECT device, byte flag)
    {
        var block = Mm.Read<ulong>(device.Address + DeviceObjectLayout.Timer);
        if (block == 0)
        {
            // No IoInitializeTimer first: the routine reads DeviceObject->Timer, NULL, and faults.
            throw new NtException(NTSTATUS.STATUS_ACCESS_VIOLATION, IoTimerLayout.TimerFlag, write: true);
        }

        Mm.Write(block + IoTimerLayout.TimerFlag, flag);
        if (flag != 0)
        {
            ArmIoTimerClock();
        }
    }

    /// <summary>The I/O manager's one-second clock (IopTimerDispatch), armed while any device timer may run.</summary>
    private void ArmIoTimerClock()
    {
        lock (_ioTimers)
        {
            if (_ioTimerClockArmed)
            {
                return;
            }

            _ioTimerClockArmed = true;
        }

        var ke = _machine.Ke;
        KernelCore.InitializeTimer(_ioTimerClock, TIMER_TYPE.NotificationTimer);
        ke.InitializeDpc(_ioTimerDpc, (dpc, context, a1, a2) => RunIoTimers(), null, "IopTimerDispatch", _machine.Modules.Kernel);
        ke.SetTimer(_ioTimerClock, -10_000_000, 1000, _ioTimerDpc);
    }

    /// <summary>Once a second at DISPATCH_LEVEL: each started device timer's routine; the clock stops when none is started.</summary>
    private void RunIoTimers()
    {
        IoTimer[] timers;
        lock (_ioTimers)
        {
            timers = [.. _ioTimers];
        }

        var thread = _machine.Ke.CurrentThread;
        var started = 0;
        foreach (var timer in timers)
        {
            if (Mm.Read<byte>(timer.Block + IoTimerLayout.TimerFlag) == 0 || timer.Routine is not { } routine)
            {
                continue;
            }

            started++;
            var module = timer.Module ?? _machine.Modules.Kernel;
            thread.PushFrame(new CallFrame(module, module.RoutineAddress(timer.RoutineName), timer.RoutineName));
            try
            {
                routine(timer.Device, timer.Context);
            }
            finally
            {
                thread.PopFrame();
            }
        }

        if (started == 0)
        {
            lock (_ioTimers)
            {
                _ioTimerClockArmed = false;
            }

            _machine.Ke.CancelTimer(_ioTimerClock);
        }
    }

    /// <summary>IoDeleteDevice: the device's IO_TIMER goes with it.</summary>
    private void DeleteIoTimer(DEVICE_OBJECT device)
    {
        IoTimer? timer;
        lock (_ioTimers)
        {
            timer = _ioTimers.Find(t => t.Device == device);
            if (timer is null)
            {
                return;
            }

            _ioTimers.Remove(timer);
        }

        Mm.Write(device.Address + DeviceObjectLayout.Timer, 0UL);
        FreePool(timer.Block);
    }
}
