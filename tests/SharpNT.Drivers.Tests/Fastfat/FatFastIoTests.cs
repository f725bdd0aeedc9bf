using System.Text;
using SharpNT.Drivers.Filters;
using SharpNT.Kernel;
using SharpNT.Kernel.Io;
using static SharpNT.Drivers.Tests.Fastfat.FsdMachine;
using static SharpNT.Kernel.Ddi.Wdm;
using static SharpNT.Kernel.Io.IRP_MJ;
using static SharpNT.Kernel.NTSTATUS;

namespace SharpNT.Drivers.Tests.Fastfat;

/// <summary>
/// Fast I/O through the activity monitor and fastfat: NtReadFile / NtWriteFile on a synchronous open whose
/// caching fastfat has set up go to FastIoRead / FastIoWrite with no IRP, give the bytes the IRP path and
/// mtools give, and fall back to the IRP path whenever NT's rules say so.
/// </summary>
public sealed class FatFastIoTests
{
    private static readonly uint TagTest = PoolTag("Test");

    /// <summary>Printable text (mtype prints it unchanged), long enough to span clusters and cache blocks.</summary>
    private static string Text(int length, int seed)
    {
        var random = new Random(seed);
        var chars = new char[length];
        for (var i = 0; i < length; i++)
        {
            chars[i] = (char)('A' + random.Next(26));
        }

        return new string(chars);
    }

    private static FatImage MakeImage(string content)
    {
        var image = FatImage.CreateSmall(32);
        var host = image.Scratch("host");
        File.WriteAllText(Path.Combine(host, "DATA.TXT"), content);
        File.WriteAllText(Path.Combine(host, "SECRET.TXT"), "keep me");
        FatTools.Run("mmd", "-i", image.Path, "::/PROTECTED");
        FatTools.Run("mcopy", "-i", image.Path, Path.Combine(host, "DATA.TXT"), "::/");
        FatTools.Run("mcopy", "-i", image.Path, Path.Combine(host, "SECRET.TXT"), "::/PROTECTED");
        return image;
    }

    /// <summary>NtReadFile as a kernel-mode caller sends it: at the file pointer (no ByteOffset) or at <paramref name="offset"/>.</summary>
    private static (NTSTATUS Status, NTSTATUS IoStatus, byte[] Data) NtRead(Machine machine, HANDLE handle, int length, long? offset = null)
    {
        var block = ExAllocatePool2(POOL_FLAG_NON_PAGED, (ulong)(32 + Math.Max(length, 1)), TagTest);
        var iosb = block;
        var byteOffset = block + 16;
        var buffer = block + 32;
        if (offset is { } at)
        {
            WriteMemory(byteOffset, at);
        }

        var status = machine.Io.NtReadFile(handle, HANDLE.NULL, 0, 0, iosb, buffer, (uint)length, offset is null ? 0 : byteOffset, 0);
        var io = new IO_STATUS_BLOCK(iosb);
        var data = new byte[status.IsSuccess() || status == STATUS_END_OF_FILE ? (int)io.Information : 0];
        CopyToHost(buffer, data);
        var result = (status, io.Status, data);
        ExFreePoolWithTag(block, TagTest);
        return result;
    }

    private static NTSTATUS NtWrite(Machine machine, HANDLE handle, ReadOnlySpan<byte> data, long? offset = null)
    {
        var block = ExAllocatePool2(POOL_FLAG_NON_PAGED, (ulong)(32 + Math.Max(data.Length, 1)), TagTest);
        if (offset is { } at)
        {
            WriteMemory(block + 16, at);
        }

        CopyFromHost(block + 32, data);
        var status = machine.Io.NtWriteFile(handle, HANDLE.NULL, 0, 0, block, block + 32, (uint)data.Length, offset is null ? 0 : block + 16, 0);
        if (status.IsSuccess())
        {
            Assert.Equal((ulong)data.Length, new IO_STATUS_BLOCK(block).Information);
        }

        ExFreePoolWithTag(block, TagTest);
        return status;
    }

    /// <summary>fastfat's per-open cache map blocks outstanding (pool tag FatP).</summary>
    private static long PrivateCacheMaps(Machine machine) =>
        machine.Mm.QueryPoolUsage().Where(u => u.Tag == "FatP" && !u.Paged).Sum(u => u.Outstanding);

    private static IEnumerable<ActivityRecord> For(ActivityMonitorDriver monitor, string name) => monitor.Log.Where(r => r.FileName == name);

