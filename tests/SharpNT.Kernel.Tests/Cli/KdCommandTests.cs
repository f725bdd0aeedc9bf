using System.Text.RegularExpressions;
using SharpNT.Kernel.Ke;

namespace SharpNT.Kernel.Tests.Cli;

/// <summary>`sharpnt kd` as a person runs it: against a scenario's machine or a crash dump, with -c or interactively.</summary>
public sealed class KdCommandTests
{
    [Fact]
    public void Kd_on_the_irp_stack_scenario_shows_the_stack_top_first_with_the_function_device_marked()
    {
        var (exit, output, _) = CliRunner.Run("kd", "--scenario", "irp-stack", "-c", @"!devstack \Device\SampleFunction");
        Assert.Equal(0, exit);
        var stack = output[output.IndexOf("  !DevObj", StringComparison.Ordinal)..].Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, stack.Length);
        Assert.Matches(@"^  ([0-9a-f]{16})  \\Driver\\samplefilter +[0-9a-f]+ +SampleFilter$", stack[1]);
        Assert.Matches(@"^> ([0-9a-f]{16})  \\Driver\\samplefn +[0-9a-f]+ +SampleFunction$", stack[2]);
        Assert.Matches(@"^  ([0-9a-f]{16})  \\Driver\\samplelower +[0-9a-f]+ +SampleLower$", stack[3]);

