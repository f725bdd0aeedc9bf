using System.Text;
using SharpNT.Drivers.Fastfat;
using SharpNT.Drivers.Filters;
using SharpNT.Drivers.Tests.Fastfat;
using SharpNT.Kernel;
using static SharpNT.Drivers.Tests.Fastfat.FsdMachine;
using static SharpNT.Kernel.Io.IRP_MJ;
using static SharpNT.Kernel.Io.IRP_MN;
using static SharpNT.Kernel.NTSTATUS;

namespace SharpNT.Drivers.Tests.Filters;

/// <summary>The activity monitor above the FAT volume device: it sees every request, and its read-only rule holds.</summary>
public sealed class ActivityMonitorTests
{
    private static FatImage MakeImage()
    {
        var image = FatImage.CreateSmall(16);
        var host = image.Scratch("host");
        File.WriteAllText(Path.Combine(host, "PUBLIC.TXT"), "public");
        File.WriteAllText(Path.Combine(host, "SECRET.TXT"), "keep me");
        FatTools.Run("mmd", "-i", image.Path, "::/PROTECTED");
        FatTools.Run("mcopy", "-i", image.Path, Path.Combine(host, "PUBLIC.TXT"), "::/");
        FatTools.Run("mcopy", "-i", image.Path, Path.Combine(host, "SECRET.TXT"), "::/PROTECTED");
        return image;
    }

    [Fact]
    public void The_monitor_attaches_at_mount_and_logs_each_request_with_its_result()
    {
        using var image = MakeImage();
        var monitor = new ActivityMonitorDriver();
        using var fsd = new FsdMachine(image.Path, filter: monitor);
        fsd.Run(() =>
        {
            var file = fsd.OpenOk(@"\??\C:\PUBLIC.TXT", AccessMask.FILE_GENERIC_READ);
            Assert.Equal("public", Encoding.ASCII.GetString(Read(file.File, 0, 100).Data));
            Assert.Equal(STATUS_END_OF_FILE, Read(file.File, 6, 100).Status);
            Close(file);
            Assert.Equal(STATUS_OBJECT_NAME_NOT_FOUND, fsd.Open(@"\??\C:\NOPE.TXT", AccessMask.FILE_GENERIC_READ).Status);
        });

        Assert.Equal(1, monitor.AttachedVolumeCount);
        Assert.Equal(
        [
            new ActivityRecord(IRP_MJ_FILE_SYSTEM_CONTROL, IRP_MN_MOUNT_VOLUME, "", STATUS_SUCCESS, 0),
            new ActivityRecord(IRP_MJ_CREATE, 0, @"\PUBLIC.TXT", STATUS_SUCCESS, (ulong)FatCreateAction.FILE_OPENED),
            new ActivityRecord(IRP_MJ_READ, 0, @"\PUBLIC.TXT", STATUS_SUCCESS, 6),
            new ActivityRecord(IRP_MJ_READ, 0, @"\PUBLIC.TXT", STATUS_END_OF_FILE, 0),
            new ActivityRecord(IRP_MJ_CLEANUP, 0, @"\PUBLIC.TXT", STATUS_SUCCESS, 0),
            new ActivityRecord(IRP_MJ_CLOSE, 0, @"\PUBLIC.TXT", STATUS_SUCCESS, 0),
            new ActivityRecord(IRP_MJ_CREATE, 0, @"\NOPE.TXT", STATUS_OBJECT_NAME_NOT_FOUND, 0),
        ], monitor.Log);
    }

