using System.Diagnostics;
using SharpNT.Drivers.Filters;
using SharpNT.Kernel;
using SharpNT.Programs;

namespace SharpNT.Cli.Demos;

/// <summary>
/// A program reads a file on a FAT disk: ReadFile, the system call, the activity-monitor filter, fastfat.sys,
/// disk.sys, nvmeport.sys, the NVMe controller's DMA and its interrupt through the HAL, the port driver's
/// ISR at the device IRQL and its DPC at DISPATCH_LEVEL, completion back up, the bytes in the program's
/// buffer. The disk is an image made by mkfs.fat and filled by mcopy.
/// </summary>
internal sealed class ReadFileScenario : Scenario
{
    public const string Text = "Hello from a FAT16 volume on an NVMe disk.";

    public override string Name => "read-file";

    public override string Description => "A program reads C:\\DOCS\\README.TXT through filter, FAT, disk, port driver, HAL and controller";

    public override ScenarioSetup Prepare(MachineDescription description)
    {
        var directory = Directory.CreateTempSubdirectory("sharpnt-read-file-");
        var resources = new TempDirectory(directory.FullName);
        try
        {
            var image = Path.Combine(directory.FullName, "disk.img");
            HostTool("mkfs.fat", "-C", "-F", "16", "-n", "SHARPNT", "-i", "5A5A0001", image, "16384");
            var docs = Directory.CreateDirectory(Path.Combine(directory.FullName, "DOCS"));
            File.WriteAllText(Path.Combine(docs.FullName, "README.TXT"), Text + "\r\n");
            HostTool("mcopy", "-s", "-i", image, docs.FullName, "::/");
            return new ScenarioSetup(description with { Disks = [image] }, resources);
        }
        catch
        {
            resources.Dispose();
            throw;
        }
    }

    public override void Run(Machine machine, TextWriter output)
    {
        var exit = machine.Run(() =>
        {
            output.WriteLine("Disk: disk.img (mkfs.fat -F 16, README.TXT put there by mcopy) on an NVMe controller; boot drivers nvmeport.sys and disk.sys.");
            output.WriteLine("Loading fastfat.sys and the activity monitor (actmon.sys), C: on \\Device\\Harddisk0\\Partition0.");
            ProgramHost.LoadFileSystems(machine);
            var monitor = new ActivityMonitorDriver();
            var status = machine.Io.LoadDriver(monitor, out _);
            if (!status.IsSuccess())
            {
                throw new NtException(status);
            }

            output.WriteLine("cmd /c type C:\\DOCS\\README.TXT, layer by layer (the machine's event log):");
            var start = machine.EventTrace.Count;
            machine.Events.RecordLog = true;
            machine.Events.Refresh();
            uint code;
            try
            {
                code = ProgramHost.Run(machine, new CmdProgram(), ["/c", "type", @"C:\DOCS\README.TXT"]);
            }
            finally
            {
                machine.Events.RecordLog = false;
                machine.Events.Refresh();
            }

            foreach (var line in machine.EventTrace.Skip(start).Where(Shown))
            {
                output.WriteLine("  " + line.Trim());
            }

            return code;
        });
        output.WriteLine($"cmd.exe exited with {exit}");
        if (exit != 0)
        {
            throw new InvalidOperationException($"cmd.exe failed with 0x{exit:X8}");
        }
    }

    /// <summary>The lines that tell the read's story: each driver's dispatch, the interrupt, the DPC.</summary>
    private static bool Shown(string line) =>
        ((line.Contains("IoCallDriver IRP_MJ_READ", StringComparison.Ordinal) || line.Contains("IoCallDriver IRP_MJ_WRITE", StringComparison.Ordinal)
            || line.Contains("IoCallDriver IRP_MJ_CREATE", StringComparison.Ordinal))
            && !line.Contains("ConDrv", StringComparison.Ordinal))
        || line.Contains(" isr ", StringComparison.Ordinal)
        || line.Contains("dpc Nvme", StringComparison.Ordinal);

    private static readonly string[] s_toolDirectories = ["/usr/sbin", "/sbin", "/usr/bin", "/bin"];

    private static void HostTool(string tool, params string[] arguments)
    {
        var path = s_toolDirectories.Select(d => Path.Combine(d, tool)).FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException($"{tool} is not installed (Debian packages dosfstools and mtools; scripts/demo.sh installs them).");
        var start = new ProcessStartInfo(path) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["MTOOLS_SKIP_CHECK"] = "1";
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{tool} failed: {error.Result.Trim()}");
        }
    }

    private sealed class TempDirectory(string path) : IDisposable
    {
        public void Dispose()
        {
            try
            {
                Directory.Delete(path, recursive: true);
            }
            catch (IOException)
            {
                // A file still held by the host: the temporary directory stays for the system to clean.
            }
        }
    }
}
