using SharpNT.Cli;
using SharpNT.Kernel.Io;
using SharpNT.Kernel.Ke;
using SharpNT.Kernel.Ps;
using SharpNT.Kernel.Tests.Win32;
using SharpNT.Win32;
using static SharpNT.Kernel.Ddi.Wdm;
using static SharpNT.Kernel.NTSTATUS;

namespace SharpNT.Kernel.Tests.Ps;

/// <summary>Process and thread notify routines: what drivers hear of user processes and threads, and a refusal.</summary>
public sealed class NotifyRoutineTests
{
    private const string Driver = "notify.sys";

    private static void AsDriver(Machine machine, Action body) => machine.Run(() => TestMachines.AsDriver(machine, Driver, "DriverEntry", body));

    private static TestProgram TwoThreads() => new(args =>
    {
        var worker = Kernel32.CreateThread(0, 0, static parameter => 7, 0, 0, out _);
        Kernel32.WaitForSingleObject(worker, WinBase.INFINITE);
        return 3;
    }, "twothreads");

    [Fact]
    public void Drivers_hear_of_a_process_and_its_threads_from_creation_to_exit_in_order()
    {
        using var m = new UserModeMachine();
        var log = new List<string>();
        AsDriver(m.Machine, () =>
        {
            Assert.Equal(STATUS_SUCCESS, PsSetCreateProcessNotifyRoutineEx((process, id, info) =>
            {
                lock (log)
                {
                    log.Add(info is null
                        ? $"process exit {id.Value} from {KeGetCurrentThread().Machine.Ke.CurrentModule().Name}"
                        : $"process create {id.Value} {info.ImageFileName} '{info.CommandLine}' parent {info.ParentProcessId.Value} at IRQL {KeGetCurrentIrql()} apcs off {KeAreApcsDisabled()}");
                }
            }, false));
            Assert.Equal(STATUS_SUCCESS, PsSetCreateThreadNotifyRoutine((pid, tid, create) =>
            {
                lock (log)
                {
                    log.Add($"thread {(create ? "create" : "exit")} {pid.Value}");
                }
            }));
        });

        Assert.Equal(3u, m.Run(TwoThreads(), "x"));
        var pid = log[0].Split(' ')[2];
        Assert.Equal($"process create {pid} twothreads.exe 'twothreads.exe x' parent 4 at IRQL 0 apcs off True", log[0]);
        Assert.Equal(
            [$"thread create {pid}", $"thread create {pid}", $"thread exit {pid}", $"thread exit {pid}", $"process exit {pid} from {Driver}"],
            log.Skip(1));
    }

    [Fact]
    public void A_routine_that_sets_CreationStatus_refuses_the_process_and_others_still_start()
    {
        using var m = new UserModeMachine();
        var seen = new List<string>();
        AsDriver(m.Machine, () => PsSetCreateProcessNotifyRoutineEx((process, id, info) =>
        {
            if (info is not null)
            {
                seen.Add(info.ImageFileName);
                if (info.ImageFileName == "denied.exe")
                {
                    info.CreationStatus = STATUS_ACCESS_DENIED;
                }
            }
        }, false));

        var refusal = m.Machine.Run(() =>
        {
            try
            {
                ProgramHost.Start(m.Machine, new TestProgram(_ => 0, "denied"), []);
                return STATUS_SUCCESS;
            }
            catch (NtException e)
            {
                return e.Status;
            }
        });
        Assert.Equal(STATUS_ACCESS_DENIED, refusal);
        Assert.DoesNotContain(m.Machine.Ps.ActiveProcesses, p => p.ImageFileName == "denied.exe");
        Assert.Equal(5u, m.Run(new TestProgram(_ => 5, "allowed")));
        Assert.Equal(["denied.exe", "allowed.exe"], seen);
    }

    [Fact]
    public void Registration_refuses_a_second_copy_removal_of_an_unknown_routine_and_a_65th_routine()
    {
        using var machine = TestMachines.Boot();
        var statuses = new List<NTSTATUS>();
        AsDriver(machine, () =>
        {
            PCREATE_PROCESS_NOTIFY_ROUTINE routine = (parent, id, create) => { };
            statuses.Add(PsSetCreateProcessNotifyRoutine(routine, false));
            statuses.Add(PsSetCreateProcessNotifyRoutine(routine, false));
            statuses.Add(PsSetCreateProcessNotifyRoutine(routine, true));
            statuses.Add(PsSetCreateProcessNotifyRoutine(routine, true));
            PCREATE_THREAD_NOTIFY_ROUTINE thread = (pid, tid, create) => { };
            statuses.Add(PsRemoveCreateThreadNotifyRoutine(thread));
            for (var i = 0; i < ProcessManager.MaxNotifyRoutines; i++)
            {
                var copy = i;
                Assert.Equal(STATUS_SUCCESS, PsSetCreateThreadNotifyRoutine((pid, tid, create) => GC.KeepAlive(copy)));
            }

            statuses.Add(PsSetCreateThreadNotifyRoutine(thread));
        });

        Assert.Equal([STATUS_SUCCESS, STATUS_INVALID_PARAMETER, STATUS_SUCCESS, STATUS_PROCEDURE_NOT_FOUND, STATUS_PROCEDURE_NOT_FOUND, STATUS_INVALID_PARAMETER], statuses);
    }

    private sealed class ForgetfulDriver : DriverImage
    {
        public override string ImageName => "forgetful.sys";

        public override NTSTATUS DriverEntry(DRIVER_OBJECT DriverObject, UNICODE_STRING RegistryPath)
        {
            // BUG: the routine is never removed, and the unload routine does not know about it.
            DriverObject.DriverUnload = _ => { };
            return PsSetCreateProcessNotifyRoutineEx(OnProcess, false);
        }

        private static void OnProcess(EPROCESS Process, HANDLE ProcessId, PS_CREATE_NOTIFY_INFO? CreateInfo)
        {
        }
    }

    [Fact]
    public void A_driver_that_unloads_with_its_notify_routine_registered_is_0xCE_at_the_next_process()
    {
        using var m = new UserModeMachine();
        m.Machine.Run(() =>
        {
            Assert.Equal(STATUS_SUCCESS, m.Machine.Io.LoadDriver(new ForgetfulDriver(), out var driver));
            m.Machine.Io.UnloadDriver(driver);
        });

        var e = Assert.Throws<BugCheckException>(() => m.Run(new TestProgram(_ => 0, "next")));
        Assert.Equal(BugCheckCode.DRIVER_UNLOADED_WITHOUT_CANCELLING_PENDING_OPERATIONS, e.Code);
        Assert.Equal(8UL, e.Info.Parameters[1]);
        Assert.Equal("forgetful.sys", e.Info.FaultingModule);
    }
}
