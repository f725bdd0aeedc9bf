using SharpNT.Drivers.Fastfat;
using SharpNT.Kernel;

namespace SharpNT.Drivers.Tests.Fastfat;

/// <summary>What the engine writes, mcopy/mtype/mdir read back exactly and fsck.fat -n finds clean.</summary>
public sealed class FatWriteInteropTests
{
    [Theory]
    [InlineData(12)]
    [InlineData(16)]
    [InlineData(32)]
    public void Tree_written_by_the_engine_is_extracted_exactly_by_mcopy_and_fsck_finds_it_clean(int fatBits)
    {
        using var image = FatImage.CreateSmall(fatBits);
        var expected = image.Scratch("expected");
        HostTree.Populate(expected);
        var (device, volume) = image.Mount();
        var (files, directories) = HostTree.Scan(expected);
        foreach (var directory in directories)
        {
            volume.MakeDirectory(HostTree.ToNtPath(directory));
        }

        foreach (var file in files)
        {
            volume.WriteFile(HostTree.ToNtPath(file), File.ReadAllBytes(Path.Combine(expected, file)));
        }

        image.Save(device, volume);
        FatTools.AssertClean(image.Path);
        HostTree.AssertSame(expected, Extract(image));
        Assert.Equal("deep file\n", FatTools.Run("mtype", "-i", image.Path, "::/sub/Second Level/deep/file.txt"));
        var listing = FatTools.Run("mdir", "-/", "-i", image.Path, "::/");
        Assert.Contains("A long file name with spaces.txt", listing, StringComparison.Ordinal);
        Assert.Contains("ünïcødé ☃ name.bin", listing, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(12)]
    [InlineData(16)]
    [InlineData(32)]
    public void Every_operation_leaves_the_volume_clean_for_fsck_and_exact_for_mcopy(int fatBits)
    {
        using var image = FatImage.CreateSmall(fatBits);
        var (device, volume) = image.Mount();
        var model = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var directories = new SortedSet<string>(StringComparer.Ordinal);

        void Check()
        {
            Assert.Equal(NTSTATUS.STATUS_SUCCESS, volume.Flush());
            File.WriteAllBytes(image.Path, device.Image);
            FatTools.AssertClean(image.Path);
        }

        // Create an empty file, then write, append, overwrite inside, truncate and extend it.
        volume.WriteFile("\\Growing File.bin", []);
        model["Growing File.bin"] = [];
        Check();
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, volume.Open("\\Growing File.bin", out var growing));
        var data = FatTestVolume.Pattern(10_000, 1);
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, volume.Write(growing!, 0, data, out _));
        model["Growing File.bin"] = data;
        Check();
        var more = FatTestVolume.Pattern(5_000, 2);
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, volume.Append(growing!, more, out _));
        model["Growing File.bin"] = [.. data, .. more];
        Check();
        var patch = FatTestVolume.Pattern(700, 3);
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, volume.Write(growing!, 4_000, patch, out _));
        patch.CopyTo(model["Growing File.bin"], 4_000);
        Check();
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, volume.SetEndOfFile(growing!, 3_000));
        model["Growing File.bin"] = model["Growing File.bin"][..3_000];
        Check();
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, volume.SetEndOfFile(growing!, 20_000));
        model["Growing File.bin"] = [.. model["Growing File.bin"], .. new byte[17_000]];
        Check();
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, volume.Write(growing!, 25_000, [1, 2, 3], out _));
        model["Growing File.bin"] = [.. model["Growing File.bin"], .. new byte[5_000], 1, 2, 3];
        Check();
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, volume.SetEndOfFile(growing!, 0));
        model["Growing File.bin"] = [];
        Check();
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, volume.Write(growing!, 0, data, out _));
        model["Growing File.bin"] = data;
        volume.Close(growing!);
        Check();

        // Directories, nested files, renames within and across directories, replace, directory moves.
        volume.MakeDirectory("\\Documents");
        volume.MakeDirectory("\\Documents\\Nested Folder");
        volume.MakeDirectory("\\other");
        directories.UnionWith(["Documents", "Documents/Nested Folder", "other"]);
        Check();
        volume.WriteFile("\\Documents\\Nested Folder\\note.TXT", "note"u8.ToArray());
        volume.WriteFile("\\Documents\\report draft.doc", FatTestVolume.Pattern(3_000, 4));
        model["Documents/Nested Folder/note.TXT"] = "note"u8.ToArray();
        model["Documents/report draft.doc"] = FatTestVolume.Pattern(3_000, 4);
        Check();
        Rename(volume, "\\Documents\\report draft.doc", "\\Documents\\Final Report.doc", false);
        model["Documents/Final Report.doc"] = model["Documents/report draft.doc"];
        model.Remove("Documents/report draft.doc");
        Check();
        Rename(volume, "\\Documents\\Final Report.doc", "\\other\\moved.doc", false);
        model["other/moved.doc"] = model["Documents/Final Report.doc"];
        model.Remove("Documents/Final Report.doc");
        Check();
        volume.WriteFile("\\other\\victim.doc", FatTestVolume.Pattern(9_000, 5));
        Rename(volume, "\\other\\moved.doc", "\\other\\victim.doc", true);
        model["other/victim.doc"] = model["other/moved.doc"];
        model.Remove("other/moved.doc");
        Check();
        Rename(volume, "\\Documents\\Nested Folder", "\\other\\Nested Moved", false);
        directories.Remove("Documents/Nested Folder");
        directories.Add("other/Nested Moved");
        model["other/Nested Moved/note.TXT"] = model["Documents/Nested Folder/note.TXT"];
        model.Remove("Documents/Nested Folder/note.TXT");
        Check();
        Rename(volume, "\\other\\Nested Moved", "\\Top Level Again", false);
        directories.Remove("other/Nested Moved");
        directories.Add("Top Level Again");
        model["Top Level Again/note.TXT"] = model["other/Nested Moved/note.TXT"];
        model.Remove("other/Nested Moved/note.TXT");
        Check();

        // Deleting: a non-empty directory refuses, then empties and goes.
        Assert.Equal(NTSTATUS.STATUS_DIRECTORY_NOT_EMPTY, volume.Delete("\\Top Level Again"));
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, volume.Delete("\\Top Level Again\\note.TXT"));
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, volume.Delete("\\Top Level Again"));
        directories.Remove("Top Level Again");
        model.Remove("Top Level Again/note.TXT");
        Check();
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, volume.Delete("\\Documents"));
        directories.Remove("Documents");
        Check();

        image.Save(device, volume);
        FatTools.AssertClean(image.Path);
        var extracted = Extract(image);
        var (files, dirs) = HostTree.Scan(extracted);
        Assert.Equal(directories, dirs);
        Assert.Equal(new SortedSet<string>(model.Keys, StringComparer.Ordinal), files);
        foreach (var (path, contents) in model)
        {
            Assert.Equal(contents, File.ReadAllBytes(Path.Combine(extracted, path)));
        }
    }

    [Fact]
    public void Attributes_and_times_set_by_the_engine_are_what_mtools_and_the_engine_see()
    {
        using var image = FatImage.CreateSmall(16);
        var (device, volume) = image.Mount();
        volume.WriteFile("\\stamped.txt", "x"u8.ToArray());
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, volume.Open("\\stamped.txt", out var fcb));
        var when = new DateTime(2001, 9, 8, 7, 6, 5, DateTimeKind.Utc).ToFileTimeUtc();
        var info = new FatBasicInformation(when, when, when, 0, (uint)(FatAttributes.Hidden | FatAttributes.ReadOnly));
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, volume.SetBasicInformation(fcb!, info));
        var read = volume.QueryBasicInformation(fcb!);
        Assert.Equal(new DateTime(2001, 9, 8, 7, 6, 4, DateTimeKind.Utc).ToFileTimeUtc(), read.LastWriteTime);
        Assert.Equal(when, read.CreationTime);
        Assert.Equal(new DateTime(2001, 9, 8, 0, 0, 0, DateTimeKind.Utc).ToFileTimeUtc(), read.LastAccessTime);
        Assert.Equal((uint)(FatAttributes.Hidden | FatAttributes.ReadOnly), read.FileAttributes);
        volume.Close(fcb!);
        image.Save(device, volume);

        FatTools.AssertClean(image.Path);
        var listing = FatTools.Run("mdir", "-a", "-i", image.Path, "::/");
        Assert.Contains("2001-09-08", listing, StringComparison.Ordinal);
        Assert.Contains("7:06", listing, StringComparison.Ordinal);
        var attributes = FatTools.Run("mattrib", "-i", image.Path, "::/stamped.txt");
        Assert.Contains("R", attributes[..attributes.IndexOf(':', StringComparison.Ordinal)], StringComparison.Ordinal);
        Assert.Contains("H", attributes[..attributes.IndexOf(':', StringComparison.Ordinal)], StringComparison.Ordinal);
    }

    internal static void Rename(FatVolume volume, string from, string to, bool replace)
    {
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, volume.Open(from, out var fcb));
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, volume.Rename(fcb!, to, replace));
        volume.Close(fcb!);
    }

    internal static string Extract(FatImage image)
    {
        var target = image.Scratch("extracted-" + Guid.NewGuid().ToString("N"));
        FatTools.Run("mcopy", "-s", "-n", "-i", image.Path, "::", target + "/");
        return target;
    }
}
