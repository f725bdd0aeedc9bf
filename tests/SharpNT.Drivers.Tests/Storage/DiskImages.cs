using System.Diagnostics;
using Xunit.Sdk;

namespace SharpNT.Drivers.Tests.Storage;

/// <summary>Raw disk images for the storage tests: patterned ones, and partitioned ones made by the real tools.</summary>
internal sealed class DiskImages : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "sharpnt-storage-" + Guid.NewGuid().ToString("N"));

    public DiskImages() => Directory.CreateDirectory(_directory);

    public string PathOf(string name) => Path.Combine(_directory, name);

    /// <summary>An image whose every sector holds its own number and a fill byte: a read shows which sector it got.</summary>
    public string Patterned(string name, long sectors, byte fill = 0)
    {
        var path = PathOf(name);
        using var file = File.Create(path);
        var sector = new byte[512];
        for (long s = 0; s < sectors; s++)
        {
            Pattern(sector, s, fill);
            file.Write(sector);
        }

        return path;
    }

    public static void Pattern(Span<byte> sector, long number, byte fill)
    {
        sector.Fill(fill);
        BitConverter.TryWriteBytes(sector, number);
        BitConverter.TryWriteBytes(sector[504..], number ^ 0x5A5A5A5A5A5A5A5AL);
    }

    /// <summary>An empty (zero) image of the given size.</summary>
    public string Zeroed(string name, long bytes)
    {
        var path = PathOf(name);
        using var file = File.Create(path);
        file.SetLength(bytes);
        return path;
    }

    /// <summary>Runs a real tool (sfdisk, parted, mkfs.fat) with optional standard input; fails the test if it fails.</summary>
    public static string Tool(string tool, string? input, params string[] arguments)
    {
        var path = new[] { "/usr/sbin", "/sbin", "/usr/bin", "/bin" }.Select(d => Path.Combine(d, tool)).FirstOrDefault(File.Exists)
            ?? throw new XunitException($"{tool} is not installed (Debian packages fdisk, parted, dosfstools; scripts/install-deps.sh installs them).");
        var start = new ProcessStartInfo(path)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        if (input is not null)
        {
            process.StandardInput.Write(input);
        }

        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new XunitException($"{tool} {string.Join(' ', arguments)} exited with {process.ExitCode}:\n{output}");
        }

        return output;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
