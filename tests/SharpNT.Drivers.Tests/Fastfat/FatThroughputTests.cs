using System.Diagnostics;
using System.Globalization;
using SharpNT.Drivers.Fastfat;
using SharpNT.Kernel;
using Xunit.Abstractions;

namespace SharpNT.Drivers.Tests.Fastfat;

/// <summary>
/// Measurements of the data path (printed, not asserted as times): a 64 MiB file on FAT32 with 512-byte
/// clusters read from a memory device, and 2,000 files of 4 KiB. What is asserted is the shape of the I/O:
/// a contiguous file is read in a handful of device calls, not one per cluster or sector.
/// </summary>
public sealed class FatThroughputTests(ITestOutputHelper output)
{
    private const int FileBytes = 64 * 1024 * 1024;

    [Fact]
    public void A_64_MiB_file_on_512_byte_clusters_is_read_in_few_device_calls()
    {
        using var image = FatImage.Create(32, 80 * 1024);
        var contents = FatTestVolume.Pattern(FileBytes, 64);
        var (device, volume) = image.Mount();
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, volume.Create(null, "\\big.bin", FatCreateDisposition.FILE_CREATE, FatCreateOptions.None,
            FatAttributes.None, out var writer, out _));
        var writeClock = Stopwatch.StartNew();
        for (var offset = 0; offset < FileBytes; offset += 1024 * 1024)
        {
            Assert.Equal(NTSTATUS.STATUS_SUCCESS, volume.Write(writer!, offset, contents.AsSpan(offset, 1024 * 1024), out _));
        }

        volume.Close(writer!);
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, volume.Flush());
        writeClock.Stop();
        Report($"write 64 MiB in 1 MiB requests: {writeClock.Elapsed.TotalMilliseconds:F1} ms, {device.WriteCalls} device writes");
        image.Save(device, volume);

        var buffer = new byte[FileBytes];
        // The first pass runs the read path once untimed, so the timings below leave JIT compilation out.
        foreach (var request in new[] { 1024 * 1024, FileBytes, 1024 * 1024, 64 * 1024, 4096 })
        {
            var (readDevice, readVolume) = image.Mount(readOnly: true);
            Assert.Equal(NTSTATUS.STATUS_SUCCESS, readVolume.Open("\\big.bin", out var fcb));
            readDevice.ResetCounters();
            Array.Clear(buffer);
            // The timed loop checks with plain comparisons: an xunit assertion costs microseconds.
            var failures = 0;
            var clock = Stopwatch.StartNew();
            for (var offset = 0; offset < FileBytes; offset += request)
            {
                var status = readVolume.Read(fcb!, offset, buffer.AsSpan(offset, request), out var read);
                failures += status != NTSTATUS.STATUS_SUCCESS || read != request ? 1 : 0;
            }

            clock.Stop();
            Assert.Equal(0, failures);
            readVolume.Close(fcb!);
            Assert.True(buffer.AsSpan().SequenceEqual(contents), "The file read back differs.");
            var mibPerSecond = 64 / clock.Elapsed.TotalSeconds;
            Report($"read 64 MiB in {Size(request)} requests: {clock.Elapsed.TotalMilliseconds:F1} ms ({mibPerSecond:F0} MiB/s), " +
                $"{readDevice.ReadCalls} device reads");

            // One contiguous run: whole-file and 1 MiB requests map to one device call each; small requests
            // are served from cached blocks filled by read-ahead (256 KiB per device call).
            var maximumCalls = request >= FatBlockCache.DirectTransferBytes ? FileBytes / request : FileBytes / (256 * 1024) + 1;
            Assert.True(readDevice.ReadCalls <= maximumCalls, $"{readDevice.ReadCalls} device reads for {Size(request)} requests");
        }

        var copy = new byte[FileBytes];
        var baseline = Stopwatch.StartNew();
        contents.AsSpan().CopyTo(copy);
        baseline.Stop();
        Report($"baseline: one 64 MiB memory copy: {baseline.Elapsed.TotalMilliseconds:F1} ms");
        var mtype = Stopwatch.StartNew();
        var (exitCode, _) = FatTools.TryRun("sh", "-c", $"mtype -i '{image.Path}' ::/big.bin > /dev/null");
        mtype.Stop();
        Assert.Equal(0, exitCode);
        Report($"reference: mtype of the same file from the image file: {mtype.Elapsed.TotalMilliseconds:F1} ms");
        FatTools.AssertClean(image.Path);
    }

    [Fact]
    public void Two_thousand_4_KiB_files_are_created_and_read_back()
    {
        using var image = FatImage.Create(32, 40 * 1024);
        var (device, volume) = image.Mount();
        volume.MakeDirectory("\\files");
        var data = FatTestVolume.Pattern(4096, 5);
        var create = Stopwatch.StartNew();
        for (var i = 0; i < 2000; i++)
        {
            volume.WriteFile("\\files\\file " + i.ToString("D4", CultureInfo.InvariantCulture) + ".dat", data);
        }

        Assert.Equal(NTSTATUS.STATUS_SUCCESS, volume.Flush());
        create.Stop();
        Report($"create+write 2,000 x 4 KiB files and flush: {create.Elapsed.TotalMilliseconds:F1} ms, {device.WriteCalls} device writes");
        image.Save(device, volume);

        // Two fresh mounts: the first pass compiles the path, the second is timed with a cold cache.
        var buffer = new byte[4096];
        for (var pass = 0; pass < 2; pass++)
        {
            var (readDevice, readVolume) = image.Mount(readOnly: true);
            var names = Enumerable.Range(0, 2000).Select(i => "\\files\\file " + i.ToString("D4", CultureInfo.InvariantCulture) + ".dat").ToArray();
            var failures = 0;
            var read = Stopwatch.StartNew();
            foreach (var name in names)
            {
                if (readVolume.Open(name, out var fcb) != NTSTATUS.STATUS_SUCCESS)
                {
                    failures++;
                    continue;
                }

                var status = readVolume.Read(fcb!, 0, buffer, out var count);
                failures += status != NTSTATUS.STATUS_SUCCESS || count != 4096 ? 1 : 0;
                readVolume.Close(fcb!);
            }

            read.Stop();
            Assert.Equal(0, failures);
            Assert.Equal(data, buffer);
            Report($"pass {pass + 1}: open+read+close 2,000 x 4 KiB files after a fresh mount: {read.Elapsed.TotalMilliseconds:F1} ms, " +
                $"{readDevice.ReadCalls} device reads");

            // Files written one after another lie side by side: a 32 KiB cache block brings eight of them in at
            // once, so far fewer device calls than files (and never one per cluster).
            Assert.True(readDevice.ReadCalls <= 400, $"{readDevice.ReadCalls} device reads for 2,000 small files");
        }
        FatTools.AssertClean(image.Path);
    }

    private static string Size(int bytes) => bytes >= 1024 * 1024 ? $"{bytes / (1024 * 1024)} MiB" : $"{bytes / 1024} KiB";

    private void Report(string line) => output.WriteLine(line);
}