    [Fact]
    public void The_read_only_rule_denies_changes_under_its_prefix_with_STATUS_ACCESS_DENIED_and_nothing_else()
    {
        using var image = MakeImage();
        var monitor = new ActivityMonitorDriver(@"\PROTECTED");
        using (var fsd = new FsdMachine(image.Path, filter: monitor))
        {
            fsd.Run(() =>
            {
                var write = AccessMask.FILE_GENERIC_WRITE;
                Assert.Equal(STATUS_ACCESS_DENIED, fsd.Open(@"\??\C:\PROTECTED\SECRET.TXT", write).Status);
                Assert.Equal(STATUS_ACCESS_DENIED, fsd.Open(@"\??\C:\PROTECTED\NEW.TXT", write, FILE_CREATE).Status);
                Assert.Equal(STATUS_ACCESS_DENIED, fsd.Open(@"\??\C:\protected\secret.txt", AccessMask.DELETE).Status);

                // Read access is let through; a write, delete, rename or truncation on that open is not.
                var secret = fsd.OpenOk(@"\??\C:\PROTECTED\SECRET.TXT", AccessMask.FILE_GENERIC_READ);
                Assert.Equal("keep me", Encoding.ASCII.GetString(Read(secret.File, 0, 100).Data));
                Assert.Equal(STATUS_ACCESS_DENIED, Write(secret.File, 0, "gone"u8).Status);
                Assert.Equal(STATUS_ACCESS_DENIED, SetInformation(secret.File, FatDriver.FileDispositionInformation, [1]).Status);
                Assert.Equal(STATUS_ACCESS_DENIED, SetInformation(secret.File, FatDriver.FileRenameInformation, FatFsdTests.RenameInfo("X.TXT", false)).Status);
                Assert.Equal(STATUS_ACCESS_DENIED, SetInformation(secret.File, FatDriver.FileEndOfFileInformation, new byte[8]).Status);
                Close(secret);

                // Outside the prefix everything works.
                var pub = fsd.OpenOk(@"\??\C:\PUBLIC.TXT", write | AccessMask.FILE_GENERIC_READ);
                Assert.Equal(STATUS_SUCCESS, Write(pub.File, -1, " and more"u8).Status);
                Close(pub);
            });
        }

        Assert.Contains(monitor.Log, r => r is { MajorFunction: IRP_MJ_WRITE, FileName: @"\PROTECTED\SECRET.TXT" } && r.Status == STATUS_ACCESS_DENIED);
        Assert.Contains(monitor.Log, r => r is { MajorFunction: IRP_MJ_WRITE, FileName: @"\PUBLIC.TXT" } && r.Status == STATUS_SUCCESS);
        Assert.Equal("keep me", FatTools.Run("mtype", "-i", image.Path, "::/PROTECTED/SECRET.TXT"));
        Assert.Equal("public and more", FatTools.Run("mtype", "-i", image.Path, "::/PUBLIC.TXT"));
        FatTools.AssertClean(image.Path);
    }

    [Fact]
    public void The_log_keeps_the_most_recent_records_and_counts_the_ones_it_dropped()
    {
        using var image = MakeImage();
        var monitor = new ActivityMonitorDriver(maxRecords: 4);
        using var fsd = new FsdMachine(image.Path, filter: monitor);
        fsd.Run(() =>
        {
            var file = fsd.OpenOk(@"\??\C:\PUBLIC.TXT", AccessMask.FILE_GENERIC_READ);
            for (var i = 0; i < 5; i++)
            {
                Assert.Equal(STATUS_SUCCESS, Read(file.File, i, 1).Status);
            }

            Close(file);
        });

        // Mount, create, five reads, cleanup, close: nine records, of which the last four are kept.
        Assert.Equal(4, monitor.MaxRecords);
        Assert.Equal(5, monitor.DroppedRecords);
        Assert.Equal(
        [
            new ActivityRecord(IRP_MJ_READ, 0, @"\PUBLIC.TXT", STATUS_SUCCESS, 1),
            new ActivityRecord(IRP_MJ_READ, 0, @"\PUBLIC.TXT", STATUS_SUCCESS, 1),
            new ActivityRecord(IRP_MJ_CLEANUP, 0, @"\PUBLIC.TXT", STATUS_SUCCESS, 0),
            new ActivityRecord(IRP_MJ_CLOSE, 0, @"\PUBLIC.TXT", STATUS_SUCCESS, 0),
        ], monitor.Log);
    }
}