    [Fact]
    public void Reads_after_the_first_go_by_fast_io_and_return_the_bytes_mtype_prints()
    {
        var content = Text(70_000, 1);
        using var image = MakeImage(content);
        var monitor = new ActivityMonitorDriver();
        using var fsd = new FsdMachine(image.Path, filter: monitor);
        var read = fsd.Run(() =>
        {
            var open = fsd.OpenOk(@"\??\C:\DATA.TXT", AccessMask.FILE_GENERIC_READ);

            // Caching is set up by the first read (an IRP); the stream's SECTION_OBJECT_POINTERS are there from the open.
            Assert.Equal(0UL, open.File.PrivateCacheMap);
            Assert.NotEqual(0UL, open.File.SectionObjectPointer);
            var all = new List<byte>();
            while (true)
            {
                var (status, ioStatus, data) = NtRead(fsd.Machine, open.Handle, 4096 + 7);
                Assert.Equal(status, ioStatus);
                if (status == STATUS_END_OF_FILE)
                {
                    break;
                }

                Assert.Equal(STATUS_SUCCESS, status);
                Assert.NotEqual(0UL, open.File.PrivateCacheMap);
                all.AddRange(data);
            }

            Assert.NotEqual(0u, open.File.Flags & FO_FLAGS.FO_FILE_FAST_IO_READ);
            Assert.Equal(all.Count, open.File.CurrentByteOffset);

            // An explicit offset is honoured by the fast path as by the IRP path.
            Assert.Equal(content.Substring(12_345, 100), Encoding.ASCII.GetString(NtRead(fsd.Machine, open.Handle, 100, 12_345).Data));
            Close(open);
            return Encoding.ASCII.GetString([.. all]);
        });

        Assert.Equal(FatTools.Run("mtype", "-i", image.Path, "::/DATA.TXT"), read);
        Assert.Equal(content, read);
        var log = For(monitor, @"\DATA.TXT").Where(r => r.MajorFunction == IRP_MJ_READ).ToList();
        Assert.Null(log[0].FastIo);
        Assert.Equal(STATUS_SUCCESS, log[0].Status);
        Assert.All(log.Skip(1), r => Assert.True(r is { FastIo: "FASTIO_READ", FastIoResult: true }, r.ToString()));
        Assert.Equal(new ActivityRecord(IRP_MJ_READ, 0, @"\DATA.TXT", STATUS_END_OF_FILE, 0) { FastIo = "FASTIO_READ", FastIoResult = true },
            log[^2]);
        Assert.Equal("FASTIO_READ \\DATA.TXT STATUS_SUCCESS 100", log[^1].ToString());
    }

    [Fact]
    public void Fast_io_writes_land_where_irp_writes_do_and_mtools_reads_them_back()
    {
        var content = Text(20_000, 2);
        using var image = MakeImage(content);
        var monitor = new ActivityMonitorDriver();
        var patch = Encoding.ASCII.GetBytes(Text(9_000, 3));
        var tail = Encoding.ASCII.GetBytes(Text(5_000, 4));
        using (var fsd = new FsdMachine(image.Path, filter: monitor))
        {
            fsd.Run(() =>
            {
                var open = fsd.OpenOk(@"\??\C:\DATA.TXT", AccessMask.FILE_GENERIC_READ | AccessMask.FILE_GENERIC_WRITE);
                Assert.Equal(STATUS_SUCCESS, NtWrite(fsd.Machine, open.Handle, patch.AsSpan(0, 1000), 3_000));   // an IRP: sets up caching
                Assert.Equal(STATUS_SUCCESS, NtWrite(fsd.Machine, open.Handle, patch.AsSpan(1000), 4_000));      // fast, at the offset given
                Assert.Equal(STATUS_SUCCESS, NtWrite(fsd.Machine, open.Handle, tail, 20_000));                   // fast, extending the file
                Assert.Equal(25_000, open.File.CurrentByteOffset);
                Assert.NotEqual(0u, open.File.Flags & FO_FLAGS.FO_FILE_MODIFIED);
                Close(open);
            });
        }

        var expected = content[..3_000] + Encoding.ASCII.GetString(patch) + content[12_000..] + Encoding.ASCII.GetString(tail);
        Assert.Equal(expected, FatTools.Run("mtype", "-i", image.Path, "::/DATA.TXT"));
        FatTools.AssertClean(image.Path);
        var writes = For(monitor, @"\DATA.TXT").Where(r => r.MajorFunction == IRP_MJ_WRITE).ToList();
        Assert.Equal(3, writes.Count);
        Assert.Null(writes[0].FastIo);
        Assert.Equal(new ActivityRecord(IRP_MJ_WRITE, 0, @"\DATA.TXT", STATUS_SUCCESS, 8_000) { FastIo = "FASTIO_WRITE", FastIoResult = true }, writes[1]);
        Assert.Equal(new ActivityRecord(IRP_MJ_WRITE, 0, @"\DATA.TXT", STATUS_SUCCESS, 5_000) { FastIo = "FASTIO_WRITE", FastIoResult = true }, writes[2]);
    }

