using SharpNT.Kernel.Ke;
using static SharpNT.Kernel.Ddi.Wdm;

namespace SharpNT.Kernel.Tests.Ke;

public sealed class BugCheckTests
{
    [Fact]
    public void KeBugCheckEx_halts_the_machine_and_prints_the_classic_stop_line()
    {
        var console = new StringWriter();
        using var machine = TestMachines.Boot(console: console);
        var e = Assert.Throws<BugCheckException>(() => machine.Run(() =>
            TestMachines.AsDriver(machine, "crashy.sys", "CrashyDispatch", () => KeBugCheckEx(0xE2, 1, 2, 3, 4))));

        Assert.Equal(BugCheckCode.MANUALLY_INITIATED_CRASH, e.Code);
        var lines = console.ToString().Split('\n');
        Assert.Equal("*** STOP: 0x000000E2 (0x0000000000000001, 0x0000000000000002, 0x0000000000000003, 0x0000000000000004)", lines[0]);
        Assert.Equal("MANUALLY_INITIATED_CRASH", lines[1]);
        Assert.Contains("crashy.sys", console.ToString(), StringComparison.Ordinal);
        Assert.Equal("crashy.sys", e.Info.FaultingModule);
        Assert.True(machine.IsHalted);
        Assert.Throws<BugCheckException>(() => machine.Run(() => { }));
    }

    [Fact]
    public void A_bug_check_in_one_machine_leaves_other_machines_running()
    {
        using var crashing = TestMachines.Boot();
        using var healthy = TestMachines.Boot();
        Assert.Throws<BugCheckException>(() => crashing.Run(() => KeBugCheck(0xE2)));
        Assert.Equal(7, healthy.Run(() => 7));
        Assert.False(healthy.IsHalted);
    }

    [Fact]
    public void Many_machines_run_side_by_side_on_host_threads()
    {
        var results = new int[16];
        Parallel.For(0, results.Length, i =>
        {
            using var machine = TestMachines.Boot(seed: (ulong)i);
            results[i] = machine.Run(() =>
            {
                var evt = new KEVENT();
                KeInitializeEvent(evt, NotificationEvent, false);
                var t = machine.Ke.CreateSystemThread(_ => KeSetEvent(evt, IO_NO_INCREMENT, false), null, machine.Modules.Kernel, "Setter");
                KeWaitForSingleObject(evt, Executive, KernelMode, false, null);
                KeWaitForSingleObject(t, Executive, KernelMode, false, null);
                return i * 2;
            });
        });

        Assert.Equal(Enumerable.Range(0, 16).Select(i => i * 2), results);
    }

    [Fact]
    public void An_exception_escaping_a_DPC_is_KMODE_EXCEPTION_NOT_HANDLED_naming_the_driver()
    {
        using var machine = TestMachines.Boot();
        ulong routine = 0;
        var e = Assert.Throws<BugCheckException>(() => machine.Run(() =>
            TestMachines.AsDriver(machine, "buggy.sys", "DriverEntry", () =>
            {
                var dpc = new KDPC();
                string? nothing = null;
                KeInitializeDpc(dpc, BuggyDpc, null);
                routine = machine.Modules.Find("buggy.sys")!.RoutineAddress("BuggyDpc");
                KeInsertQueueDpc(dpc, nothing, null);

                static void BuggyDpc(KDPC dpc, object? context, object? a1, object? a2) => _ = ((string)a1!).Length;
            })));

        Assert.Equal(BugCheckCode.KMODE_EXCEPTION_NOT_HANDLED, e.Code);
        Assert.Equal((ulong)NTSTATUS.STATUS_ACCESS_VIOLATION, e.Info.Parameter1);
        Assert.Equal(routine, e.Info.Parameter2);
        Assert.Equal("buggy.sys", e.Info.FaultingModule);
    }

