using System.Collections.Immutable;
using System.Diagnostics;
using Xunit.Sdk;

namespace SharpNT.Drivers.Tests.Fastfat;

/// <summary>
/// The real FAT tools (Debian dosfstools: mkfs.fat, fsck.fat; mtools: mcopy, mtype, mdir, mmd) run as child
/// processes. A missing tool fails the test with the package to install; nothing is skipped silently.
/// </summary>
internal static class FatTools
{
    private static readonly ImmutableArray<string> s_searchPath = ["/usr/sbin", "/sbin", "/usr/bin", "/bin", "/usr/local/bin", "/usr/local/sbin"];

    /// <summary>Runs a tool; fails the test with its output when the exit code is not 0.</summary>
    public static string Run(string tool, params string[] arguments)
    {
        var (exitCode, output) = TryRun(tool, arguments);
        if (exitCode != 0)
        {
            throw new XunitException($"{tool} {string.Join(' ', arguments)} exited with {exitCode}:\n{output}");
        }

        return output;
    }

    /// <summary>Runs a tool and returns its exit code and combined output.</summary>
    public static (int ExitCode, string Output) TryRun(string tool, params string[] arguments)
    {
        var path = Locate(tool);
        var start = new ProcessStartInfo(path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // mtools checks disk geometry against its own tables unless told not to; times are compared as UTC.
        start.Environment["MTOOLS_SKIP_CHECK"] = "1";
        start.Environment["MTOOLS_NO_VFAT"] = "0";
        start.Environment["TZ"] = "UTC";
        start.Environment["LC_ALL"] = "C.UTF-8";
        using var process = Process.Start(start) ?? throw new XunitException($"Could not start {path}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(120_000))
        {
            process.Kill(entireProcessTree: true);
            throw new XunitException($"{tool} did not finish in two minutes.");
        }

        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    /// <summary>fsck.fat -n (check only, never write): exit code 0 means the file system is clean.</summary>
    public static void AssertClean(string image)
    {
        var (exitCode, output) = TryRun("fsck.fat", "-n", image);
        if (exitCode != 0)
        {
            throw new XunitException($"fsck.fat -n reports problems (exit {exitCode}):\n{output}");
        }
    }

    private static string Locate(string tool)
    {
        foreach (var directory in s_searchPath.Concat((Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':')))
        {
            if (directory.Length == 0)
            {
                continue;
            }

            var candidate = Path.Combine(directory, tool);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        var package = tool is "mkfs.fat" or "fsck.fat" ? "dosfstools" : "mtools";
        throw new XunitException(
            $"The FAT interop tests need '{tool}', which is not installed. Install the Debian packages dosfstools and mtools " +
            $"(apt-get install dosfstools mtools); '{tool}' comes from {package}.");
    }
}
