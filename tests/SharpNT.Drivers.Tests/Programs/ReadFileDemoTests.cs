using SharpNT.Cli;

namespace SharpNT.Drivers.Tests.Programs;

public sealed class ReadFileDemoTests
{
    [Fact]
    public void The_read_file_demo_shows_filter_FAT_disk_port_driver_interrupt_and_DPC_and_the_files_text()
    {
        var stdout = new StringWriter();
        var exit = SharpNtCommand.Create(stdout, new StringWriter()).Parse(["demo", "read-file"]).Invoke();
        var output = stdout.ToString();
        Assert.Equal(0, exit);
        Assert.Contains(SharpNT.Cli.Demos.ReadFileScenario.Text, output, StringComparison.Ordinal);
        var lines = output.Split('\n');
        int Find(string text, int from = 0) => Array.FindIndex(lines, from, l => l.Contains(text, StringComparison.Ordinal));
        var filter = Find("(actmon.sys!ActivityMonitorDispatch)");
        Assert.True(filter >= 0, output);
        Assert.Contains("fastfat.sys!", lines[filter + 1], StringComparison.Ordinal);
        var disk = Find(@"IRP_MJ_READ -> \Device\Harddisk0\DR0 (disk.sys!DiskReadWrite)");
        Assert.True(disk >= 0, output);
        Assert.Contains(@"-> \Device\RaidPort0 (nvmeport.sys!", lines[disk + 1], StringComparison.Ordinal);
        var isr = Find("isr NvmeInterruptService at DIRQL 7", disk);
        Assert.True(isr > disk, output);
        Assert.Contains("dpc NvmeDpcRoutine on cpu", lines[Find("dpc NvmeDpcRoutine on", isr)], StringComparison.Ordinal);
        Assert.Contains("at DISPATCH_LEVEL", lines[Find("dpc NvmeDpcRoutine on", isr)], StringComparison.Ordinal);
    }
}
