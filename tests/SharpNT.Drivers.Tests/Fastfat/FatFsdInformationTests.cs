using System.Buffers.Binary;
using System.Text;
using SharpNT.Drivers.Fastfat;
using SharpNT.Drivers.Storage;
using SharpNT.Kernel;
using static SharpNT.Drivers.Tests.Fastfat.FsdMachine;
using static SharpNT.Kernel.Io.IRP_MJ;
using static SharpNT.Kernel.NTSTATUS;

namespace SharpNT.Drivers.Tests.Fastfat;

/// <summary>fastfat.sys: timestamps, the file pointer, renames into another directory, flushes, and two volumes at once.</summary>
public sealed class FatFsdInformationTests
{
    private static FatImage MakeImage(int fatBits, string text = "hello")
    {
        var image = FatImage.CreateSmall(fatBits);
        var host = image.Scratch("host");
        File.WriteAllText(Path.Combine(host, "README.TXT"), text);
        FatTools.Run("mmd", "-i", image.Path, "::/DOCS");
        FatTools.Run("mcopy", "-i", image.Path, Path.Combine(host, "README.TXT"), "::/");
        return image;
    }

    [Fact]
    public void FileBasicInformation_set_times_and_attributes_are_what_query_and_mdir_then_show()
    {
        using var image = MakeImage(16);
        // 2021-06-01 10:20:30 UTC: even seconds, so FAT's two-second write time keeps it exactly.
        var when = new DateTime(2021, 6, 1, 10, 20, 30, DateTimeKind.Utc).ToFileTimeUtc();
        using (var fsd = new FsdMachine(image.Path))
        {
            fsd.Run(() =>
            {
                var file = fsd.OpenOk(@"\??\C:\README.TXT", AccessMask.FILE_READ_ATTRIBUTES | AccessMask.FILE_WRITE_ATTRIBUTES);
                var basic = new byte[0x28];
                BinaryPrimitives.WriteInt64LittleEndian(basic.AsSpan(0x10), when);
                BinaryPrimitives.WriteUInt32LittleEndian(basic.AsSpan(0x20), 0x21); // FILE_ATTRIBUTE_ARCHIVE | FILE_ATTRIBUTE_READONLY
                Assert.Equal(STATUS_SUCCESS, SetInformation(file.File, FatDriver.FileBasicInformation, basic).Status);
                var query = QueryInformation(file.File, FatDriver.FileBasicInformation, 0x28);
                Assert.Equal((ulong)0x28, query.Information);
                Assert.Equal(when, BitConverter.ToInt64(query.Output, 0x10));
                Assert.Equal(0x21u, BitConverter.ToUInt32(query.Output, 0x20));
                Close(file);

                // A read-only file refuses write access and deletion.
                Assert.Equal(STATUS_ACCESS_DENIED, fsd.Open(@"\??\C:\README.TXT", AccessMask.FILE_GENERIC_WRITE).Status);
                var deleter = fsd.OpenOk(@"\??\C:\README.TXT", AccessMask.DELETE);
                Assert.Equal(STATUS_CANNOT_DELETE, SetInformation(deleter.File, FatDriver.FileDispositionInformation, [1]).Status);
                Close(deleter);
            });
        }

        var listing = FatTools.Run("mdir", "-i", image.Path, "::/README.TXT");
        Assert.Contains("2021-06-01  10:20", listing, StringComparison.Ordinal);
        var attributes = FatTools.Run("mattrib", "-i", image.Path, "::/README.TXT");
        Assert.Contains("R", attributes[..attributes.IndexOf("::/", StringComparison.Ordinal)], StringComparison.Ordinal);
        FatTools.AssertClean(image.Path);
    }

    [Fact]
    public void A_synchronous_file_object_reads_on_from_its_file_pointer_and_FilePositionInformation_moves_it()
    {
        using var image = MakeImage(12, "0123456789");
        using var fsd = new FsdMachine(image.Path);
        fsd.Run(() =>
        {
            var file = fsd.OpenOk(@"\??\C:\README.TXT", AccessMask.FILE_GENERIC_READ);
            const long FILE_USE_FILE_POINTER_POSITION = -2;
            Assert.Equal("0123", Encoding.ASCII.GetString(Read(file.File, FILE_USE_FILE_POINTER_POSITION, 4).Data));
            Assert.Equal("4567", Encoding.ASCII.GetString(Read(file.File, FILE_USE_FILE_POINTER_POSITION, 4).Data));
            var position = new byte[8];
            BinaryPrimitives.WriteInt64LittleEndian(position, 1);
            Assert.Equal(STATUS_SUCCESS, SetInformation(file.File, FatDriver.FilePositionInformation, position).Status);
            Assert.Equal("123456789", Encoding.ASCII.GetString(Read(file.File, FILE_USE_FILE_POINTER_POSITION, 100).Data));
            Assert.Equal(STATUS_END_OF_FILE, Read(file.File, FILE_USE_FILE_POINTER_POSITION, 100).Status);
            Assert.Equal(10L, BitConverter.ToInt64(QueryInformation(file.File, FatDriver.FilePositionInformation, 8).Output));
            Close(file);
        });
    }