    [Fact]
    public void An_asynchronous_open_never_takes_the_fast_path_even_once_cached()
    {
        var content = Text(10_000, 5);
        using var image = MakeImage(content);
        var monitor = new ActivityMonitorDriver();
        using var fsd = new FsdMachine(image.Path, filter: monitor);
        fsd.Run(() =>
        {
            var open = fsd.OpenOk(@"\??\C:\DATA.TXT", AccessMask.FILE_GENERIC_READ, options: FILE_NON_DIRECTORY_FILE);
            Assert.Equal(0u, open.File.Flags & FO_FLAGS.FO_SYNCHRONOUS_IO);
            for (var offset = 0; offset < 8_000; offset += 4_000)
            {
                var (status, _, data) = NtRead(fsd.Machine, open.Handle, 4_000, offset);
                Assert.Equal(STATUS_SUCCESS, status);
                Assert.Equal(content.Substring(offset, 4_000), Encoding.ASCII.GetString(data));
            }

            // The open is cached (fastfat set it up), but NtReadFile tries fast I/O only for synchronous file objects.
            Assert.NotEqual(0UL, open.File.PrivateCacheMap);
            Close(open);
        });

        var reads = For(monitor, @"\DATA.TXT").Where(r => r.MajorFunction == IRP_MJ_READ).ToList();
        Assert.Equal(2, reads.Count);
        Assert.All(reads, r => Assert.Null(r.FastIo));
    }

    [Fact]
    public void A_filter_without_fast_io_routines_turns_fast_io_off_for_the_stack()
    {
        var content = Text(12_000, 6);
        using var image = MakeImage(content);
        var monitor = new ActivityMonitorDriver();
        using var fsd = new FsdMachine(image.Path, filter: monitor);
        var read = fsd.Run(() =>
        {
            // The monitor's device is the top of the volume's stack: with no FastIoDispatch on its driver the I/O
            // manager has nothing to call, though fastfat below has one.
            var open = fsd.OpenOk(@"\??\C:\DATA.TXT", AccessMask.FILE_GENERIC_READ);
            var top = IoGetRelatedDeviceObject(open.File);
            Assert.Equal("actmon.sys", top.DriverObject.DriverName.Split('\\')[^1] + ".sys");
            var filterDriver = top.DriverObject;
            filterDriver.FastIoDispatch = FAST_IO_DISPATCH.NULL;
            var all = new List<byte>();
            for (var i = 0; i < 4; i++)
            {
                all.AddRange(NtRead(fsd.Machine, open.Handle, 3_000).Data);
            }

            Assert.NotEqual(0UL, open.File.PrivateCacheMap);
            Assert.Equal(0u, open.File.Flags & FO_FLAGS.FO_FILE_FAST_IO_READ);
            Close(open);
            return Encoding.ASCII.GetString([.. all]);
        });

        Assert.Equal(content, read);
        var reads = For(monitor, @"\DATA.TXT").Where(r => r.MajorFunction == IRP_MJ_READ).ToList();
        Assert.Equal(4, reads.Count);
        Assert.All(reads, r => Assert.Null(r.FastIo));
    }

