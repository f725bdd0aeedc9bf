using System.Globalization;
using System.Text.RegularExpressions;
using SharpNT.Kernel.Io.Layout;
using SharpNT.Kernel.Kd;
using SharpNT.Kernel.Vf;
using SharpNT.Kernel.Ke;
using static SharpNT.Kernel.Ddi.Wdm;

namespace SharpNT.Kernel.Tests.Kd;

/// <summary>The debugger engine against a live machine: each command's WinDbg shape, with the machine's real values.</summary>
public sealed class KernelDebuggerTests
{
    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public void Devstack_lists_filter_over_function_over_lower_with_their_drivers_and_addresses()
    {
        using var m = DebuggerMachine.Boot();
        var lines = Lines(m.Live().Execute(@"!devstack \Device\SampleFunction"));

        // Golden: the managed sample drivers keep typed extensions, so DeviceExtension is NULL in each DEVICE_OBJECT.
        Assert.Equal(
            [
                "  !DevObj           !DrvObj            !DevExt           ObjectName",
                $@"  {m.Filter:x16}  \Driver\samplefilter 00000000          SampleFilter",
                $@"> {m.Function:x16}  \Driver\samplefn   00000000          SampleFunction",
                $@"  {m.Lower:x16}  \Driver\samplelower 00000000          SampleLower",
            ],
            lines);

        // By address, the marker follows the device asked about; the stack is the same.
        var byAddress = Lines(m.Live().Execute($"!devstack {m.Lower:x}"));
        Assert.StartsWith($"> {m.Lower:x16}", byAddress[3], StringComparison.Ordinal);
        Assert.StartsWith($"  {m.Function:x16}", byAddress[2], StringComparison.Ordinal);
    }

    [Fact]
    public void Devobj_shows_the_DEVICE_OBJECT_fields_its_driver_and_the_devices_above_and_below()
    {
        using var m = DebuggerMachine.Boot();
        var f = m.FunctionFields;
        var lines = Lines(m.Live().Execute($"!devobj {m.Function:x}"));

        Assert.Equal($"Device object ({m.Function:x16}) is for:", lines[0]);
        Assert.Equal($@" SampleFunction \Driver\samplefn DriverObject {f.DriverObject:x16}", lines[1]);
        Assert.Equal(string.Create(CultureInfo.InvariantCulture, $"Current Irp 00000000 RefCount {f.RefCount} Type {f.Type:x8} Flags {f.Flags:x8}"), lines[2]);
        Assert.EndsWith($"StackSize {f.StackSize}", lines[3], StringComparison.Ordinal);
        Assert.Equal(2, f.StackSize);
        Assert.Contains($"Flags (0x{f.Flags:x8})  DO_DEVICE_HAS_NAME", lines, StringComparer.Ordinal);
        Assert.Contains($@"AttachedDevice (Upper) {m.Filter:x16} \Driver\samplefilter", lines, StringComparer.Ordinal);
        Assert.Contains($@"AttachedTo (Lower) {m.Lower:x16} \Driver\samplelower", lines, StringComparer.Ordinal);
        Assert.Equal("Device queue is not busy.", lines[^1]);

        // The same device by name.
        Assert.Equal(m.Live().Execute($"!devobj {m.Function:x}"), m.Live().Execute(@"!devobj \Device\SampleFunction"));
    }

