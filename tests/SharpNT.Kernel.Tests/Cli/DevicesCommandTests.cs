namespace SharpNT.Kernel.Tests.Cli;

public sealed class DevicesCommandTests
{
    private static string MachinesDirectory
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !Directory.Exists(Path.Combine(dir.FullName, "machines")))
            {
                dir = dir.Parent;
            }

            return Path.Combine(dir?.FullName ?? throw new DirectoryNotFoundException("machines"), "machines");
        }
    }

    [Fact]
    public void Devices_prints_the_tree_with_each_nodes_service_state_and_stack_top_first()
    {
        var (exit, output, _) = CliRunner.Run("devices", "--plug", "MsToaster");
        Assert.Equal(0, exit);
        var lines = output.Split('\n').Select(l => l.TrimEnd()).ToList();
        Assert.Equal(@"HTREE\ROOT\0  (no service)  DeviceNodeStarted", lines[0]);
        Assert.Contains(lines, l => l.EndsWith(@"ROOT\BUSENUM\0000  busenum  DeviceNodeStarted", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains(@"\MsToaster\", StringComparison.Ordinal) && l.EndsWith("&01  toaster  DeviceNodeStarted", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains(@"stack: \Driver\ToasterUpperFilter > \Driver\toaster > \Driver\ToasterLowerFilter > \Driver\busenum \Device\", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("└──", StringComparison.Ordinal));
    }

    [Fact]
    public void The_machine_description_names_the_registry_file_and_the_plugged_devices()
    {
        var (exit, output, _) = CliRunner.Run("devices", "--machine", Path.Combine(MachinesDirectory, "toaster.toml"));
        Assert.Equal(0, exit);
        Assert.Contains("&01  toaster  DeviceNodeStarted", output, StringComparison.Ordinal);
        Assert.Contains("&02  toaster  DeviceNodeStarted", output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_device_the_bus_refuses_is_bad_input()
    {
        var (exit, _, error) = CliRunner.Run("devices", "--plug", "no such id");
        Assert.Equal(2, exit);
        Assert.Contains("--plug no such id: the toaster bus refused it (STATUS_INVALID_PARAMETER", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_with_plug_and_unplug_after_ends_the_programs_wait_when_the_toaster_goes()
    {
        var (exit, output, error) = CliRunner.Run("run", "--user", "user", "--plug", "MsToaster", "--unplug-after", "20", "--", "toast", "1", "--wait");
        Assert.Equal(2, exit);
        Assert.Contains("the toaster has made 1 toast(s)", output, StringComparison.Ordinal);
        Assert.Contains("the wait ended, GetLastError() = 2", output, StringComparison.Ordinal);
        Assert.Contains("toast.exe exited with 0x00000002", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_negative_unplug_delay_is_bad_input()
    {
        var (exit, _, error) = CliRunner.Run("run", "--unplug-after", "-5", "--", "toast");
        Assert.Equal(2, exit);
        Assert.Contains("--unplug-after", error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_hot_plug_demo_runs_to_the_end_with_pool_back_where_it_was()
    {
        var (exit, output, _) = CliRunner.Run("demo", "hot-plug", "--plug", "MsToaster", "--unplug-after", "15");
        Assert.Equal(0, exit);
        Assert.Contains("toast: no toaster is plugged in", output, StringComparison.Ordinal);
        Assert.Contains("15 ms from now every toaster is pulled out", output, StringComparison.Ordinal);
        Assert.Contains("the wait ended, GetLastError() = 2", output, StringComparison.Ordinal);
        Assert.Contains("Pool by tag is back where it was", output, StringComparison.Ordinal);
        Assert.Contains("=== hot-plug: machine ran to the end", output, StringComparison.Ordinal);
    }
}
