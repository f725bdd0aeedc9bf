namespace SharpNT.Kernel.Tests.Cli;

public sealed class RunCommandTests
{
    [Fact]
    public void Run_passes_the_programs_output_through_and_exits_with_its_code()
    {
        var (exit, output, _) = CliRunner.Run("run", "--", "hello", "first", "second arg");
        Assert.Equal(0, exit);
        Assert.Contains("Hello from user mode", output, StringComparison.Ordinal);
        Assert.Contains("argv[2] = second arg", output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_standard_user_is_refused_the_secure_device_and_an_administrator_is_not()
    {
        var (denied, deniedOut, _) = CliRunner.Run("run", "--user", "user", "--", "opendev", @"\\.\SampleSecure");
        Assert.Equal(5, denied);
        Assert.Contains("GetLastError() = 5", deniedOut, StringComparison.Ordinal);

        var (allowed, allowedOut, _) = CliRunner.Run("run", "--user", "Administrator", "--", "opendev", @"\\.\SampleSecure");
        Assert.Equal(0, allowed);
        Assert.Contains(@"opened \\.\SampleSecure", allowedOut, StringComparison.Ordinal);
    }

    [Fact]
    public void A_crashing_program_reports_its_status_and_the_host_exit_code_keeps_the_low_byte()
    {
        var (exit, _, error) = CliRunner.Run("run", "--", "crash");
        Assert.Equal(0x05, exit);
        Assert.Contains("crash.exe exited with 0xC0000005", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("nosuchprogram", "No program named")]
    [InlineData("", "Name a program")]
    public void Bad_program_names_are_refused_with_exit_2(string program, string message)
    {
        var (exit, _, error) = program.Length == 0 ? CliRunner.Run("run") : CliRunner.Run("run", "--", program);
        Assert.Equal(2, exit);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_account_is_refused_with_exit_2()
    {
        var (exit, _, error) = CliRunner.Run("run", "--user", "guest", "--", "hello");
        Assert.Equal(2, exit);
        Assert.Contains("No account named 'guest'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Programs_lists_every_built_in_program()
    {
        var (exit, output, _) = CliRunner.Run("programs");
        Assert.Equal(0, exit);
        foreach (var name in new[] { "hello", "ioctl", "opendev", "pending", "crash" })
        {
            Assert.Contains(name, output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_ioctl_demo_shows_each_layer_down_and_the_completion_routine_up()
    {
        var (exit, output, _) = CliRunner.Run("demo", "ioctl");
        Assert.Equal(0, exit);
        var lines = output.Split('\n');
        var down = Array.FindIndex(lines, l => l.Contains(@"IRP_MJ_DEVICE_CONTROL    -> \Device\SampleFilter", StringComparison.Ordinal));
        Assert.True(down >= 0, output);
        Assert.Contains(@"-> \Device\SampleFunction", lines[down + 2], StringComparison.Ordinal);
        Assert.Contains(@"-> \Device\SampleLower", lines[down + 3], StringComparison.Ordinal);
        Assert.Contains("up    completion routine samplefilter!FilterCompletion", lines[down + 5], StringComparison.Ordinal);
        Assert.Contains("ioctl: METHOD_BUFFERED   -> HELLO, DRIVER!", output, StringComparison.Ordinal);
        Assert.DoesNotContain(@"\Device\ConDrv", output, StringComparison.Ordinal);
    }

    [Fact]
    public void The_user_crash_demo_ends_one_program_with_0xC0000005_and_the_others_normally()
    {
        var (exit, output, _) = CliRunner.Run("demo", "user-crash");
        Assert.Equal(0, exit);
        Assert.Contains("crash.exe exited with 0xC0000005 (STATUS_ACCESS_VIOLATION); ioctl.exe with 0; hello.exe with 0", output, StringComparison.Ordinal);
    }
}