    [Fact]
    public void A_rename_with_a_target_directory_file_object_moves_the_file_there_as_NtSetInformationFile_asks()
    {
        using var image = MakeImage(32);
        using (var fsd = new FsdMachine(image.Path))
        {
            fsd.Run(() =>
            {
                var file = fsd.OpenOk(@"\??\C:\README.TXT", AccessMask.DELETE);
                var target = fsd.OpenOk(@"\??\C:\DOCS", AccessMask.FILE_ADD_FILE, FILE_OPEN, FILE_DIRECTORY_FILE);

                // NtSetInformationFile opens the target's parent and passes it; the name's last component is the new name.
                Assert.Equal(STATUS_SUCCESS,
                    SetInformation(file.File, FatDriver.FileRenameInformation, FatFsdTests.RenameInfo(@"\DOCS\Read me later.txt", false), target.File).Status);
                Assert.Equal(@"\DOCS\Read me later.txt", FatFsdTests.NameOf(QueryInformation(file.File, FatDriver.FileNameInformation, 128).Output));
                Close(target);
                Close(file);

                var other = fsd.OpenOk(@"\??\C:\OTHER.TXT", AccessMask.FILE_GENERIC_WRITE | AccessMask.DELETE, FILE_CREATE);
                Assert.Equal(STATUS_OBJECT_NAME_COLLISION,
                    SetInformation(other.File, FatDriver.FileRenameInformation, FatFsdTests.RenameInfo(@"\DOCS\Read me later.txt", false)).Status);
                Assert.Equal(STATUS_SUCCESS,
                    SetInformation(other.File, FatDriver.FileRenameInformation, FatFsdTests.RenameInfo(@"\DOCS\Read me later.txt", true)).Status);
                Close(other);
            });
        }

        Assert.Equal("", FatTools.Run("mtype", "-i", image.Path, "::/DOCS/Read me later.txt"));
        FatTools.AssertClean(image.Path);
    }

    [Fact]
    public void IRP_MJ_FLUSH_BUFFERS_puts_the_volume_on_its_image_while_the_machine_runs()
    {
        using var image = MakeImage(16);
        using var fsd = new FsdMachine(image.Path);
        var snapshot = Path.Combine(image.Scratch("snap"), "flushed.img");
        fsd.Run(() =>
        {
            var file = fsd.OpenOk(@"\??\C:\DOCS\FLUSHED.TXT", AccessMask.FILE_GENERIC_WRITE, FILE_CREATE);
            Assert.Equal(STATUS_SUCCESS, Write(file.File, 0, "on disk now"u8).Status);
            var flush = Request(file.File, IRP_MJ_FLUSH_BUFFERS, 0, 0, (_, _) => { });
            Assert.Equal(STATUS_SUCCESS, flush.Status);

            // The image as the host sees it now, with the file still open and the machine running.
            File.Copy(image.Path, snapshot);
            Close(file);
        });

        Assert.Equal("on disk now", FatTools.Run("mtype", "-i", snapshot, "::/DOCS/FLUSHED.TXT"));
        FatTools.AssertClean(snapshot);
    }

    [Fact]
    public void Two_volumes_mount_side_by_side_as_C_and_D_and_keep_their_files_apart()
    {
        using var c = MakeImage(12, "on C");
        using var d = MakeImage(32, "on D");
        using (var fsd = new FsdMachine([new ImageDiskOptions(c.Path), new ImageDiskOptions(d.Path)]))
        {
            fsd.Run(() =>
            {
                foreach (var (drive, text) in new[] { ("C", "on C"), ("D", "on D") })
                {
                    var file = fsd.OpenOk($@"\??\{drive}:\README.TXT", AccessMask.FILE_GENERIC_READ);
                    Assert.Equal(text, Encoding.ASCII.GetString(ReadAll(file.File, 512)));
                    Close(file);
                }

                var created = fsd.OpenOk(@"\??\D:\ONLY_D.TXT", AccessMask.FILE_GENERIC_WRITE, FILE_CREATE);
                Close(created);
                Assert.Equal(STATUS_OBJECT_NAME_NOT_FOUND, fsd.Open(@"\??\C:\ONLY_D.TXT", AccessMask.FILE_GENERIC_READ).Status);
                Assert.Equal(2, fsd.Fat.MountedVolumeCount);
            });
        }

        Assert.Contains("ONLY_D", FatTools.Run("mdir", "-b", "-i", d.Path, "::/"), StringComparison.Ordinal);
        FatTools.AssertClean(c.Path);
        FatTools.AssertClean(d.Path);
    }
}
