using SharpNT.Cli;
using SharpNT.Kernel.Ke;
using SharpNT.Kernel.Pnp;
using SharpNT.Kernel.Tests.Win32;
using SharpNT.Programs;
using SharpNT.Win32;
using static SharpNT.Win32.Cfgmgr32;
using static SharpNT.Win32.Kernel32;
using static SharpNT.Win32.WinBase;

namespace SharpNT.Kernel.Tests.Pnp;

public sealed class UserModePnpTests
{
    [Fact]
    public void Toast_finds_the_toaster_by_its_interface_and_makes_toast_through_the_whole_stack()
    {
        using var m = new PnpMachine();
        m.Plug();
        var toaster = Assert.Single(m.Toasters);
        Assert.Equal(0u, m.Run(new ToastProgram(), "Administrator", "3"));
        Assert.Contains($@"toast: found \\?\{toaster.InstancePath.Replace('\\', '#')}#{{781ef630-72b2-11d2-b852-00c04fad5171}}", m.Console, StringComparison.Ordinal);
        Assert.Contains("the toaster has made 3 toast(s)", m.Console, StringComparison.Ordinal);

        // Both filters saw the IOCTL on its way to toaster.sys.
        m.Machine.Run(() =>
        {
            var stack = m.Pnp.StackOf(toaster);
            Assert.Equal(1, Ddi.Wdm.IoGetDeviceExtension<Drivers.Toaster.ToasterFilterDriver.FilterData>(stack[0]).Passed[SharpNT.Kernel.Io.IRP_MJ.IRP_MJ_DEVICE_CONTROL]);
        });
    }

    [Fact]
    public void Toast_without_a_toaster_says_so()
    {
        using var m = new PnpMachine();
        Assert.Equal(2u, m.Run(new ToastProgram(), "user"));
        Assert.Contains("no toaster is plugged in", m.Console, StringComparison.Ordinal);
    }

    [Fact]
    public void Enum_plugs_and_unplugs_toasters_from_user_mode()
    {
        using var m = new PnpMachine();
        Assert.Equal(0u, m.Run(new EnumProgram(), "Administrator", "-p", "7"));
        m.Machine.Run(() => m.Pnp.SynchronizeDeviceEventQueue());
        var toaster = Assert.Single(m.Toasters);
        Assert.EndsWith("&07", toaster.InstancePath, StringComparison.Ordinal);
        Assert.Equal(0x57u, m.Run(new EnumProgram(), "Administrator", "-p", "7"));
        Assert.Equal(0u, m.Run(new EnumProgram(), "Administrator", "-u", "7"));
        m.Machine.Run(() => m.Pnp.SynchronizeDeviceEventQueue());
        Assert.Empty(m.Toasters);
    }