    [Fact]
    public void The_read_only_rule_makes_a_fast_write_fall_back_to_the_irp_that_is_denied()
    {
        using var image = MakeImage("x");
        var monitor = new ActivityMonitorDriver(@"\PROTECTED");
        using (var fsd = new FsdMachine(image.Path, filter: monitor))
        {
            fsd.Run(() =>
            {
                // A kernel-mode caller's write is not checked against the handle's access, so it reaches the filter:
                // the fast write is declined and the IRP it becomes is denied.
                var open = fsd.OpenOk(@"\??\C:\PROTECTED\SECRET.TXT", AccessMask.FILE_GENERIC_READ);
                Assert.Equal("keep me", Encoding.ASCII.GetString(NtRead(fsd.Machine, open.Handle, 100).Data));
                Assert.NotEqual(0UL, open.File.PrivateCacheMap);
                Assert.Equal(STATUS_ACCESS_DENIED, NtWrite(fsd.Machine, open.Handle, "gone"u8, 0));

                // Asked directly, the monitor says a write could not go fast; a read could.
                var top = IoGetRelatedDeviceObject(open.File);
                var check = top.DriverObject.FastIoDispatch.FastIoCheckIfPossible!;
                var iosb = new IO_STATUS_BLOCK(ExAllocatePool2(POOL_FLAG_NON_PAGED, 16, TagTest));
                Assert.False(check(open.File, new LARGE_INTEGER(0), 4, true, 0, false, iosb, top));
                Assert.True(check(open.File, new LARGE_INTEGER(0), 4, true, 0, true, iosb, top));
                ExFreePoolWithTag(iosb.Address, TagTest);
                Close(open);
            });
        }

        var log = For(monitor, @"\PROTECTED\SECRET.TXT").Where(r => r.MajorFunction == IRP_MJ_WRITE).ToList();
        Assert.Equal("FASTIO_WRITE \\PROTECTED\\SECRET.TXT FALSE", log[0].ToString());
        Assert.Equal(new ActivityRecord(IRP_MJ_WRITE, 0, @"\PROTECTED\SECRET.TXT", STATUS_ACCESS_DENIED, 0), log[1]);
        Assert.Equal("keep me", FatTools.Run("mtype", "-i", image.Path, "::/PROTECTED/SECRET.TXT"));
    }

    [Fact]
    public void FastIoCheckIfPossible_answers_false_until_the_open_is_cached_and_cleanup_takes_the_cache_map_away()
    {
        using var image = MakeImage(Text(5_000, 7));
        var monitor = new ActivityMonitorDriver();
        using var fsd = new FsdMachine(image.Path, filter: monitor);
        fsd.Run(() =>
        {
            var before = PrivateCacheMaps(fsd.Machine);
            var open = fsd.OpenOk(@"\??\C:\DATA.TXT", AccessMask.FILE_GENERIC_READ);
            var top = IoGetRelatedDeviceObject(open.File);
            var check = top.DriverObject.FastIoDispatch.FastIoCheckIfPossible!;
            var iosb = new IO_STATUS_BLOCK(ExAllocatePool2(POOL_FLAG_NON_PAGED, 16, TagTest));
            Assert.False(check(open.File, new LARGE_INTEGER(0), 10, true, 0, true, iosb, top));
            NtRead(fsd.Machine, open.Handle, 10);
            Assert.True(check(open.File, new LARGE_INTEGER(0), 10, true, 0, true, iosb, top));
            Assert.True(check(open.File, new LARGE_INTEGER(0), 10, true, 0, false, iosb, top));
            ExFreePoolWithTag(iosb.Address, TagTest);
            var cached = PrivateCacheMaps(fsd.Machine);
            Assert.Equal(before + 1, cached);
            Close(open);
            var after = PrivateCacheMaps(fsd.Machine);
            Assert.Equal(before, after);
        });

        var checks = monitor.Log.Where(r => r.FastIo == "FASTIO_CHECK_IF_POSSIBLE").Select(r => r.FastIoResult).ToList();
        Assert.Equal([false, true, true], checks);
    }

    [Fact]
    public void A_large_read_lands_in_the_callers_buffer_from_the_disk_and_still_sees_writes_not_yet_flushed()
    {
        var content = Text(300_000, 8);
        using var image = MakeImage(content);
        var monitor = new ActivityMonitorDriver();
        var patch = "UNFLUSHED"u8.ToArray();
        string big = "", small = "";
        using (var fsd = new FsdMachine(image.Path, filter: monitor))
        {
            fsd.Run(() =>
            {
                var open = fsd.OpenOk(@"\??\C:\DATA.TXT", AccessMask.FILE_GENERIC_READ | AccessMask.FILE_GENERIC_WRITE);
                Assert.Equal(STATUS_SUCCESS, NtWrite(fsd.Machine, open.Handle, patch, 70_001));
                Assert.Equal(STATUS_SUCCESS, NtWrite(fsd.Machine, open.Handle, patch, 200_000));

                // 256 KiB in one read: whole sectors straight from the disk, the dirty cached sectors copied over them.
                var (status, _, data) = NtRead(fsd.Machine, open.Handle, 256 * 1024, 0);
                Assert.Equal(STATUS_SUCCESS, status);
                big = Encoding.ASCII.GetString(data);
                var pieces = new StringBuilder();
                for (var offset = 0; offset < 256 * 1024; offset += 4096)
                {
                    pieces.Append(Encoding.ASCII.GetString(NtRead(fsd.Machine, open.Handle, 4096, offset).Data));
                }

                small = pieces.ToString();
                Close(open);
            });
        }

        var expected = (content[..70_001] + "UNFLUSHED" + content[70_010..200_000] + "UNFLUSHED" + content[200_009..])[..(256 * 1024)];
        Assert.Equal(expected, big);
        Assert.Equal(expected, small);
        Assert.Equal(expected, FatTools.Run("mtype", "-i", image.Path, "::/DATA.TXT")[..(256 * 1024)]);
        Assert.Contains(monitor.Log, r => r is { FastIo: "FASTIO_READ", FastIoResult: true, Information: 256 * 1024 });
    }

