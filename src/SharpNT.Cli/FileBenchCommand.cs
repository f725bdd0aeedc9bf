using System.Diagnostics;
using SharpNT.Kernel;
using SharpNT.Win32;
using static SharpNT.Win32.Kernel32;
using static SharpNT.Win32.WinBase;

namespace SharpNT.Cli;

/// <summary>
/// `sharpnt bench read` and `sharpnt bench tree`: files read through the whole stack (a program's ReadFile,
/// the system call, the file-system filter if any, the FAT driver, the disk stack) from a host thread
/// attached to the machine as a user thread, timed in-process.
/// </summary>
internal static class FileBenchCommand
{
    /// <summary>
    /// Rounds go on for at least this long, and then until none has beaten the best for <see cref="Settle"/>
    /// (at most <see cref="Limit"/>): the runtime compiles hot code to its optimized tier in the background,
    /// so the first rounds measure the JIT's quick code rather than the system.
    /// </summary>
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(2);

    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(3);

    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(20);

    private const int MinRounds = 3;

    /// <summary>The best of repeated rounds, and whether to run another.</summary>
    private sealed class BestOf
    {
        private readonly Stopwatch _total = Stopwatch.StartNew();
        private TimeSpan _bestAt;

        public double Best { get; private set; } = double.MaxValue;

        public int Rounds { get; private set; }

        public bool More => Rounds < MinRounds || _total.Elapsed < WarmUp || (_total.Elapsed - _bestAt < Settle && _total.Elapsed < Limit);

        public void Add(double value)
        {
            Rounds++;
            if (value < Best)
            {
                Best = value;
                _bestAt = _total.Elapsed;
            }
        }
    }

    public static int Read(TextWriter output, TextWriter error, string disk, string path, bool actmon = false)
    {
        if (!File.Exists(disk))
        {
            error.WriteLine($"Disk image '{disk}' not found.");
            return ExitCodes.BadInput;
        }

        using var machine = BootWithDisk(disk);
        using var attachment = machine.AttachHostThreadAsUser("benchread.exe", () => LoadFileSystems(machine, actmon));
        var buffer = VirtualAlloc(0, 1 << 20, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
        foreach (var chunk in new uint[] { 64 * 1024, 1024 * 1024 })
        {
            long bytes = 0;
            var measured = new BestOf();
            while (measured.More)
            {
                var file = CreateFile(path, GENERIC_READ, FILE_SHARE_READ, 0, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, 0);
                if (file == INVALID_HANDLE_VALUE)
                {
                    error.WriteLine($"{path}: Win32 error {GetLastError()}");
                    return ExitCodes.Failure;
                }

                bytes = 0;
                var watch = Stopwatch.StartNew();
                while (ReadFile(file, buffer, chunk, out var read, 0) && read > 0)
                {
                    bytes += read;
                }

                watch.Stop();
                CloseHandle(file);
                measured.Add(watch.Elapsed.TotalSeconds);
            }

            var best = measured.Best;
            output.WriteLine($"{path}: {bytes:N0} bytes in {chunk / 1024} KiB reads: {bytes / best / 1e6:F0} MB/s (best of {measured.Rounds}, {best * 1000:F1} ms)");
        }

        CachedRead(output, path, buffer);
        return ExitCodes.Success;
    }

    /// <summary>The same 4 KiB read again and again (the file system's cache serves it): ns per ReadFile.</summary>
    private static void CachedRead(TextWriter output, string path, ulong buffer)
    {
        var file = CreateFile(path, GENERIC_READ, FILE_SHARE_READ, 0, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, 0);
        var overlapped = buffer + (1 << 19);
        Memory.Fill(overlapped, SizeOfOVERLAPPED, 0);
        const int Count = 20_000;
        var measured = new BestOf();
        while (measured.More)
        {
            var watch = Stopwatch.StartNew();
            for (var i = 0; i < Count; i++)
            {
                ReadFile(file, buffer, 4096, out _, overlapped);
            }

            measured.Add(watch.Elapsed.TotalNanoseconds / Count);
        }

        CloseHandle(file);
        output.WriteLine($"{path}: 4 KiB cached read at offset 0: {measured.Best / 1000:F2} µs per ReadFile (best of {measured.Rounds} rounds of {Count:N0})");
    }

    public static int Tree(TextWriter output, TextWriter error, string disk, string path, bool actmon = false)
    {
        if (!File.Exists(disk))
        {
            error.WriteLine($"Disk image '{disk}' not found.");
            return ExitCodes.BadInput;
        }

        using var machine = BootWithDisk(disk);
        using var attachment = machine.AttachHostThreadAsUser("benchtree.exe", () => LoadFileSystems(machine, actmon));
        var buffer = VirtualAlloc(0, 1 << 16, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
        (long Files, long Bytes) totals = default;
        long allocated = 0;
        var measured = new BestOf();
        while (measured.More)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            var watch = Stopwatch.StartNew();
            totals = ReadTree(path.TrimEnd('\\'), buffer);
            watch.Stop();
            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            measured.Add(watch.Elapsed.TotalSeconds);
        }

        var best = measured.Best;
        output.WriteLine($"{path}: {totals.Files:N0} files, {totals.Bytes:N0} bytes in {best * 1000:F1} ms: {totals.Files / best:N0} files/s (best of {measured.Rounds}), {allocated / Math.Max(1, totals.Files):N0} managed bytes allocated per file");
        return ExitCodes.Success;
    }

    /// <summary>fastfat and the drive letters; with <paramref name="actmon"/> the activity monitor too, which attaches above the volume at its mount.</summary>
    private static void LoadFileSystems(Machine machine, bool actmon)
    {
        ProgramHost.LoadFileSystems(machine);
        if (actmon)
        {
            var status = machine.Io.LoadDriver(new SharpNT.Drivers.Filters.ActivityMonitorDriver(), out _);
            if (!status.IsSuccess())
            {
                throw new NtException(status);
            }
        }
    }

    /// <summary>One processor, the disk on its NVMe controller with the storage drivers booted.</summary>
    private static Machine BootWithDisk(string disk) =>
        Machine.Boot(MachineDescription.Default with { Processors = 2, MemoryMiB = 256, Scheduling = SharpNT.Kernel.Ke.SchedulingMode.Parallel, Disks = [Path.GetFullPath(disk)] },
            new MachineOptions { DriverPackages = SharpNT.Drivers.Storage.StorageDrivers.Packages() });

    /// <summary>Every file under a directory, opened and read to its end (FindFirstFile/FindNextFile, CreateFile, ReadFile).</summary>
    private static (long Files, long Bytes) ReadTree(string directory, ulong buffer)
    {
        long files = 0, bytes = 0;
        var find = FindFirstFile(directory + @"\*", out var data);
        if (find == INVALID_HANDLE_VALUE)
        {
            return (0, 0);
        }

        do
        {
            if (data.cFileName is "." or "..")
            {
                continue;
            }

            var full = directory + @"\" + data.cFileName;
            if ((data.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) != 0)
            {
                var (f, b) = ReadTree(full, buffer);
                files += f;
                bytes += b;
                continue;
            }

            var file = CreateFile(full, GENERIC_READ, FILE_SHARE_READ, 0, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, 0);
            while (ReadFile(file, buffer, 1 << 16, out var read, 0) && read > 0)
            {
                bytes += read;
            }

            CloseHandle(file);
            files++;
        }
        while (FindNextFile(find, out data));

        FindClose(find);
        return (files, bytes);
    }
}