    [Fact]
    public void CM_Get_Device_Interface_List_answers_sizes_small_buffers_flags_and_unknown_devices_as_documented()
    {
        using var m = new PnpMachine();
        m.Plug();
        m.Plug();
        var first = m.Toasters[0];
        uint size = 0, small = 0, flag = 0, unknown = 0, one = 0;
        IReadOnlyList<string> all = [], mine = [];
        Assert.Equal(0u, m.Run(new TestProgram(_ =>
        {
            var guid = ToastProgram.GUID_DEVINTERFACE_TOASTER;
            Assert.Equal(CR_SUCCESS, CM_Get_Device_Interface_List_Size(out size, guid, null, CM_GET_DEVICE_INTERFACE_LIST_PRESENT));
            var buffer = VirtualAlloc(0, 0x2000, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
            small = CM_Get_Device_Interface_List(guid, null, buffer, size - 1, 0);
            Assert.Equal(CR_SUCCESS, CM_Get_Device_Interface_List(guid, null, buffer, size, 0));
            all = ReadMultiString(buffer);
            flag = CM_Get_Device_Interface_List(guid, null, buffer, size, 0x10);
            unknown = CM_Get_Device_Interface_List(guid, @"ROOT\NOSUCH\0000", buffer, size, 0);
            one = CM_Get_Device_Interface_List(guid, first.InstancePath, buffer, size, 0);
            mine = ReadMultiString(buffer);
            return 0;
        }), "user"));

        Assert.Equal(2, all.Count);
        Assert.Equal((uint)(all.Sum(s => s.Length + 1) + 1), size);
        Assert.All(all, s => Assert.StartsWith(@"\\?\", s, StringComparison.Ordinal));
        Assert.Equal(CR_BUFFER_SMALL, small);
        Assert.Equal(CR_INVALID_FLAG, flag);
        Assert.Equal(CR_NO_SUCH_DEVNODE, unknown);
        Assert.Equal(CR_SUCCESS, one);
        Assert.Equal([all[0]], mine);
    }

    [Fact]
    public void Unplugging_a_toaster_a_program_is_waiting_on_ends_the_wait_and_the_program_closes_its_handle()
    {
        using var m = new PnpMachine();
        m.Plug();
        var toaster = Assert.Single(m.Toasters);
        var exit = m.Machine.Run(() =>
        {
            var process = ProgramHost.Start(m.Machine, new ToastProgram(), ["1", "--wait"], "user");

            // Let the program reach its wait, then pull the toaster out.
            while (!m.Console.Contains("waiting for the next toast", StringComparison.Ordinal))
            {
                m.Machine.Ke.Delay(KPROCESSOR_MODE.KernelMode, false, -10_000);
            }

            PnpHost.Unplug(m.Machine, 1);
            var code = ProgramHost.Wait(m.Machine, process);
            m.Pnp.SynchronizeDeviceEventQueue();
            return code;
        });

        Assert.Equal(2u, exit);
        Assert.Contains("the wait ended, GetLastError() = 2", m.Console, StringComparison.Ordinal);
        Assert.Equal(PNP_DEVNODE_STATE.DeviceNodeDeleted, toaster.State);
        Assert.Null(m.Machine.Io.FindDriver("toaster"));
    }

    [Theory]
    [InlineData(1ul)]
    [InlineData(2ul)]
    [InlineData(3ul)]
    public void Plugging_and_pulling_toasters_under_programs_in_parallel_mode_ends_with_every_stack_gone(ulong seed)
    {
        using var m = new PnpMachine(seed: seed, mode: SchedulingMode.Parallel);
        m.Plug();
        m.Plug();
        m.Plug();
        var exits = m.Machine.Run(() =>
        {
            var programs = Enumerable.Range(0, 3).Select(_ => ProgramHost.Start(m.Machine, new ToastProgram(), ["1", "--wait"], "user")).ToList();
            while (m.Console.Split("waiting for the next toast").Length < 4)
            {
                m.Machine.Ke.Delay(KPROCESSOR_MODE.KernelMode, false, -10_000);
            }

            PnpHost.Unplug(m.Machine, 0);
            var codes = programs.Select(p => ProgramHost.Wait(m.Machine, p)).ToList();
            m.Pnp.SynchronizeDeviceEventQueue();
            return codes;
        });

        // Each program waits on the first toaster; a later one's toast pops an earlier one's wait (exit 0). The last
        // waits are ended by the unplug (ERROR_FILE_NOT_FOUND).
        Assert.All(exits, e => Assert.True(e is 0 or 2, $"exit {e}"));
        Assert.Contains(2u, exits);
        Assert.Empty(m.Toasters);
        Assert.Null(m.Machine.Io.FindDriver("toaster"));
        Assert.Equal(PNP_DEVNODE_STATE.DeviceNodeStarted, m.Node(PnpHost.BusInstancePath).State);
    }

    [Fact]
    public void Eject_removes_a_toaster_safely_as_SYSTEM_and_is_vetoed_while_a_program_holds_it_open()
    {
        using var m = new PnpMachine();
        m.Plug();
        var toaster = Assert.Single(m.Toasters);
        Assert.Equal(1314u, m.Run(new EjectProgram(), "Administrator", toaster.InstancePath));

        var exit = m.Machine.Run(() =>
        {
            var holder = ProgramHost.Start(m.Machine, new ToastProgram(), ["1", "--wait"], "user");
            while (!m.Console.Contains("waiting for the next toast", StringComparison.Ordinal))
            {
                m.Machine.Ke.Delay(KPROCESSOR_MODE.KernelMode, false, -10_000);
            }

            var vetoed = ProgramHost.Run(m.Machine, new EjectProgram(), [toaster.InstancePath], "SYSTEM");
            Assert.Equal(PNP_DEVNODE_STATE.DeviceNodeStarted, toaster.State);
            PnpHost.Unplug(m.Machine, 1);
            ProgramHost.Wait(m.Machine, holder);
            return vetoed;
        });
        Assert.Equal(683u, exit);
        Assert.Contains($"vetoed: PNP_VetoOutstandingOpen by {toaster.InstancePath}", m.Console, StringComparison.Ordinal);

        // Plugged in again, and nothing holding it: the removal goes through; the toaster stays on the bus, removed.
        m.Plug();
        var again = Assert.Single(m.Toasters);
        Assert.Equal(0u, m.Run(new EjectProgram(), "SYSTEM", again.InstancePath));
        Assert.Contains("can be removed safely now", m.Console, StringComparison.Ordinal);
        Assert.Equal(PNP_DEVNODE_STATE.DeviceNodeRemoved, again.State);
        Assert.Equal([@"\Driver\busenum"], m.Stack(again));
        Assert.Equal(2u, m.Run(new ToastProgram(), "user"));
    }

    [Fact]
    public void Pnpwatch_gets_arrivals_and_removals_from_the_event_queue_as_SYSTEM_only()
    {
        using var m = new PnpMachine();
        Assert.Equal(1314u, m.Run(new PnpWatchProgram(), "Administrator"));

        // The queue holds the bus's arrival from boot; then a toaster arrives and leaves.
        m.Plug();
        m.Unplug(1);
        Assert.Equal(0u, m.Run(new PnpWatchProgram(), "SYSTEM", "3"));
        var lines = m.Console.Split('\n').Where(l => l.StartsWith("pnpwatch: interface", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, lines.Count);
        Assert.Contains("arrival {d35f7840-6a0c-11d2-b841-00c04fad5171}", lines[0], StringComparison.Ordinal);
        Assert.Contains("arrival {781ef630-72b2-11d2-b852-00c04fad5171}", lines[1], StringComparison.Ordinal);
        Assert.Contains("removal {781ef630-72b2-11d2-b852-00c04fad5171}", lines[2], StringComparison.Ordinal);
    }
}