    [Fact]
    public void Drvobj_lists_the_devices_and_with_flag_2_the_entry_points_and_dispatch_routines_by_name()
    {
        using var m = DebuggerMachine.Boot();
        var kd = m.Live();

        var basic = Lines(kd.Execute(@"!drvobj \Driver\samplefn"));
        Assert.Equal($"Driver object ({m.FunctionDriver:x16}) is for:", basic[0]);
        Assert.Equal(@" \Driver\samplefn", basic[1]);
        Assert.Equal(m.Function.ToString("x16", CultureInfo.InvariantCulture), basic[^1]);
        Assert.DoesNotContain("Dispatch routines:", basic);

        var full = Lines(kd.Execute("!drvobj samplefn 3"));
        Assert.Contains(full, l => l.StartsWith("DriverEntry:   ", StringComparison.Ordinal) && l.EndsWith("\tsamplefn!DriverEntry", StringComparison.Ordinal));
        Assert.Contains(full, l => l.StartsWith("DriverUnload:  ", StringComparison.Ordinal) && l.EndsWith("\tsamplefn!SampleFnUnload", StringComparison.Ordinal));
        Assert.Contains("DriverStartIo: 00000000\t", full);
        Assert.Equal(28, full.Count(l => l.StartsWith('[')));
        Assert.Matches(@"^\[0e\] IRP_MJ_DEVICE_CONTROL +fffff880[0-9a-f]{8}\tsamplefn!SampleFnDeviceControl$", full.Single(l => l.StartsWith("[0e]", StringComparison.Ordinal)));

        // A major function the driver leaves alone points at the I/O manager's IopInvalidDeviceRequest.
        var pend = Lines(kd.Execute(@"!drvobj pendtimer 2"));
        Assert.EndsWith("\tpendtimer!PendRead", pend.Single(l => l.StartsWith("[03] IRP_MJ_READ", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.EndsWith("\tnt!IopInvalidDeviceRequest", pend.Single(l => l.StartsWith("[0e] IRP_MJ_DEVICE_CONTROL", StringComparison.Ordinal)), StringComparison.Ordinal);
    }

    [Fact]
    public void Irp_on_a_pended_read_marks_the_current_stack_location_with_its_device_driver_and_pending_bit()
    {
        using var m = DebuggerMachine.Boot();
        var (irp, stackCount, current, device, control) = m.Pended[0];
        var text = m.Live().Execute($"!irp {irp:x}");
        var lines = text.Split('\n');

        var currentAddress = irp + IrpLayout.Size + ((ulong)(current - 1) * IoStackLocationLayout.Size);
        Assert.Equal($"Irp is active with {stackCount} stacks {current} is current (= 0x{currentAddress:x16})", lines[0]);
        Assert.Matches(@"^ No Mdl: System buffer=[0-9a-f]{16}: Thread [0-9a-f]{16}:  Irp stack trace\.", lines[1]);
        Assert.Equal("     cmd  flg cl Device   File     Completion-Context", lines[2]);

        // Four lines per stack location, in array order; '>' only at the current one.
        var headers = lines.Select((l, i) => (l, i)).Where(x => x.l.StartsWith('>') || x.l.StartsWith(" [", StringComparison.Ordinal)).ToList();
        Assert.Equal(stackCount, headers.Count);
        var marked = Assert.Single(headers, h => h.l.StartsWith('>'));
        Assert.Equal(current - 1, headers.IndexOf(marked));
        Assert.Equal(">[IRP_MJ_READ(3), N/A(0)]", marked.l);
        Assert.Equal(1, control & 1);
        Assert.Matches($@"^ +0 +1 {device:x16} [0-9a-f]+ 00000000-00000000    pending$", lines[marked.i + 1]);
        Assert.Equal(device, m.PendDevice);
        Assert.Equal("\t       \\Driver\\pendtimer\t", lines[marked.i + 2]);
        Assert.Equal("\t\t\tArgs: 00000001 00000000 00000000 00000000", lines[marked.i + 3]);

        // Locations below the current one (if the IRP has more than its device needs) are empty.
        Assert.All(headers.Take(current - 1), h => Assert.Equal(" [N/A(0), N/A(0)]", h.l));
        Assert.DoesNotContain("CancelRoutine: 00000000", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Irp_with_spare_locations_shows_them_empty_below_the_current_one_and_the_completion_routine_at_it()
    {
        using var m = DebuggerMachine.Boot();
        var (irp, stackCount, current, device, _) = m.Deep;
        Assert.Equal(8, stackCount);
        var lines = m.Live().Execute($"!irp {irp:x}").Split('\n');

        Assert.StartsWith($"Irp is active with 8 stacks {current} is current", lines[0], StringComparison.Ordinal);
        var headers = lines.Select((l, i) => (l, i)).Where(x => x.l.StartsWith('>') || x.l.StartsWith(" [", StringComparison.Ordinal)).ToList();
        Assert.Equal(8, headers.Count);
        Assert.All(headers.Take(current - 1), h => Assert.Equal(" [N/A(0), N/A(0)]", h.l));
        var marked = headers[current - 1];
        Assert.Equal(">[IRP_MJ_READ(3), N/A(0)]", marked.l);
        Assert.Matches($@"^ +0 e1 {device:x16} 00000000 fffff880[0-9a-f]{{8}}-00000000    Success Error Cancel pending$", lines[marked.i + 1]);
        Assert.Equal("\t       \\Driver\\pendtimer\tkdclient!KdClientCompletion", lines[marked.i + 2]);
    }

    [Fact]
    public void Irpfind_finds_both_pended_reads_at_the_pendtimer_device()
    {
        using var m = DebuggerMachine.Boot();
        var text = m.Live().Execute("!irpfind");
        foreach (var (irp, _, _, device, _) in m.Pended)
        {
            Assert.Matches($@"(?m)^{irp:x16} \[[0-9a-f ]{{16}}\] irpStack: \( 3, 0\)  {device:x16} \[\\Driver\\pendtimer\]$", text);
        }
    }

    [Fact]
    public void Object_lists_a_directory_shows_a_links_target_and_finds_an_object_by_address()
    {
        using var m = DebuggerMachine.Boot();
        var kd = m.Live();

        var device = kd.Execute(@"!object \Device");
        Assert.Matches(@"^Object: [0-9a-f]{16}  Type: \([0-9a-f]{16}\) Directory\n    ObjectHeader: [0-9a-f]{16} \(new version\)\n", device);
        Assert.Contains("    Directory Object: ", device, StringComparison.Ordinal);
        Assert.Contains("Name: Device\n", device, StringComparison.Ordinal);
        foreach (var (address, name) in new[] { (m.Filter, "SampleFilter"), (m.Function, "SampleFunction"), (m.Lower, "SampleLower"), (m.PendDevice, "PendingTimer") })
        {
            Assert.Matches($@"(?m)^     \d\d  {address:x16} Device {{20}}{name}$", device);
        }

        var link = kd.Execute(@"!object \??\Sample");
        Assert.Contains(") SymbolicLink\n", link, StringComparison.Ordinal);
        Assert.Contains(@"    Target String is '\Device\SampleFilter'", link, StringComparison.Ordinal);

        var byAddress = kd.Execute($"!object {m.Function:x}");
        Assert.StartsWith($"Object: {m.Function:x16}  Type: (", byAddress, StringComparison.Ordinal);
        Assert.Contains(") Device\n", byAddress, StringComparison.Ordinal);
        Assert.Contains("Name: SampleFunction\n", byAddress, StringComparison.Ordinal);

        Assert.Matches(@"(?m)^     \d\d  [0-9a-f]{16} Directory {17}Device$", kd.Execute(@"!object \"));
        Assert.Equal("Object \\Nope not found\n", kd.Execute(@"!object \Nope"));
    }

    [Fact]
    public void Pool_walks_the_page_of_an_IRP_and_marks_its_block_with_the_Irp_tag()
    {
        using var m = DebuggerMachine.Boot();
        var irp = m.Pended[0].Irp;
        var lines = Lines(m.Live().Execute($"!pool {irp:x}"));

        Assert.Equal($"Pool page {irp:x16} region is Nonpaged pool", lines[0]);
        var block = Assert.Single(lines, l => l.StartsWith('*'));
        Assert.StartsWith($"*{irp - 0x10:x16} size: ", block, StringComparison.Ordinal);
        Assert.EndsWith("(Allocated) *Irp ", block, StringComparison.Ordinal);
        var size = ulong.Parse(Regex.Match(block, @"size: +([0-9a-f]+)").Groups[1].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        Assert.True(size >= 0x10UL + IrpLayout.IoSizeOfIrp(m.Pended[0].StackCount), block);
        Assert.Equal("\t\tPooltag Irp  : Io, IRP packets", lines[Array.IndexOf(lines, block) + 1]);
        var units = size / 16;
        var previous = ulong.Parse(Regex.Match(block, @"previous size: +([0-9a-f]+)").Groups[1].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture) / 16;
        Assert.Equal($"\t\tPOOL_HEADER: PreviousSize 0x{previous:x2} PoolIndex 0x00 BlockSize 0x{units:x2} PoolType 0x01 (NonPagedPool) PoolTag 0x20707249 ProcessBilled 00000000",
            lines[Array.IndexOf(lines, block) + 2]);

        // Every block of the page is listed, each header's size leading to the next block.
        var blocks = lines.Skip(1).Where(l => l.Contains(" size: ", StringComparison.Ordinal)).ToList();
        Assert.True(blocks.Count > 1);
        ulong expected = irp & ~0xFFFUL;
        foreach (var b in blocks)
        {
            Assert.Equal(expected.ToString("x16", CultureInfo.InvariantCulture), b.Substring(1, 16));
            expected += ulong.Parse(Regex.Match(b, @"size: +([0-9a-f]+)").Groups[1].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        }

        Assert.Equal((irp & ~0xFFFUL) + 0x1000, expected);
    }

    [Fact]
    public void Verifier_shows_the_flags_the_verified_drivers_and_pool_tracking_counts()
    {
        using var machine = Machine.Boot(new MachineDescription { Name = "vf", Processors = 1, MemoryMiB = 16, PagefileMiB = 16 },
            new MachineOptions { Verifier = VerifierSettings.Parse("/flags 0x9 /driver leaky.sys absent.sys") });
        machine.Run(() => TestMachines.AsDriver(machine, "leaky.sys", "LeakyRoutine", () =>
        {
            ExAllocatePool2(POOL_FLAG_NON_PAGED, 100, PoolTag("Leak"));
            ExAllocatePool2(POOL_FLAG_PAGED, 50, PoolTag("Leak"));
        }));

        var text = new KernelDebugger(new LiveTarget(machine)).Execute("!verifier");
        Assert.StartsWith("Verify Flags Level 0x00000009\n", text, StringComparison.Ordinal);
        Assert.Contains("    [X] (0x00000001) Special pool\n", text, StringComparison.Ordinal);
        Assert.Contains("    [X] (0x00000008) Pool tracking\n", text, StringComparison.Ordinal);
        Assert.Contains("    [ ] (0x00000010) I/O verification\n", text, StringComparison.Ordinal);
        Assert.Contains("leaky.sys (Loaded)\n", text, StringComparison.Ordinal);
        Assert.Contains("      Current Pool Allocations: ( 0x00000001 / 0x00000001 )\n", text, StringComparison.Ordinal);
        Assert.Contains("      Current Pool Bytes:       ( 0x00000064 / 0x00000032 )\n", text, StringComparison.Ordinal);
        Assert.Contains("absent.sys (Not loaded)\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_answers_for_a_live_machine_once_it_bug_checked()
    {
        using var m = DebuggerMachine.Boot();
        Assert.Contains("has not bug checked", m.Live().Execute("!analyze -v"), StringComparison.Ordinal);
        m.Crash();
        var text = m.Live().Execute("!analyze -v");
        Assert.Contains("MANUALLY_INITIATED_CRASH (e2)", text, StringComparison.Ordinal);
        Assert.Contains("Debugger saved IRQL for processor", m.Live().Execute("!irql"), StringComparison.Ordinal);
    }

    [Fact]
    public void Devnode_says_when_nothing_is_enumerated_and_help_lists_every_command()
    {
        using var m = DebuggerMachine.Boot();
        var kd = m.Live();
        Assert.Contains("the PnP manager has not enumerated this machine yet", kd.Execute("!devnode"), StringComparison.Ordinal);
        var help = kd.Execute(".help");
        Assert.Equal(help, kd.Execute("?"));
        foreach (var (syntax, _) in KernelDebugger.Commands)
        {
            Assert.Contains(syntax, help, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("!devobj 1234", "0000000000001234: Could not read device object or _DEVICE_OBJECT not found\n")]
    [InlineData("!devobj ffffffffffffffff", "ffffffffffffffff: Could not read device object or _DEVICE_OBJECT not found\n")]
    [InlineData(@"!devstack \Device\Nope", "Could not find device object \\Device\\Nope\n")]
    [InlineData("!devstack", "Usage: !devstack <DevObj | \\Device\\Name>\n")]
    [InlineData("!irp fffffa8000000000", "IRP signature does not match, probably not an IRP\n")]
    [InlineData("!irp 0", "IRP signature does not match, probably not an IRP\n")]
    [InlineData("!irp zz", "Invalid IRP address 'zz'\n")]
    [InlineData("!drvobj nosuch", "Driver object \\Driver\\nosuch not found\n")]
    [InlineData("!drvobj samplefn zz", "Invalid flags 'zz'\n")]
    [InlineData("!object 1234", "0000000000001234: Not a valid object (ObjectType invalid)\n")]
    [InlineData("!irql 7", "Cannot get PRCB address for processor 7\n")]
    [InlineData("!frobnicate", "No export frobnicate found\n")]
    [InlineData("frobnicate 1", "       ^ Syntax error in 'frobnicate 1'\n")]
    public void Bad_commands_and_addresses_get_windbg_style_messages(string command, string expected)
    {
        using var m = DebuggerMachine.Boot();
        Assert.Equal(expected, m.Live().Execute(command));
    }

    [Theory]
    [InlineData("!pool 0")]
    [InlineData("!pool ffffffffffffffff")]
    [InlineData("!pool fffff8a000000000")]
    [InlineData("!object")]
    [InlineData("!devobj `")]
    public void Addresses_outside_any_object_never_throw(string command)
    {
        using var m = DebuggerMachine.Boot();
        Assert.False(string.IsNullOrEmpty(m.Live().Execute(command)));
    }

    [Fact]
    public void Several_commands_separated_by_semicolons_run_in_order()
    {
        using var m = DebuggerMachine.Boot();
        var kd = m.Live();
        Assert.Equal(kd.Execute("lm") + kd.Execute("!irql"), kd.Execute(" lm ;; !irql ;"));
        Assert.Equal(["!devstack \\Device\\X", "k"], KernelDebugger.Split("!devstack \\Device\\X; k"));
    }

    [Fact]
    public void Lm_names_the_kernel_nt_and_lists_the_loaded_drivers()
    {
        using var m = DebuggerMachine.Boot();
        var lines = Lines(m.Live().Execute("lm"));
        Assert.Equal("start             end                 module name", lines[0]);
        Assert.Matches(@"^fffff800`00400000 fffff800`00c00000   nt\s*$", lines[1]);
        Assert.Contains(lines, l => Regex.IsMatch(l, @"   pendtimer\s*$"));
    }

    [Fact]
    public void K_shows_the_crashing_threads_frames_after_a_bug_check()
    {
        using var m = DebuggerMachine.Boot();
        m.Crash();
        var lines = Lines(m.Live().Execute("k"));
        Assert.Equal(" # Call Site", lines[0]);
        Assert.Equal(m.Machine.BugCheckInfo!.Stack.Count, lines.Length - 1);
        Assert.Equal("00 nt!Phase1Initialization", lines[1]);
    }
}
