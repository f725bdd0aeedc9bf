using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using SharpNT.Drivers.Fastfat;
using SharpNT.Kernel;
using SharpNT.Kernel.Io;
using static SharpNT.Drivers.Tests.Fastfat.FsdMachine;
using static SharpNT.Kernel.Ddi.Wdm;
using static SharpNT.Kernel.Io.IRP_MJ;
using static SharpNT.Kernel.NTSTATUS;

namespace SharpNT.Drivers.Tests.Fastfat;

/// <summary>
/// fastfat.sys through the I/O manager: images made by mkfs.fat and filled by mcopy, mounted on first open
/// of <c>\??\C:\...</c>, used with IRPs as the Nt* services build them, checked against mtype, mdir and fsck.fat.
/// </summary>
public sealed class FatFsdTests
{
    private static readonly byte[] Readme = Encoding.ASCII.GetBytes("SharpNT reads FAT through IRPs.\r\n");

    /// <summary>An image with \README.TXT, \DOCS\A long file name with spaces.txt (300 KB) and \DOCS\NOTES.TXT.</summary>
    private static (FatImage Image, byte[] Big) MakeImage(int fatBits)
    {
        var image = FatImage.CreateSmall(fatBits);
        var host = image.Scratch("host");
        var big = new byte[300_000];
        new Random(fatBits).NextBytes(big);
        File.WriteAllBytes(Path.Combine(host, "README.TXT"), Readme);
        File.WriteAllBytes(Path.Combine(host, "A long file name with spaces.txt"), big);
        File.WriteAllText(Path.Combine(host, "NOTES.TXT"), "notes");
        FatTools.Run("mmd", "-i", image.Path, "::/DOCS");
        FatTools.Run("mcopy", "-i", image.Path, Path.Combine(host, "README.TXT"), "::/");
        FatTools.Run("mcopy", "-i", image.Path, Path.Combine(host, "A long file name with spaces.txt"), Path.Combine(host, "NOTES.TXT"), "::/DOCS");
        return (image, big);
    }

    [Theory]
    [InlineData(12)]
    [InlineData(16)]
    [InlineData(32)]
    public void Files_made_by_mcopy_read_byte_identical_through_IRP_MJ_READ(int fatBits)
    {
        var (image, big) = MakeImage(fatBits);
        using (image)
        {
            using (var fsd = new FsdMachine(image.Path))
            {
                var (readme, bigRead, bigRead64K, opened) = fsd.Run(() =>
                {
                    var small = fsd.OpenOk(@"\??\C:\README.TXT", AccessMask.FILE_GENERIC_READ);
                    var a = ReadAll(small.File, 4096);
                    Close(small);
                    var large = fsd.OpenOk(@"\??\C:\DOCS\A long file name with spaces.txt", AccessMask.FILE_GENERIC_READ);
                    var b = ReadAll(large.File, 4096);
                    var c = ReadAll(large.File, 65536);
                    Close(large);
                    return (a, b, c, large.Information);
                });

                Assert.Equal(Readme, readme);
                Assert.Equal(big, bigRead);
                Assert.Equal(big, bigRead64K);
                Assert.Equal((ulong)FatCreateAction.FILE_OPENED, opened);
            }

            // Reading updates only last-access dates; the volume stays consistent.
            FatTools.AssertClean(image.Path);
        }
    }

