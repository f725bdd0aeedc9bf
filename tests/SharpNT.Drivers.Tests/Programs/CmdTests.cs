using SharpNT.Cli;
using SharpNT.Drivers.Tests.Fastfat;

namespace SharpNT.Drivers.Tests.Programs;

/// <summary>
/// `sharpnt run --disk IMAGE -- cmd /c ...` as a person types it, on images made by mkfs.fat and filled by
/// mcopy, with what cmd changed checked by mtype, mdir and fsck.fat afterwards.
/// </summary>
public sealed class CmdTests
{
    private static (int Exit, string Out, string Error) Sharpnt(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = SharpNtCommand.Create(stdout, stderr).Parse(args).Invoke();
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private static (int Exit, string Out) Cmd(FatImage image, params string[] command)
    {
        var (exit, output, error) = Sharpnt(["run", "--disk", image.Path, "--", "cmd", "/c", .. command]);
        return (exit, output + error);
    }

    private static FatImage ImageWithDocs(int fatBits)
    {
        var image = FatImage.CreateSmall(fatBits);
        var host = Path.Combine(image.Directory, "tree");
        Directory.CreateDirectory(Path.Combine(host, "DOCS"));
        File.WriteAllText(Path.Combine(host, "DOCS", "README.TXT"), "Read me, from mcopy.\r\n");
        File.WriteAllBytes(Path.Combine(host, "DOCS", "A long file name with spaces.bin"), [.. Enumerable.Range(0, 5000).Select(i => (byte)(i * 7))]);
        FatTools.Run("mcopy", "-s", "-i", image.Path, Path.Combine(host, "DOCS"), "::/");
        return image;
    }

    private static void AssertClean(FatImage image) => FatTools.Run("fsck.fat", "-n", image.Path);

    [Theory]
    [InlineData(12)]
    [InlineData(16)]
    [InlineData(32)]
    public void Type_prints_a_file_mcopy_wrote(int fatBits)
    {
        using var image = ImageWithDocs(fatBits);
        var (exit, output) = Cmd(image, "type", @"C:\DOCS\README.TXT");
        Assert.Equal(0, exit);
        Assert.Equal("Read me, from mcopy.\r\n", output);
    }

    [Fact]
    public void Dir_lists_what_mdir_lists_including_long_names()
    {
        using var image = ImageWithDocs(16);
        var (exit, output) = Cmd(image, "dir", @"C:\DOCS");
        Assert.Equal(0, exit);
        Assert.Contains(@" Directory of C:\DOCS", output, StringComparison.Ordinal);
        Assert.Contains("               22 README.TXT", output, StringComparison.Ordinal);
        Assert.Contains("            5,000 A long file name with spaces.bin", output, StringComparison.Ordinal);
        Assert.Contains("               2 File(s)          5,022 bytes", output, StringComparison.Ordinal);
        var mdir = FatTools.Run("mdir", "-i", image.Path, "::/DOCS");
        Assert.Contains("A long file name with spaces.bin", mdir, StringComparison.Ordinal);
    }

    [Fact]
    public void Echo_copy_ren_del_mkdir_rmdir_change_the_disk_as_mtools_sees_it_and_fsck_finds_it_clean()
    {
        using var image = ImageWithDocs(32);
        Assert.Equal(0, Cmd(image, "echo", "hello", "world", ">", @"C:\NEW.TXT").Exit);
        Assert.Equal(0, Cmd(image, "echo", "second", "line", ">>", @"C:\NEW.TXT").Exit);
        Assert.Equal("hello world\r\nsecond line\r\n", FatTools.Run("mtype", "-i", image.Path, "::/NEW.TXT"));

        Assert.Equal(0, Cmd(image, "mkdir", @"C:\My Folder").Exit);
        Assert.Equal(0, Cmd(image, "copy", @"C:\DOCS\A long file name with spaces.bin", @"C:\My Folder").Exit);
        Assert.Equal(0, Cmd(image, "ren", @"C:\My Folder\A long file name with spaces.bin", "copied.bin").Exit);
        var copy = Path.Combine(image.Directory, "copied.bin");
        FatTools.Run("mcopy", "-i", image.Path, "::/My Folder/copied.bin", copy);
        Assert.Equal(File.ReadAllBytes(Path.Combine(image.Directory, "tree", "DOCS", "A long file name with spaces.bin")), File.ReadAllBytes(copy));

        var (notEmpty, message) = Cmd(image, "rmdir", @"C:\My Folder");
        Assert.Equal(1, notEmpty);
        Assert.Contains("The directory is not empty.", message, StringComparison.Ordinal);
        Assert.Equal(0, Cmd(image, "del", @"C:\My Folder\copied.bin").Exit);
        Assert.Equal(0, Cmd(image, "rmdir", @"C:\My Folder").Exit);
        Assert.Equal(0, Cmd(image, "del", @"C:\NEW.TXT").Exit);

        var root = FatTools.Run("mdir", "-b", "-i", image.Path, "::/");
        Assert.DoesNotContain("NEW.TXT", root, StringComparison.Ordinal);
        Assert.DoesNotContain("My Folder", root, StringComparison.Ordinal);
        AssertClean(image);
    }

    [Fact]
    public void Missing_files_get_cmds_messages_and_errorlevel_1()
    {
        using var image = ImageWithDocs(16);
        var (exit, output) = Cmd(image, "type", @"C:\DOCS\NOPE.TXT");
        Assert.Equal(1, exit);
        Assert.Contains("The system cannot find the file specified.", output, StringComparison.Ordinal);
        (exit, output) = Cmd(image, "dir", @"C:\NOWHERE\*");
        Assert.Equal(1, exit);
        Assert.Contains("The system cannot find the path specified.", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_disks_are_C_and_D()
    {
        using var c = ImageWithDocs(16);
        using var d = FatImage.CreateSmall(12);
        var (exit, output, _) = Sharpnt("run", "--disk", c.Path, "--disk", d.Path, "--", "cmd", "/c", "copy", @"C:\DOCS\README.TXT", @"D:\");
        Assert.Equal(0, exit);
        Assert.Contains("1 file(s) copied.", output, StringComparison.Ordinal);
        Assert.Equal("Read me, from mcopy.\r\n", FatTools.Run("mtype", "-i", d.Path, "::/README.TXT"));
        AssertClean(d);
    }

    [Fact]
    public void A_missing_image_is_refused_with_exit_2()
    {
        var (exit, _, error) = Sharpnt("run", "--disk", "/nonexistent/disk.img", "--", "cmd", "/c", "dir");
        Assert.Equal(2, exit);
        Assert.Contains("Disk image '/nonexistent/disk.img' not found.", error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_image_that_is_not_FAT_is_refused_at_mount_and_left_untouched()
    {
        using var image = FatImage.CreateSmall(16);
        var junk = new byte[1024 * 1024];
        new Random(5).NextBytes(junk);
        File.WriteAllBytes(image.Path, junk);
        var (exit, output) = Cmd(image, "dir", @"C:\");
        Assert.Equal(1, exit);
        Assert.Contains("Error", output, StringComparison.Ordinal);
        Assert.Equal(junk, File.ReadAllBytes(image.Path));
    }
}