    [Fact]
    public void An_exception_escaping_a_system_thread_is_SYSTEM_THREAD_EXCEPTION_NOT_HANDLED()
    {
        using var machine = TestMachines.Boot();
        var module = machine.Modules.Load("worker.sys");
        var e = Assert.Throws<BugCheckException>(() => machine.Run(() =>
        {
            var t = machine.Ke.CreateSystemThread(_ => throw new DivideByZeroException(), null, module, "WorkerThread");
            KeWaitForSingleObject(t, Executive, KernelMode, false, null);
        }));

        Assert.Equal(BugCheckCode.SYSTEM_THREAD_EXCEPTION_NOT_HANDLED, e.Code);
        Assert.Equal((ulong)NTSTATUS.STATUS_INTEGER_DIVIDE_BY_ZERO, e.Info.Parameter1);
        Assert.Equal(module.RoutineAddress("WorkerThread"), e.Info.Parameter2);
        Assert.Equal("worker.sys", e.Info.FaultingModule);
    }

    [Fact]
    public void An_exception_handled_by_driver_code_is_not_a_bug_check()
    {
        using var machine = TestMachines.Boot();
        var status = machine.Run(() =>
        {
            try
            {
                ExRaiseStatus(NTSTATUS.STATUS_INSUFFICIENT_RESOURCES);
                return NTSTATUS.STATUS_SUCCESS;
            }
            catch (NtException ex)
            {
                return ex.Status;
            }
        });

        Assert.Equal(NTSTATUS.STATUS_INSUFFICIENT_RESOURCES, status);
        Assert.False(machine.IsHalted);
    }

    [Fact]
    public void The_crash_dump_records_processors_stack_modules_and_reads_back()
    {
        var path = Path.Combine(Path.GetTempPath(), $"sharpnt-dump-{Guid.NewGuid():N}.json");
        try
        {
            using var machine = TestMachines.Boot(processors: 2, dumpPath: path);
            Assert.Throws<BugCheckException>(() => machine.Run(() =>
                TestMachines.AsDriver(machine, "crashy.sys", "CrashyDispatch", () =>
                {
                    KeRaiseIrql(DISPATCH_LEVEL, out _);
                    KeBugCheckEx(0xE2, 0xA, 0xB, 0xC, 0xD);
                })));

            var dump = CrashDump.Read(path);
            Assert.Equal(0xE2u, dump.Code);
            Assert.Equal(new ulong[] { 0xA, 0xB, 0xC, 0xD }, dump.Parameters);
            Assert.Equal("MANUALLY_INITIATED_CRASH", dump.Name);
            Assert.Equal(2, dump.Processors.Count);
            Assert.Contains(dump.Processors, p => p.Irql == DISPATCH_LEVEL && p.CurrentThread is not null);
            Assert.Equal("CrashyDispatch", dump.Stack[0].Routine);
            Assert.Equal("crashy.sys", dump.Stack[0].Module);
            Assert.Contains(dump.Modules, m => m.Name == "ntoskrnl.exe");
            Assert.Contains(dump.Modules, m => m.Name == "crashy.sys");
            Assert.Equal("crashy.sys", dump.FaultingModule);
            Assert.StartsWith("*** STOP: 0x000000E2", dump.BlueScreen, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_file_that_is_not_a_dump_is_refused_with_a_clear_error()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "{ \"hello\": 1 }");
            var e = Assert.Throws<InvalidDataException>(() => CrashDump.Read(path));
            Assert.Contains("not a SharpNT crash dump", e.Message, StringComparison.Ordinal);
            File.WriteAllText(path, "{ not json");
            Assert.Throws<InvalidDataException>(() => CrashDump.Read(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void An_exception_escaping_while_serving_a_system_service_is_SYSTEM_SERVICE_EXCEPTION()
    {
        using var machine = TestMachines.Boot();
        var module = machine.Modules.Load("svc.sys");
        var e = Assert.Throws<BugCheckException>(() => machine.Run(() =>
        {
            // What the system service dispatcher marks while a thread serves a call from user mode.
            var thread = KTHREAD.Current!;
            thread.InSystemService = true;
            TestMachines.AsDriver(machine, "svc.sys", "SvcDeviceControl", () => throw new NtException(NTSTATUS.STATUS_ACCESS_VIOLATION, 0x10, write: false));
        }));

        Assert.Equal(BugCheckCode.SYSTEM_SERVICE_EXCEPTION, e.Code);
        Assert.Equal((ulong)NTSTATUS.STATUS_ACCESS_VIOLATION, e.Info.Parameter1);
        Assert.Equal(module.RoutineAddress("SvcDeviceControl"), e.Info.Parameter2);
        Assert.Equal("svc.sys", e.Info.FaultingModule);
    }
}