    [Theory]
    [InlineData(12)]
    [InlineData(32)]
    public void Writes_through_IRPs_are_read_back_by_mtype_and_fsck_finds_the_volume_clean(int fatBits)
    {
        var (image, _) = MakeImage(fatBits);
        using (image)
        {
            var payload = new byte[70_000];
            new Random(7).NextBytes(payload);
            using (var fsd = new FsdMachine(image.Path))
            {
                fsd.Run(() =>
                {
                    var created = fsd.OpenOk(@"\??\C:\Written by SharpNT.bin", AccessMask.FILE_GENERIC_WRITE, FILE_CREATE, FILE_NON_DIRECTORY_FILE);
                    Assert.Equal((ulong)FatCreateAction.FILE_CREATED, created.Information);
                    Assert.Equal((STATUS_SUCCESS, 70_000UL), Write(created.File, 0, payload));
                    Close(created);

                    var directory = fsd.OpenOk(@"\??\C:\NEWDIR", AccessMask.FILE_LIST_DIRECTORY, FILE_CREATE, FILE_DIRECTORY_FILE);
                    Close(directory);
                    var log = fsd.OpenOk(@"\??\C:\NEWDIR\LOG.TXT", AccessMask.FILE_APPEND_DATA, FILE_OPEN_IF);
                    Assert.Equal((ulong)FatCreateAction.FILE_CREATED, log.Information);
                    Assert.Equal(STATUS_SUCCESS, Write(log.File, 0, "first line\n"u8).Status);

                    // FILE_WRITE_TO_END_OF_FILE: an append, wherever the file pointer is.
                    Assert.Equal((STATUS_SUCCESS, 12UL), Write(log.File, -1, "second line\n"u8));
                    Close(log);

                    var reopened = fsd.OpenOk(@"\??\C:\NEWDIR\LOG.TXT", AccessMask.FILE_GENERIC_READ, FILE_OPEN_IF);
                    Assert.Equal((ulong)FatCreateAction.FILE_OPENED, reopened.Information);
                    Close(reopened);
                });
            }

            Assert.Equal(payload, McopyOut(image, "::/Written by SharpNT.bin"));
            Assert.Equal("first line\nsecond line\n", FatTools.Run("mtype", "-i", image.Path, "::/NEWDIR/LOG.TXT"));
            FatTools.AssertClean(image.Path);
        }
    }

    [Fact]
    public void Truncate_rename_and_delete_through_IRP_MJ_SET_INFORMATION_leave_the_volume_clean()
    {
        var (image, big) = MakeImage(16);
        using (image)
        {
            using (var fsd = new FsdMachine(image.Path))
            {
                fsd.Run(() =>
                {
                    var file = fsd.OpenOk(@"\??\C:\DOCS\A long file name with spaces.txt", AccessMask.FILE_GENERIC_READ | AccessMask.FILE_GENERIC_WRITE | AccessMask.DELETE);
                    var eof = new byte[8];
                    BinaryPrimitives.WriteInt64LittleEndian(eof, 1000);
                    Assert.Equal(STATUS_SUCCESS, SetInformation(file.File, FatDriver.FileEndOfFileInformation, eof).Status);

                    // A rename with no target file object and a path from the volume's root: a move.
                    Assert.Equal(STATUS_SUCCESS, SetInformation(file.File, FatDriver.FileRenameInformation, RenameInfo(@"\Moved and renamed.dat", false)).Status);
                    var standard = QueryInformation(file.File, FatDriver.FileStandardInformation, 24);
                    Assert.Equal(1000L, BitConverter.ToInt64(standard.Output, 8));
                    var name = QueryInformation(file.File, FatDriver.FileNameInformation, 256);
                    Assert.Equal(@"\Moved and renamed.dat", NameOf(name.Output));
                    Close(file);

                    var notes = fsd.OpenOk(@"\??\C:\DOCS\NOTES.TXT", AccessMask.DELETE);
                    Assert.Equal(STATUS_SUCCESS, SetInformation(notes.File, FatDriver.FileDispositionInformation, [1]).Status);

                    // Delete pending: a new open is refused until the last cleanup removes the file.
                    Assert.Equal(STATUS_DELETE_PENDING, fsd.Open(@"\??\C:\DOCS\NOTES.TXT", AccessMask.FILE_GENERIC_READ).Status);
                    Close(notes);
                    Assert.Equal(STATUS_OBJECT_NAME_NOT_FOUND, fsd.Open(@"\??\C:\DOCS\NOTES.TXT", AccessMask.FILE_GENERIC_READ).Status);

                    var onClose = fsd.OpenOk(@"\??\C:\README.TXT", AccessMask.DELETE, FILE_OPEN, FILE_DELETE_ON_CLOSE);
                    Close(onClose);
                });
            }

            Assert.Equal(big.AsSpan(0, 1000).ToArray(), McopyOut(image, "::/Moved and renamed.dat"));
            var listing = FatTools.Run("mdir", "-b", "-i", image.Path, "::/");
            Assert.DoesNotContain("README", listing, StringComparison.Ordinal);
            Assert.DoesNotContain("NOTES", FatTools.Run("mdir", "-b", "-i", image.Path, "::/DOCS"), StringComparison.Ordinal);
            FatTools.AssertClean(image.Path);
        }
    }

