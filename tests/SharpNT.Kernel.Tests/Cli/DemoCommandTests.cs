using SharpNT.Kernel.Ke;

namespace SharpNT.Kernel.Tests.Cli;

public sealed class DemoCommandTests
{
    [Fact]
    public void Demo_list_names_every_scenario_and_how_it_ends()
    {
        var (exit, output, _) = CliRunner.Run("demo", "--list");
        Assert.Equal(0, exit);
        Assert.Contains("scheduler", output, StringComparison.Ordinal);
        Assert.Contains("paged-pool-at-dispatch", output, StringComparison.Ordinal);
        Assert.Contains("STOP 0x000000D1", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("missing-mark-pending", "*** STOP: 0x000000C9 (0x000000000000023D,", "markpending.sys")]
    [InlineData("double-completion", "*** STOP: 0x00000044 (", "doublecomplete.sys")]
    [InlineData("pool-leak-at-unload", "*** STOP: 0x000000C4 (0x0000000000000062,", "poolleak.sys")]
    [InlineData("list-corruption", "*** STOP: 0x00000139 (0x0000000000000003,", "listcorrupt.sys")]
    [InlineData("lock-order-inversion", "*** STOP: 0x000000C4 (0x0000000000001001,", "lockorder.sys")]
    [InlineData("buffer-overrun", "*** STOP: 0x000000D6 (", "overrun.sys")]
    [InlineData("wait-at-dispatch", "*** STOP: 0x000000B8 (", "waitdpc.sys")]
    [InlineData("neither-from-dpc", "*** STOP: 0x000000D1 (0x0000000000080000, 0x0000000000000002,", "neitherdpc.sys")]
    public void Gallery_scenarios_are_listed_and_stop_the_machine_naming_their_driver(string scenario, string stop, string driver)
    {
        var (_, list, _) = CliRunner.Run("demo", "--list");
        Assert.Contains(scenario, list, StringComparison.Ordinal);

        var (exit, output, _) = CliRunner.Run("demo", scenario);
        Assert.Equal(3, exit);
        Assert.Contains(stop, output, StringComparison.Ordinal);
        Assert.Contains($"caused by {driver}", output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_programs_METHOD_NEITHER_buffer_read_from_a_DPC_is_0xD1_and_analyze_names_the_driver()
    {
        var dump = Path.Combine(Path.GetTempPath(), $"sharpnt-cli-{Guid.NewGuid():N}.json");
        try
        {
            var (exit, output, _) = CliRunner.Run("demo", "neither-from-dpc", "--dump", dump);
            Assert.Equal(3, exit);
            Assert.Contains("the driver read 42 in this process's context", output, StringComparison.Ordinal);
            var (analyzed, text, _) = CliRunner.Run("analyze", dump);
            Assert.Equal(0, analyzed);
            Assert.Contains("MODULE_NAME: neitherdpc", text, StringComparison.Ordinal);
            Assert.Contains("IMAGE_NAME:  neitherdpc.sys", text, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(dump);
        }
    }

    [Fact]
    public void Paged_pool_at_dispatch_prints_the_blue_screen_writes_the_dump_and_exits_3()
    {
        var dump = Path.Combine(Path.GetTempPath(), $"sharpnt-cli-{Guid.NewGuid():N}.json");
        try
        {
            var (exit, output, _) = CliRunner.Run("demo", "paged-pool-at-dispatch", "--dump", dump);

            Assert.Equal(3, exit);
            var lines = output.Split('\n');
            var stop = Array.FindIndex(lines, l => l.StartsWith("*** STOP: 0x000000D1 (", StringComparison.Ordinal));
            Assert.True(stop >= 0, output);
            Assert.Equal("DRIVER_IRQL_NOT_LESS_OR_EQUAL", lines[stop + 1]);
            Assert.Contains("*** pagedpool.sys - Address", output, StringComparison.Ordinal);

            // The documented parameters: address referenced, IRQL 2, a read (0), the driver's instruction.
            var info = CrashDump.Read(dump);
            Assert.Equal(0xD1u, info.Code);
            Assert.Equal(2UL, info.Parameter2);
            Assert.Equal(0UL, info.Parameter3);
            Assert.Equal("pagedpool.sys", info.FaultingModule);
            Assert.Equal("pagedpool!BumpDeviceControl", info.FaultingSymbol);
            Assert.InRange(info.Parameter1, 0xFFFFF8A0_00000000UL, 0xFFFFF8BF_FFFFFFFFUL);
            Assert.Contains(info.PoolUsage, u => u.Tag == "PgSt" && u.Paged);
            Assert.Contains(info.Processors, p => p.Irql == 2);
            Assert.Equal("BumpDeviceControl", info.Stack[0].Routine);
        }
        finally
        {
            File.Delete(dump);
        }
    }

    [Fact]
    public void The_same_seed_prints_the_same_run_and_another_seed_another()
    {
        var a = CliRunner.Run("demo", "scheduler", "--seed", "7");
        var b = CliRunner.Run("demo", "scheduler", "--seed", "7");
        var c = CliRunner.Run("demo", "scheduler", "--seed", "8");

        Assert.Equal(0, a.ExitCode);
        Assert.Equal(a.Out, b.Out);
        Assert.NotEqual(a.Out, c.Out);
    }

    [Fact]
    public void Demo_with_no_name_runs_every_scenario_and_succeeds_when_each_ends_as_it_should()
    {
        var (exit, output, _) = CliRunner.Run("demo");
        Assert.Equal(0, exit);
        Assert.Contains("=== scheduler: machine ran to the end", output, StringComparison.Ordinal);
        Assert.Contains("=== paged-pool-at-dispatch: the machine stopped with bug check 0xD1", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Irp_stack_traces_each_layer_down_and_each_completion_routine_up()
    {
        var (exit, output, _) = CliRunner.Run("demo", "irp-stack");
        Assert.Equal(0, exit);
        var filter = output.IndexOf("-> \\Device\\SampleFilter", StringComparison.Ordinal);
        var function = output.IndexOf("-> \\Device\\SampleFunction", StringComparison.Ordinal);
        var lower = output.IndexOf("-> \\Device\\SampleLower", StringComparison.Ordinal);
        var complete = output.IndexOf("IoCompleteRequest(STATUS_SUCCESS)", StringComparison.Ordinal);
        var up = output.IndexOf("completion routine samplefilter!FilterCompletion", StringComparison.Ordinal);
        Assert.True(filter > 0 && filter < function && function < lower && lower < complete && complete < up, output);
        Assert.Contains("\"HELLO, NT!\"", output, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_scenario_is_a_usage_error()
    {
        var (exit, _, error) = CliRunner.Run("demo", "no-such-thing");
        Assert.Equal(2, exit);
        Assert.Contains("No scenario named 'no-such-thing'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_malformed_machine_file_is_refused_naming_the_line()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "name = \"x\"\nprocessors = 2\nmemory_mb = 64\n");
            var (exit, _, error) = CliRunner.Run("demo", "scheduler", "--machine", path);
            Assert.Equal(2, exit);
            Assert.Contains($"{path}(3,1): unknown key 'memory_mb'", error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_malformed_registry_file_named_by_the_machine_file_is_refused_naming_its_line()
    {
        var dir = Directory.CreateTempSubdirectory("sharpnt-reg-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "m.toml"), "registry = \"system.reg\"\n");
            File.WriteAllText(Path.Combine(dir, "system.reg"), "Windows Registry Editor Version 5.00\n\n[HKEY_LOCAL_MACHINE\\SYSTEM\\X]\n\"Start\"=dword:zz\n");
            var (exit, _, error) = CliRunner.Run("demo", "scheduler", "--machine", Path.Combine(dir, "m.toml"));
            Assert.Equal(2, exit);
            Assert.Contains("system.reg", error, StringComparison.Ordinal);
            Assert.Contains("line 4", error, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void Analyze_prints_the_stop_code_each_parameters_meaning_and_the_driver_at_fault()
    {
        var dump = Path.Combine(Path.GetTempPath(), $"sharpnt-analyze-{Guid.NewGuid():N}.json");
        try
        {
            Assert.Equal(3, CliRunner.Run("demo", "paged-pool-at-dispatch", "--dump", dump).ExitCode);
            var (exit, output, _) = CliRunner.Run("analyze", dump);
            Assert.Equal(0, exit);
            Assert.Contains("DRIVER_IRQL_NOT_LESS_OR_EQUAL (d1)", output, StringComparison.Ordinal);
            Assert.Contains("Arg2: 0000000000000002, IRQL", output, StringComparison.Ordinal);
            Assert.Contains("Arg3: 0000000000000000, value 0 = read operation, 1 = write operation", output, StringComparison.Ordinal);
            Assert.Contains("IMAGE_NAME:  pagedpool.sys", output, StringComparison.Ordinal);
            Assert.Contains("pagedpool!BumpDeviceControl", output, StringComparison.Ordinal);

            File.WriteAllText(dump, "not a dump");
            var bad = CliRunner.Run("analyze", dump);
            Assert.Equal(2, bad.ExitCode);
            Assert.Contains("malformed crash dump", bad.Error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(dump);
        }
    }

    [Fact]
    public void Kd_answers_lm_k_irql_and_poolused_from_a_dump_in_windbg_shape()
    {
        var dump = Path.Combine(Path.GetTempPath(), $"sharpnt-kd-{Guid.NewGuid():N}.json");
        try
        {
            CliRunner.Run("demo", "paged-pool-at-dispatch", "--dump", dump);
            Assert.Contains("fffff880`01080000 fffff880`010a0000   pagedpool", CliRunner.Run("kd", "-z", dump, "-c", "lm").Out, StringComparison.Ordinal);
            Assert.StartsWith(" # Call Site\n00 pagedpool!BumpDeviceControl\n", CliRunner.Run("kd", "-z", dump, "-c", "k").Out, StringComparison.Ordinal);
            Assert.Equal("Debugger saved IRQL for processor 0x0 -- 2 (DISPATCH_LEVEL)\n", CliRunner.Run("kd", "-z", dump, "-c", "!irql").Out);
            Assert.Matches(@"PgSt\s+0\s+0\s+1\s+4096", CliRunner.Run("kd", "-z", dump, "-c", "!poolused").Out);
            Assert.Equal("No export nonsense found\n", CliRunner.Run("kd", "-z", dump, "-c", "!nonsense").Out);
            Assert.Contains("Syntax error in 'nonsense'", CliRunner.Run("kd", "-z", dump, "-c", "nonsense").Out, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(dump);
        }
    }

    [Fact]
    public void Trace_writes_a_chrome_trace_with_a_track_per_device_slices_and_flows()
    {
        var path = Path.Combine(Path.GetTempPath(), $"sharpnt-trace-{Guid.NewGuid():N}.json");
        try
        {
            Assert.Equal(0, CliRunner.Run("demo", "irp-stack", "--trace", path).ExitCode);
            using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(path));
            var events = doc.RootElement.GetProperty("traceEvents").EnumerateArray().ToList();
            string Ph(System.Text.Json.JsonElement e) => e.GetProperty("ph").GetString()!;
            var tracks = events.Where(e => Ph(e) == "M" && e.GetProperty("name").GetString() == "thread_name")
                .Select(e => e.GetProperty("args").GetProperty("name").GetString()).ToList();
            Assert.Contains(tracks, t => t!.StartsWith(@"\Device\SampleFilter", StringComparison.Ordinal));
            Assert.Contains(tracks, t => t!.StartsWith(@"\Device\SampleLower", StringComparison.Ordinal));
            Assert.Equal(events.Count(e => Ph(e) == "B"), events.Count(e => Ph(e) == "E"));
            Assert.Contains(events, e => Ph(e) == "B" && e.GetProperty("name").GetString()!.Contains("samplefilter!FilterDeviceControl", StringComparison.Ordinal));
            Assert.Contains(events, e => Ph(e) == "X" && e.GetProperty("name").GetString() == "completion samplefilter!FilterCompletion");
            var starts = events.Where(e => Ph(e) == "s").Select(e => e.GetProperty("id").GetInt64()).ToHashSet();
            var finishes = events.Where(e => Ph(e) == "f").Select(e => e.GetProperty("id").GetInt64()).ToList();
            Assert.NotEmpty(finishes);
            Assert.All(finishes, id => Assert.Contains(id, starts));
            Assert.Contains(events, e => Ph(e) == "i" && e.GetProperty("name").GetString() == "DbgPrint");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Bench_irp_prints_a_figure()
    {
        var (exit, output, _) = CliRunner.Run("bench", "irp", "--count", "2000");
        Assert.Equal(0, exit);
        Assert.Matches(@"\d+\.\d ns per IRP", output);
    }
}
