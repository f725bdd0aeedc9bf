using SharpNT.Cli;
using SharpNT.Kernel.Ke;
using SharpNT.Kernel.Ps;
using SharpNT.Kernel.Tests.Win32;
using static SharpNT.Kernel.Ddi.Wdm;
using static SharpNT.Win32.Kernel32;
using static SharpNT.Win32.WinBase;

namespace SharpNT.Kernel.Tests.Ke;

/// <summary>
/// The kernel half of alerts and user APCs: KeAlertThread against kernel-mode waits, and KeInsertQueueApc of a
/// user-mode APC whose thread ends before it runs (the rundown routine instead of the routines).
/// </summary>
public sealed class AlertAndUserApcTests
{
    [Fact]
    public void A_kernel_mode_alert_ends_an_alertable_kernel_mode_wait_and_a_user_mode_alert_does_not()
    {
        using var machine = TestMachines.Boot(processors: 2);
        var (first, second, previous) = machine.Run(() =>
        {
            var evt = new KEVENT();
            KeInitializeEvent(evt, NotificationEvent, false);
            var statuses = new List<NTSTATUS>();
            var waiter = machine.Ke.CreateSystemThread(_ =>
            {
                for (var i = 0; i < 2; i++)
                {
                    var s = KeWaitForSingleObject(evt, Executive, KernelMode, true, new LARGE_INTEGER(-20 * 10_000L));
                    lock (statuses)
                    {
                        statuses.Add(s);
                    }
                }
            }, null, machine.Modules.Kernel, "Waiter");
            KeDelayExecutionThread(KernelMode, false, new LARGE_INTEGER(-10_000));

            // A user-mode alert cannot end a kernel-mode wait: it stays pending (and is not consumed by a kernel wait).
            var previousUser = machine.Ke.AlertThread(waiter, KPROCESSOR_MODE.UserMode);
            KeDelayExecutionThread(KernelMode, false, new LARGE_INTEGER(-10_000));
            machine.Ke.AlertThread(waiter, KPROCESSOR_MODE.KernelMode);
            KeWaitForSingleObject(waiter, Executive, KernelMode, false, null);
            return (statuses[0], statuses[1], previousUser);
        });
        Assert.Equal(NTSTATUS.STATUS_ALERTED, first);
        Assert.Equal(NTSTATUS.STATUS_TIMEOUT, second);
        Assert.False(previous);
    }

    [Fact]
    public void A_user_APC_whose_thread_ends_first_gets_its_rundown_routine_and_never_runs()
    {
        using var m = new UserModeMachine();
        var machine = m.Machine;
        var (ran, rundown) = machine.Run(() =>
        {
            var process = ProgramHost.Start(machine, new TestProgram(args =>
            {
                var never = CreateEvent(0, true, false, null);
                WaitForSingleObject(never, INFINITE);
                return 1;
            }), []);
            KeDelayExecutionThread(KernelMode, false, new LARGE_INTEGER(-10 * 10_000L));
            KTHREAD thread;
            lock (process.Threads)
            {
                thread = process.Threads[0];
            }

            var kernelRoutineRan = false;
            var rundownRan = false;
            var apc = new KAPC();
            machine.Ke.InitializeUserApc(apc, thread, (_, _) => kernelRoutineRan = true, _ => rundownRan = true,
                EPROCESS.UserCodeBase, 0, "TestUserApc");
            Assert.True(machine.Ke.InsertQueueApc(apc, 0, 0));

            // A second insertion of the same APC is refused while it is queued.
            Assert.False(machine.Ke.InsertQueueApc(apc));
            Assert.Equal(NTSTATUS.STATUS_SUCCESS, machine.Ob.OpenObjectByPointer(process, 0, null, AccessMask.PROCESS_TERMINATE,
                machine.Ob.ProcessType, KPROCESSOR_MODE.KernelMode, out var handle));
            machine.Ps.TerminateProcess(handle, (NTSTATUS)7, KPROCESSOR_MODE.KernelMode);
            machine.Ob.CloseHandle(handle, KPROCESSOR_MODE.KernelMode);
            Assert.Equal(7u, ProgramHost.Wait(machine, process));

            // The thread is gone: nothing more can be queued to it.
            Assert.False(machine.Ke.InsertQueueApc(apc));
            return (kernelRoutineRan, rundownRan);
        });
        Assert.False(ran);
        Assert.True(rundown);
    }
}