    [Fact]
    public void Directory_enumeration_matches_mdir_with_wildcards_restart_and_NT_end_statuses()
    {
        var image = FatImage.CreateSmall(32);
        using (image)
        {
            var host = image.Scratch("many");
            for (var i = 0; i < 40; i++)
            {
                File.WriteAllText(Path.Combine(host, $"File number {i:D2}.txt"), new string('x', i));
            }

            File.WriteAllText(Path.Combine(host, "OTHER.DAT"), "o");
            FatTools.Run("mcopy", "-s", "-i", image.Path, host, "::/");
            var mdir = FatTools.Run("mdir", "-b", "-i", image.Path, "::/many")
                .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(line => line[(line.LastIndexOf('/') + 1)..])
                .Order(StringComparer.Ordinal)
                .ToList();

            // mdir's long listing: "FILEN~24 TXT         7 2024-...  File number 07.txt".
            var line = FatTools.Run("mdir", "-i", image.Path, "::/many").Split('\n').Single(l => l.EndsWith("File number 07.txt", StringComparison.Ordinal));
            var mdirShortName = line[..8].TrimEnd() + "." + line.Substring(9, 3).TrimEnd();

            using var fsd = new FsdMachine(image.Path);
            fsd.Run(() =>
            {
                var directory = fsd.OpenOk(@"\??\C:\many", AccessMask.FILE_LIST_DIRECTORY, FILE_OPEN, FILE_DIRECTORY_FILE);

                // A small buffer: several queries, each returning the entries that fit.
                var all = ListDirectory(directory.File, bufferLength: 512);
                Assert.Equal(["."], all.Take(1));
                Assert.Equal(mdir, all.Where(n => n is not ("." or "..")).Order(StringComparer.Ordinal).ToList());
                Close(directory);

                var txt = fsd.OpenOk(@"\??\C:\many", AccessMask.FILE_LIST_DIRECTORY, FILE_OPEN, FILE_DIRECTORY_FILE);
                Assert.Equal(40, ListDirectory(txt.File, "*.txt").Count);

                // Restart scan with one entry at a time, in FileNamesInformation.
                var first = QueryDirectory(txt.File, FatDriver.FileNamesInformation, 256, null, SL_FLAGS.SL_RESTART_SCAN | SL_FLAGS.SL_RETURN_SINGLE_ENTRY);
                Assert.Equal(STATUS_SUCCESS, first.Status);
                var entries = ParseDirectory(first.Output.AsSpan(0, (int)first.Information), FatDriver.FileNamesInformation);
                Assert.Single(entries);
                Assert.EndsWith(".txt", entries[0].Name, StringComparison.Ordinal);
                Close(txt);

                var none = fsd.OpenOk(@"\??\C:\many", AccessMask.FILE_LIST_DIRECTORY, FILE_OPEN, FILE_DIRECTORY_FILE);
                Assert.Equal(STATUS_NO_SUCH_FILE, QueryDirectory(none.File, FatDriver.FileDirectoryInformation, 1024, "NOPE*").Status);
                Assert.Equal(STATUS_NO_MORE_FILES, QueryDirectory(none.File, FatDriver.FileDirectoryInformation, 1024).Status);
                Close(none);

                var root = fsd.OpenOk(@"\??\C:\", AccessMask.FILE_LIST_DIRECTORY, FILE_OPEN, FILE_DIRECTORY_FILE);
                Assert.Contains("many", ListDirectory(root.File));
                Assert.Equal(@"\", FatFsdTests.NameOf(QueryInformation(root.File, FatDriver.FileNameInformation, 64).Output));
                Close(root);

                // An open of the volume itself (nothing after C:, more than attribute access): volume requests only.
                var volume = fsd.OpenOk(@"\??\C:", AccessMask.FILE_GENERIC_READ, FILE_OPEN, 0);
                Assert.Equal(STATUS_SUCCESS, QueryVolume(volume.File, FatDriver.FileFsSizeInformation, 24).Status);
                Assert.Equal(STATUS_INVALID_DEVICE_REQUEST, Read(volume.File, 0, 512).Status);
                Close(volume);

                var both = fsd.OpenOk(@"\??\C:\many", AccessMask.FILE_LIST_DIRECTORY, FILE_OPEN, FILE_DIRECTORY_FILE);
                var one = QueryDirectory(both.File, FatDriver.FileBothDirectoryInformation, 4096, "File number 07.txt");
                Assert.Equal(STATUS_SUCCESS, one.Status);
                var entry = Assert.Single(ParseDirectory(one.Output.AsSpan(0, (int)one.Information), FatDriver.FileBothDirectoryInformation));
                Assert.Equal(("File number 07.txt", 7L), (entry.Name, entry.EndOfFile));
                Assert.Equal(mdirShortName, entry.ShortName);

                // A buffer too small for the first entry's name: the name is cut and STATUS_BUFFER_OVERFLOW returned.
                var tiny = QueryDirectory(both.File, FatDriver.FileDirectoryInformation, 0x44, null, SL_FLAGS.SL_RESTART_SCAN);
                Assert.Equal(STATUS_BUFFER_OVERFLOW, tiny.Status);
                Close(both);
            });
        }
    }

    [Fact]
    public void Create_dispositions_and_options_return_what_NT_returns()
    {
        var (image, _) = MakeImage(16);
        using (image)
        using (var fsd = new FsdMachine(image.Path))
        {
            fsd.Run(() =>
            {
                var read = AccessMask.FILE_GENERIC_READ;
                Assert.Equal(STATUS_OBJECT_NAME_NOT_FOUND, fsd.Open(@"\??\C:\MISSING.TXT", read).Status);
                Assert.Equal(STATUS_OBJECT_PATH_NOT_FOUND, fsd.Open(@"\??\C:\NODIR\MISSING.TXT", read).Status);
                Assert.Equal(STATUS_OBJECT_NAME_COLLISION, fsd.Open(@"\??\C:\README.TXT", read, FILE_CREATE).Status);
                Assert.Equal(STATUS_NOT_A_DIRECTORY, fsd.Open(@"\??\C:\README.TXT", read, FILE_OPEN, FILE_DIRECTORY_FILE).Status);
                Assert.Equal(STATUS_FILE_IS_A_DIRECTORY, fsd.Open(@"\??\C:\DOCS", read, FILE_OPEN, FILE_NON_DIRECTORY_FILE).Status);

                var overwritten = fsd.OpenOk(@"\??\C:\README.TXT", AccessMask.FILE_GENERIC_WRITE, FILE_OVERWRITE_IF);
                Assert.Equal((ulong)FatCreateAction.FILE_OVERWRITTEN, overwritten.Information);
                var standard = QueryInformation(overwritten.File, FatDriver.FileStandardInformation, 24);
                Assert.Equal(0L, BitConverter.ToInt64(standard.Output, 8));
                Close(overwritten);

                var superseded = fsd.OpenOk(@"\??\C:\README.TXT", AccessMask.FILE_GENERIC_WRITE, FILE_SUPERSEDE);
                Assert.Equal((ulong)FatCreateAction.FILE_SUPERSEDED, superseded.Information);
                Close(superseded);
            });
        }
    }

    [Fact]
    public void A_conflicting_open_gets_STATUS_SHARING_VIOLATION_until_the_first_is_cleaned_up()
    {
        var (image, _) = MakeImage(12);
        using (image)
        using (var fsd = new FsdMachine(image.Path))
        {
            fsd.Run(() =>
            {
                var exclusive = fsd.OpenOk(@"\??\C:\README.TXT", AccessMask.FILE_GENERIC_READ, share: 0);
                Assert.Equal(STATUS_SHARING_VIOLATION, fsd.Open(@"\??\C:\README.TXT", AccessMask.FILE_GENERIC_READ).Status);

                // Attribute-only access takes no part in sharing.
                var attributes = fsd.OpenOk(@"\??\C:\README.TXT", AccessMask.FILE_READ_ATTRIBUTES);
                Close(attributes);
                Close(exclusive);

                var reader = fsd.OpenOk(@"\??\C:\README.TXT", AccessMask.FILE_GENERIC_READ, share: FILE_SHARE_READ);
                var secondReader = fsd.OpenOk(@"\??\C:\README.TXT", AccessMask.FILE_GENERIC_READ, share: FILE_SHARE_READ);
                Assert.Equal(STATUS_SHARING_VIOLATION, fsd.Open(@"\??\C:\README.TXT", AccessMask.FILE_GENERIC_WRITE).Status);
                Close(reader);
                Close(secondReader);
                Close(fsd.OpenOk(@"\??\C:\README.TXT", AccessMask.FILE_GENERIC_WRITE));
            });
        }
    }

    [Fact]
    public void File_and_volume_information_come_back_in_the_real_layouts()
    {
        var (image, _) = MakeImage(32);
        using (image)
        using (var fsd = new FsdMachine(image.Path))
        {
            fsd.Run(() =>
            {
                var file = fsd.OpenOk(@"\??\C:\DOCS\NOTES.TXT", AccessMask.FILE_GENERIC_READ);
                Assert.Equal((STATUS_SUCCESS, 5UL), (Read(file.File, 0, 100).Status, (ulong)Read(file.File, 0, 100).Data.Length));

                var all = QueryInformation(file.File, FatDriver.FileAllInformation, 512);
                Assert.Equal(STATUS_SUCCESS, all.Status);
                Assert.Equal(0x20u, BitConverter.ToUInt32(all.Output, 0x20));   // FILE_ATTRIBUTE_ARCHIVE, as mcopy sets it
                Assert.Equal(5L, BitConverter.ToInt64(all.Output, 0x28 + 8));     // StandardInformation.EndOfFile
                Assert.Equal(5L, BitConverter.ToInt64(all.Output, 0x50));         // PositionInformation: the synchronous file pointer moved
                Assert.Equal(@"\DOCS\NOTES.TXT", NameOf(all.Output.AsSpan(0x60).ToArray()));
                Assert.Equal((ulong)(0x64 + (@"\DOCS\NOTES.TXT".Length * 2)), all.Information);

                var cut = QueryInformation(file.File, FatDriver.FileNameInformation, 8);
                Assert.Equal(STATUS_BUFFER_OVERFLOW, cut.Status);
                Assert.Equal(STATUS_INFO_LENGTH_MISMATCH, QueryInformation(file.File, FatDriver.FileBasicInformation, 8).Status);

                var size = QueryVolume(file.File, FatDriver.FileFsSizeInformation, 24);
                Assert.Equal((1u, 512u), (BitConverter.ToUInt32(size.Output, 0x10), BitConverter.ToUInt32(size.Output, 0x14)));
                Assert.True(BitConverter.ToInt64(size.Output, 8) < BitConverter.ToInt64(size.Output, 0));

                var volume = QueryVolume(file.File, FatDriver.FileFsVolumeInformation, 128);
                Assert.Equal(0x1234ABCDu, BitConverter.ToUInt32(volume.Output, 8));
                Assert.Equal("SHARPNT", Encoding.Unicode.GetString(volume.Output, 0x12, BitConverter.ToInt32(volume.Output, 0xC)));

                var attribute = QueryVolume(file.File, FatDriver.FileFsAttributeInformation, 64);
                Assert.Equal("FAT32", Encoding.Unicode.GetString(attribute.Output, 0xC, BitConverter.ToInt32(attribute.Output, 8)));
                Assert.Equal(255u, BitConverter.ToUInt32(attribute.Output, 4));
                Close(file);
            });
        }
    }

    [Fact]
    public void The_first_open_mounts_the_volume_through_its_VPB_and_a_direct_device_open_does_not()
    {
        var (image, _) = MakeImage(16);
        using (image)
        using (var fsd = new FsdMachine(image.Path))
        {
            fsd.Run(() =>
            {
                var direct = fsd.OpenOk(@"\Device\HarddiskVolume1", AccessMask.FILE_READ_ATTRIBUTES, options: 0);
                var vpb = new VPB(direct.File.DeviceObject.Vpb);
                Assert.Equal(IO_TYPE.IO_TYPE_VPB, vpb.Type);
                Assert.Equal(direct.File.DeviceObject, vpb.RealDevice);
                Assert.Equal(0, vpb.Flags & VPB_FLAGS.VPB_MOUNTED);
                Assert.Equal(0, fsd.Fat.MountedVolumeCount);
                Close(direct);

                var file = fsd.OpenOk(@"\??\C:\README.TXT", AccessMask.FILE_GENERIC_READ);
                Assert.Equal(VPB_FLAGS.VPB_MOUNTED, vpb.Flags & VPB_FLAGS.VPB_MOUNTED);
                Assert.Equal(vpb.Address, file.File.Vpb);
                Assert.Equal(vpb.DeviceObject, IoGetRelatedDeviceObject(file.File));
                Assert.Equal(FILE_DEVICE.FILE_DEVICE_DISK_FILE_SYSTEM, vpb.DeviceObject.DeviceType);
                Assert.Equal((uint)1, vpb.ReferenceCount);
                Assert.Equal(0x1234ABCDu, vpb.SerialNumber);
                Assert.Equal("SHARPNT", vpb.VolumeLabel);
                Close(file);
                Assert.Equal(1, fsd.Fat.MountedVolumeCount);

                var second = fsd.OpenOk(@"\??\C:\DOCS\NOTES.TXT", AccessMask.FILE_GENERIC_READ);
                Assert.Equal(1, fsd.Fat.MountedVolumeCount);
                Close(second);
            });
        }
    }

    [Theory]
    [InlineData("random", "STATUS_UNRECOGNIZED_VOLUME")]
    [InlineData("zeros", "STATUS_UNRECOGNIZED_VOLUME")]
    [InlineData("truncated", "STATUS_FILE_CORRUPT_ERROR")]
    public void An_image_that_is_not_a_sound_FAT_volume_is_refused_at_mount_and_never_written(string kind, string expected)
    {
        var (image, _) = MakeImage(16);
        using (image)
        {
            var bytes = File.ReadAllBytes(image.Path);
            switch (kind)
            {
                case "random":
                    new Random(5).NextBytes(bytes);
                    break;
                case "zeros":
                    Array.Clear(bytes);
                    break;
                default:
                    bytes = bytes.AsSpan(0, bytes.Length / 4).ToArray();
                    break;
            }

            File.WriteAllBytes(image.Path, bytes);
            var before = SHA256.HashData(bytes);
            using (var fsd = new FsdMachine(image.Path))
            {
                var (status, ioStatus, mounted) = fsd.Run(() =>
                {
                    var open = fsd.Open(@"\??\C:\README.TXT", AccessMask.FILE_GENERIC_READ | AccessMask.FILE_GENERIC_WRITE, FILE_OPEN_IF);
                    return (open.Status, open.IoStatus, fsd.Fat.MountedVolumeCount);
                });

                Assert.Equal(expected, status.ToString());
                Assert.Equal(status, ioStatus);
                Assert.Equal(0, mounted);
            }

            Assert.Equal(before, SHA256.HashData(File.ReadAllBytes(image.Path)));
        }
    }

    [Fact]
    public void A_read_only_image_mounts_read_only_and_refuses_changes_with_STATUS_MEDIA_WRITE_PROTECTED()
    {
        var (image, _) = MakeImage(12);
        using (image)
        {
            var before = SHA256.HashData(File.ReadAllBytes(image.Path));
            using (var fsd = new FsdMachine(image.Path, readOnly: true))
            {
                fsd.Run(() =>
                {
                    var readme = fsd.OpenOk(@"\??\C:\README.TXT", AccessMask.FILE_GENERIC_READ);
                    Assert.Equal(Readme, ReadAll(readme.File, 512));
                    Close(readme);
                    Assert.Equal(STATUS_MEDIA_WRITE_PROTECTED, fsd.Open(@"\??\C:\NEW.TXT", AccessMask.FILE_GENERIC_WRITE, FILE_CREATE).Status);
                });
            }

            Assert.Equal(before, SHA256.HashData(File.ReadAllBytes(image.Path)));
        }
    }

    internal static byte[] RenameInfo(string name, bool replace)
    {
        var nameBytes = Encoding.Unicode.GetBytes(name);
        var info = new byte[0x14 + nameBytes.Length];
        info[0] = (byte)(replace ? 1 : 0);
        BinaryPrimitives.WriteUInt32LittleEndian(info.AsSpan(0x10), (uint)nameBytes.Length);
        nameBytes.CopyTo(info, 0x14);
        return info;
    }

    internal static string NameOf(byte[] fileNameInformation) =>
        new(MemoryMarshal.Cast<byte, char>(fileNameInformation.AsSpan(4, BitConverter.ToInt32(fileNameInformation, 0))));

    internal static byte[] McopyOut(FatImage image, string path)
    {
        var target = Path.Combine(image.Scratch("out"), "copy.bin");
        FatTools.Run("mcopy", "-n", "-i", image.Path, path, target);
        return File.ReadAllBytes(target);
    }
}