    [Fact]
    public void A_program_copying_a_large_file_reads_and_writes_by_fast_io_and_the_copy_is_byte_identical()
    {
        // cmd's copy: ReadFile / WriteFile of 64 KiB from a user-mode thread, so after the first of each the
        // reads go by FastIoRead (whole sectors from the disk into the program's pages) and the writes by FastIoWrite.
        using var image = FatImage.CreateSmall(32);
        var host = image.Scratch("host");
        var bytes = new byte[300_000 + 123];
        new Random(9).NextBytes(bytes);
        File.WriteAllBytes(Path.Combine(host, "BIG.BIN"), bytes);
        FatTools.Run("mcopy", "-i", image.Path, Path.Combine(host, "BIG.BIN"), "::/");

        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = SharpNT.Cli.SharpNtCommand.Create(stdout, stderr)
            .Parse(["run", "--disk", image.Path, "--", "cmd", "/c", "copy", @"C:\BIG.BIN", @"C:\COPY.BIN"]).Invoke();

        Assert.True(exit == 0, stdout.ToString() + stderr.ToString());
        var copy = Path.Combine(host, "COPY.BIN");
        FatTools.Run("mcopy", "-i", image.Path, "::/COPY.BIN", copy);
        Assert.Equal(bytes, File.ReadAllBytes(copy));
        FatTools.AssertClean(image.Path);
    }

    [Fact]
    public void Drvobj_with_flag_2_lists_the_fast_io_routines_of_fastfat_and_the_filter_by_name()
    {
        using var image = MakeImage("x");
        using var fsd = new FsdMachine(image.Path, filter: new ActivityMonitorDriver());
        var kd = new SharpNT.Kernel.Kd.KernelDebugger(new SharpNT.Kernel.Kd.LiveTarget(fsd.Machine));

        var fat = kd.Execute(@"!drvobj fastfat 2").Split('\n');
        var at = Array.IndexOf(fat, "Fast I/O routines:");
        Assert.True(at > 0, string.Join('\n', fat));
        Assert.Matches(@"^FastIoCheckIfPossible {19}fffff880[0-9a-f]{8}\tfastfat!FatFastIoCheckIfPossible$", fat[at + 1]);
        Assert.Matches(@"^FastIoRead {30}fffff880[0-9a-f]{8}\tfastfat!FatFastIoRead$", fat[at + 2]);
        Assert.Matches(@"^FastIoWrite {29}fffff880[0-9a-f]{8}\tfastfat!FatFastIoWrite$", fat[at + 3]);
        Assert.Matches(@"^FastIoLock {30}fffff880[0-9a-f]{8}\tfastfat!FatFastLock$", fat[at + 4]);
        Assert.Matches(@"^FastIoUnlockSingle {22}fffff880[0-9a-f]{8}\tfastfat!FatFastUnlockSingle$", fat[at + 5]);
        Assert.Matches(@"^FastIoUnlockAll {25}fffff880[0-9a-f]{8}\tfastfat!FatFastUnlockAll$", fat[at + 6]);
        Assert.Matches(@"^FastIoUnlockAllByKey {20}fffff880[0-9a-f]{8}\tfastfat!FatFastUnlockAllByKey$", fat[at + 7]);
        Assert.Equal("", fat[at + 8]);

        var monitor = kd.Execute(@"!drvobj actmon 2");
        Assert.Contains("\tactmon!ActivityMonitorFastIoRead\n", monitor, StringComparison.Ordinal);

        // The default flags do not show routines; a driver without a table shows no section.
        Assert.DoesNotContain("Fast I/O routines:", kd.Execute(@"!drvobj fastfat"), StringComparison.Ordinal);
        var disk = kd.Execute(@"!drvobj imagedisk 2");
        Assert.Contains("Dispatch routines:", disk, StringComparison.Ordinal);
        Assert.DoesNotContain("Fast I/O routines:", disk, StringComparison.Ordinal);
    }
}