        // The addresses are the DEVICE_OBJECTs': !devobj of the middle one names the other two as upper and lower.
        string Address(string line) => Regex.Match(line, "[0-9a-f]{16}").Value;
        var devobj = CliRunner.Run("kd", "--scenario", "irp-stack", "-c", $"!devobj {Address(stack[2])}").Out;
        Assert.Contains($@"AttachedDevice (Upper) {Address(stack[1])} \Driver\samplefilter", devobj, StringComparison.Ordinal);
        Assert.Contains($@"AttachedTo (Lower) {Address(stack[3])} \Driver\samplelower", devobj, StringComparison.Ordinal);
    }

    [Fact]
    public void Several_commands_by_repeated_c_and_by_semicolons_are_each_echoed_after_the_prompt()
    {
        var (exit, output, _) = CliRunner.Run("kd", "--scenario", "irp-stack", "-c", @"!object \Device;!drvobj samplefilter 2", "-c", "!devnode");
        Assert.Equal(0, exit);
        var objectAt = output.IndexOf("kd> !object \\Device\n", StringComparison.Ordinal);
        var drvobjAt = output.IndexOf("kd> !drvobj samplefilter 2\n", StringComparison.Ordinal);
        var devnodeAt = output.IndexOf("kd> !devnode\n", StringComparison.Ordinal);
        Assert.True(objectAt >= 0 && objectAt < drvobjAt && drvobjAt < devnodeAt, output);
        Assert.Matches(@"(?m)^     \d\d  [0-9a-f]{16} Device +SampleFunction$", output);
        Assert.Matches(@"(?m)^\[0e\] IRP_MJ_DEVICE_CONTROL +[0-9a-f]{16}\tsamplefilter!FilterDeviceControl$", output);
        Assert.Contains("the PnP manager has not enumerated this machine yet", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Kd_on_a_scenario_that_bug_checks_analyzes_the_live_machine()
    {
        var (exit, output, _) = CliRunner.Run("kd", "--scenario", "paged-pool-at-dispatch", "-c", "!analyze -v");
        Assert.Equal(0, exit);
        Assert.Contains("DRIVER_IRQL_NOT_LESS_OR_EQUAL (d1)", output, StringComparison.Ordinal);
        Assert.Contains("IMAGE_NAME:  pagedpool.sys", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Kd_on_a_dump_answers_the_device_commands_from_the_dumps_machine_state()
    {
        var dump = Path.Combine(Path.GetTempPath(), $"sharpnt-kd-cli-{Guid.NewGuid():N}.json");
        try
        {
            Assert.Equal(3, CliRunner.Run("demo", "paged-pool-at-dispatch", "--dump", dump).ExitCode);
            var live = CliRunner.Run("kd", "--scenario", "paged-pool-at-dispatch", "-c", @"!devstack \Device\PagedPoolAtDispatch").Out;
            var fromDump = CliRunner.Run("kd", "-z", dump, "-c", @"!devstack \Device\PagedPoolAtDispatch");
            Assert.Equal(0, fromDump.ExitCode);
            Assert.Matches(@"^  !DevObj .*\n> [0-9a-f]{16}  \\Driver\\pagedpool +[0-9a-f]+ +PagedPoolAtDispatch\n$", fromDump.Out);
            Assert.EndsWith(fromDump.Out, live, StringComparison.Ordinal);
            Assert.Matches(@"(?m)^     \d\d  [0-9a-f]{16} Device +PagedPoolAtDispatch$", CliRunner.Run("kd", "-z", dump, "-c", @"!object \Device").Out);
        }
        finally
        {
            File.Delete(dump);
        }
    }

    [Fact]
    public void Without_c_kd_reads_commands_from_standard_input_until_q()
    {
        var (exit, output, _) = CliRunner.RunWithInput("!irql\nlm\nq\n!devnode\n", "kd", "--scenario", "scheduler");
        Assert.Equal(0, exit);
        Assert.Contains("=== scheduler: ran to the end; the debugger breaks in\nkd> Debugger saved IRQL for processor 0x0 -- 0 (PASSIVE_LEVEL)\nkd> start ", output, StringComparison.Ordinal);
        Assert.DoesNotContain("PnP", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new string[] { "kd", "-c", "lm" }, "kd: give either --scenario NAME")]
    [InlineData(new string[] { "kd", "--scenario", "nope", "-c", "lm" }, "No scenario named 'nope'")]
    [InlineData(new string[] { "kd", "-z", "/nonexistent/dump.json", "-c", "lm" }, "/nonexistent/dump.json")]
    public void Kd_without_a_target_or_with_a_bad_one_is_a_usage_error(string[] args, string message)
    {
        var (exit, _, error) = CliRunner.Run(args);
        Assert.Equal(2, exit);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Pending_reads_leaves_two_IRPs_that_irpfind_finds_and_irp_shows_at_the_pendtimer_device()
    {
        var (exit, output, _) = CliRunner.Run("kd", "--scenario", "pending-reads", "-c", "!irpfind");
        Assert.Equal(0, exit);
        var found = Regex.Matches(output, @"(?m)^([0-9a-f]{16}) \[[0-9a-f]{16}\] irpStack: \( 3, 0\)  ([0-9a-f]{16}) \[\\Driver\\pendtimer\]$");
        Assert.Equal(2, found.Count);

        // The scenario printed the same IRPs as still queued.
        Assert.Contains($"read #2: IRP 0x{found[0].Groups[1].Value} returned STATUS_PENDING", output, StringComparison.Ordinal);
        Assert.Contains($"read #3: IRP 0x{found[1].Groups[1].Value} returned STATUS_PENDING", output, StringComparison.Ordinal);

        var irp = CliRunner.Run("kd", "--scenario", "pending-reads", "-c", $"!irp {found[0].Groups[1].Value}").Out;
        Assert.Contains("Irp is active with 1 stacks 1 is current (= 0x", irp, StringComparison.Ordinal);
        Assert.Contains($">[IRP_MJ_READ(3), N/A(0)]\n            0  1 {found[0].Groups[2].Value} ", irp, StringComparison.Ordinal);
        Assert.Contains("nt!IopCsqCancelRoutine", irp, StringComparison.Ordinal);
    }

    [Fact]
    public void Pool_on_the_address_that_faulted_shows_the_paged_big_allocation_of_its_tag_live_and_from_the_dump()
    {
        var dump = Path.Combine(Path.GetTempPath(), $"sharpnt-kd-pool-{Guid.NewGuid():N}.json");
        try
        {
            Assert.Equal(3, CliRunner.Run("demo", "paged-pool-at-dispatch", "--dump", dump).ExitCode);
            var address = CrashDump.Read(dump).Parameter1;
            var fromDump = CliRunner.Run("kd", "-z", dump, "-c", $"!pool {address:x}").Out;
            Assert.StartsWith($"Pool page {address:x16} region is Paged pool\n*{address & ~0xFFFUL:x16} : large page allocation, tag is PgSt, size is 0x1000 bytes\n", fromDump, StringComparison.Ordinal);
            Assert.EndsWith(fromDump, CliRunner.Run("kd", "--scenario", "paged-pool-at-dispatch", "-c", $"!pool {address:x}").Out, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(dump);
        }
    }
}
