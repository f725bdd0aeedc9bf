using SharpNT.Kernel.Ke;
using SharpNT.Programs;
using SharpNT.Win32;
using static SharpNT.Win32.Kernel32;
using static SharpNT.Win32.WinBase;

namespace SharpNT.Kernel.Tests.Win32;

public sealed class ProcessTests
{
    [Fact]
    public void Hello_prints_through_the_console_driver_and_exits_0()
    {
        using var m = new UserModeMachine();
        var exit = m.Run(new HelloProgram(), "one", "two words");
        Assert.Equal(0u, exit);
        Assert.Contains("Hello from user mode", m.Console, StringComparison.Ordinal);
        Assert.Contains("argv[1] = one", m.Console, StringComparison.Ordinal);
        Assert.Contains("argv[2] = two words", m.Console, StringComparison.Ordinal);
    }

    [Fact]
    public void Programs_are_compiled_against_the_Win32_surface_alone()
    {
        var references = typeof(HelloProgram).Assembly.GetReferencedAssemblies().Select(a => a.Name).ToList();
        Assert.Contains("SharpNT.Win32", references);
        Assert.DoesNotContain("SharpNT.Kernel", references);
        Assert.DoesNotContain("SharpNT.Drivers", references);
    }

    [Fact]
    public void A_bad_pointer_ends_only_its_process_with_STATUS_ACCESS_VIOLATION()
    {
        using var m = new UserModeMachine();
        Assert.Equal(0xC0000005u, m.Run(new CrashProgram()));
        Assert.False(m.Machine.IsHalted);
        Assert.Equal(0u, m.Run(new IoctlProgram()));
        Assert.Contains("all four methods answered as documented", m.Console, StringComparison.Ordinal);
    }

    [Fact]
    public void A_crashing_program_and_a_working_one_run_side_by_side()
    {
        using var m = new UserModeMachine();
        var exits = m.RunTogether(new CrashProgram(), new IoctlProgram(), new HelloProgram());
        Assert.Equal([0xC0000005u, 0u, 0u], exits);
        Assert.Empty(m.Machine.Ps.ActiveProcesses);
    }

    [Fact]
    public void Unhandled_exceptions_end_the_process_with_their_NT_code()
    {
        using var m = new UserModeMachine();
        var zero = 0;
        Assert.Equal(0xC0000094u, m.Run(new TestProgram(_ => 1 / zero)));
        Assert.Equal(0xE0434352u, m.Run(new TestProgram(_ => throw new InvalidOperationException("managed"))));
    }

    [Fact]
    public void ExitProcess_ends_the_process_with_its_code()
    {
        using var m = new UserModeMachine();
        Assert.Equal(42u, m.Run(new TestProgram(_ =>
        {
            ExitProcess(42);
            return 1;
        })));
    }

    [Fact]
    public void A_program_handles_its_own_access_violation_with_the_faulting_address()
    {
        using var m = new UserModeMachine();
        SehException? caught = null;
        var exit = m.Run(new TestProgram(_ =>
        {
            try
            {
                // Kernel memory is not user-accessible even though it is mapped.
                Memory.Write<byte>(0xFFFFFA80_04000000UL, 1);
            }
            catch (SehException e)
            {
                caught = e;
            }

            return 0;
        }));
        Assert.Equal(0u, exit);
        Assert.NotNull(caught);
        Assert.Equal(SehException.EXCEPTION_ACCESS_VIOLATION, caught.ExceptionCode);
        Assert.Equal(0xFFFFFA80_04000000UL, caught.Address);
        Assert.True(caught.IsWrite);
    }

    [Fact]
    public void Each_process_has_its_own_user_memory()
    {
        using var m = new UserModeMachine();
        const ulong At = 0x2000_0000;
        var seen = new byte[2];
        var gate = 0;
        Win32Program Writer(byte value, int index) => new TestProgram(_ =>
        {
            var p = VirtualAlloc(At, 0x1000, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
            Assert.Equal(At, p);
            Memory.Write(p, value);
            Interlocked.Increment(ref gate);
            while (Volatile.Read(ref gate) < 2)
            {
                Sleep(1);
            }

            seen[index] = Memory.Read<byte>(p);
            return 0;
        });
        Assert.Equal([0u, 0u], m.RunTogether(Writer(0xAA, 0), Writer(0x55, 1)));
        Assert.Equal([0xAA, 0x55], seen);
    }

    [Fact]
    public void Exiting_closes_every_handle_so_the_driver_sees_cleanup_then_close()
    {
        using var m = new UserModeMachine();
        var recorder = new RecordingDriver();
        m.Machine.Run(() => Assert.Equal(NTSTATUS.STATUS_SUCCESS, m.Machine.Io.LoadDriver(recorder, out _)));
        var exit = m.Run(new TestProgram(_ =>
        {
            var h = CreateFile(@"\\.\Recorder", GENERIC_READ, 0, 0, OPEN_EXISTING, 0, 0);
            return h == INVALID_HANDLE_VALUE ? (int)GetLastError() : 0;
        }));
        Assert.Equal(0u, exit);
        Assert.Equal(["IRP_MJ_CREATE", "IRP_MJ_CLEANUP", "IRP_MJ_CLOSE"], recorder.Majors);
    }

    [Fact]
    public void Reads_left_in_flight_are_cancelled_and_waited_for_when_the_process_exits()
    {
        using var m = new UserModeMachine();
        Assert.Equal(0u, m.Run(new PendingIoProgram(), "--leave", "4"));
        Assert.Contains("exiting with 4 read(s) in flight", m.Console, StringComparison.Ordinal);
        Assert.Empty(m.Machine.Ps.ActiveProcesses);
        Assert.All(m.Machine.Ke.SnapshotThreads().Where(t => t.Kind == ThreadKind.User), t => Assert.Empty(t.PendingIrps));
    }

    [Fact]
    public void The_same_seed_gives_the_same_interleaving_of_programs()
    {
        string Run(ulong seed)
        {
            using var m = new UserModeMachine(seed);
            m.RunTogether(new HelloProgram(), new IoctlProgram(), new HelloProgram());
            return m.Console;
        }

        Assert.Equal(Run(7), Run(7));
    }

    [Fact]
    public void Programs_run_in_parallel_mode_too()
    {
        using var m = new UserModeMachine(mode: SchedulingMode.Parallel);
        Assert.Equal([0u, 0u, 0xC0000005u], m.RunTogether(new IoctlProgram(), new PendingIoProgram(), new CrashProgram()));
    }
}
