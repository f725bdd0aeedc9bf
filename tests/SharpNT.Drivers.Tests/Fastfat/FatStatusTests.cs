using SharpNT.Drivers.Fastfat;
using SharpNT.Kernel;

namespace SharpNT.Drivers.Tests.Fastfat;

/// <summary>Each refusal returns the NTSTATUS NT's FAT returns, and leaves the volume clean.</summary>
public sealed class FatStatusTests : IDisposable
{
    private readonly FatImage _image = FatImage.CreateSmall(16);
    private readonly MemoryBlockDevice _device;
    private readonly FatVolume _volume;

    public FatStatusTests()
    {
        (_device, _volume) = _image.Mount();
        _volume.MakeDirectory("\\dir");
        _volume.WriteFile("\\dir\\file.txt", "data"u8.ToArray());
    }

    public void Dispose() => _image.Dispose();

    [Theory]
    [InlineData("\\bad*name")]
    [InlineData("\\bad?name")]
    [InlineData("\\bad:name")]
    [InlineData("\\bad<name")]
    [InlineData("\\bad|name")]
    [InlineData("\\bad\"name")]
    [InlineData("\\bad\u0001name")]
    [InlineData("\\trailing dot.")]
    [InlineData("\\trailing space ")]
    [InlineData("\\dir\\\\double")]
    [InlineData("\\.")]
    [InlineData("\\..")]
    [InlineData("relative")]
    public void Illegal_names_are_STATUS_OBJECT_NAME_INVALID(string path)
    {
        var status = _volume.Create(null, path, FatCreateDisposition.FILE_CREATE, FatCreateOptions.None, FatAttributes.None, out _, out _);
        Assert.Equal(NTSTATUS.STATUS_OBJECT_NAME_INVALID, status);
    }

    [Fact]
    public void A_component_of_256_characters_is_invalid_and_255_is_fine()
    {
        var status = _volume.Create(null, "\\" + new string('n', 256), FatCreateDisposition.FILE_CREATE, FatCreateOptions.None,
            FatAttributes.None, out _, out _);
        Assert.Equal(NTSTATUS.STATUS_OBJECT_NAME_INVALID, status);
        _volume.WriteFile("\\" + new string('n', 255), [1]);
        Assert.Equal(new string('n', 255), Assert.Single(_volume.List("\\", "nnn*")).FileName);
    }

    [Fact]
    public void Open_reports_missing_names_and_missing_paths_apart()
    {
        Assert.Equal(NTSTATUS.STATUS_OBJECT_NAME_NOT_FOUND, _volume.Open("\\dir\\absent.txt", out _));
        Assert.Equal(NTSTATUS.STATUS_OBJECT_PATH_NOT_FOUND, _volume.Open("\\absent\\file.txt", out _));
        Assert.Equal(NTSTATUS.STATUS_OBJECT_PATH_NOT_FOUND, _volume.Open("\\dir\\file.txt\\below", out _));
    }

    [Fact]
    public void Create_dispositions_follow_NT()
    {
        Assert.Equal(NTSTATUS.STATUS_OBJECT_NAME_COLLISION, Create("\\dir\\file.txt", FatCreateDisposition.FILE_CREATE, out _));
        Assert.Equal(NTSTATUS.STATUS_OBJECT_NAME_NOT_FOUND, Create("\\dir\\new.txt", FatCreateDisposition.FILE_OVERWRITE, out _));
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, Create("\\dir\\new.txt", FatCreateDisposition.FILE_OPEN_IF, out var action));
        Assert.Equal(FatCreateAction.FILE_CREATED, action);
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, Create("\\dir\\new.txt", FatCreateDisposition.FILE_OPEN_IF, out action));
        Assert.Equal(FatCreateAction.FILE_OPENED, action);
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, Create("\\dir\\file.txt", FatCreateDisposition.FILE_OVERWRITE, out action));
        Assert.Equal(FatCreateAction.FILE_OVERWRITTEN, action);
        Assert.Empty(_volume.ReadFile("\\dir\\file.txt"));
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, Create("\\dir\\file.txt", FatCreateDisposition.FILE_SUPERSEDE, out action));
        Assert.Equal(FatCreateAction.FILE_SUPERSEDED, action);
        Assert.Equal(NTSTATUS.STATUS_OBJECT_NAME_COLLISION, Create("\\dir", FatCreateDisposition.FILE_CREATE, out _));
        Assert.Equal(NTSTATUS.STATUS_ACCESS_DENIED, Create("\\", FatCreateDisposition.FILE_OVERWRITE_IF, out _));
    }

    [Fact]
    public void Directory_and_file_options_are_checked()
    {
        var status = _volume.Create(null, "\\dir", FatCreateDisposition.FILE_OPEN, FatCreateOptions.FILE_NON_DIRECTORY_FILE,
            FatAttributes.None, out _, out _);
        Assert.Equal(NTSTATUS.STATUS_FILE_IS_A_DIRECTORY, status);
        status = _volume.Create(null, "\\dir\\file.txt", FatCreateDisposition.FILE_OPEN, FatCreateOptions.FILE_DIRECTORY_FILE,
            FatAttributes.None, out _, out _);
        Assert.Equal(NTSTATUS.STATUS_NOT_A_DIRECTORY, status);
        Assert.Equal(NTSTATUS.STATUS_OBJECT_NAME_INVALID, _volume.Open("\\dir\\file.txt\\", out _));
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, _volume.Open("\\dir\\", out var directory));
        Assert.Equal(NTSTATUS.STATUS_INVALID_DEVICE_REQUEST, _volume.Read(directory!, 0, new byte[10], out _));
        Assert.Equal(NTSTATUS.STATUS_INVALID_DEVICE_REQUEST, _volume.Write(directory!, 0, new byte[10], out _));
        _volume.Close(directory!);
    }

    [Fact]
    public void Reading_at_or_past_the_end_is_STATUS_END_OF_FILE()
    {
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, _volume.Open("\\dir\\file.txt", out var fcb));
        var buffer = new byte[100];
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, _volume.Read(fcb!, 2, buffer, out var read));
        Assert.Equal(2, read);
        Assert.Equal(NTSTATUS.STATUS_END_OF_FILE, _volume.Read(fcb!, 4, buffer, out read));
        Assert.Equal(0, read);
        Assert.Equal(NTSTATUS.STATUS_END_OF_FILE, _volume.Read(fcb!, 1000, buffer, out _));
        Assert.Equal(NTSTATUS.STATUS_INVALID_PARAMETER, _volume.Read(fcb!, -1, buffer, out _));
        _volume.Close(fcb!);
    }

    [Fact]
    public void Read_only_files_refuse_writes_and_deletion()
    {
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, _volume.Open("\\dir\\file.txt", out var fcb));
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, _volume.SetBasicInformation(fcb!, new FatBasicInformation(0, 0, 0, 0, (uint)FatAttributes.ReadOnly)));
        Assert.Equal(NTSTATUS.STATUS_ACCESS_DENIED, _volume.Write(fcb!, 0, [1], out _));
        Assert.Equal(NTSTATUS.STATUS_ACCESS_DENIED, _volume.SetEndOfFile(fcb!, 0));
        Assert.Equal(NTSTATUS.STATUS_CANNOT_DELETE, _volume.Delete(fcb!));
        Assert.Equal(NTSTATUS.STATUS_ACCESS_DENIED, Create("\\dir\\file.txt", FatCreateDisposition.FILE_OVERWRITE, out _));
        _volume.Close(fcb!);
        Assert.Equal("data"u8.ToArray(), _volume.ReadFile("\\dir\\file.txt"));
    }

    [Fact]
    public void The_root_cannot_be_deleted_or_renamed()
    {
        Assert.Equal(NTSTATUS.STATUS_CANNOT_DELETE, _volume.Delete(_volume.RootDcb));
        Assert.Equal(NTSTATUS.STATUS_INVALID_PARAMETER, _volume.Rename(_volume.RootDcb, _volume.RootDcb, "x", false));
    }

    [Fact]
    public void Renames_report_collisions_and_refuse_to_replace_directories_and_open_files()
    {
        _volume.WriteFile("\\dir\\other.txt", [9]);
        _volume.MakeDirectory("\\dir\\sub");
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, _volume.Open("\\dir\\file.txt", out var fcb));
        Assert.Equal(NTSTATUS.STATUS_OBJECT_NAME_COLLISION, _volume.Rename(fcb!, "\\dir\\OTHER.TXT", false));
        Assert.Equal(NTSTATUS.STATUS_ACCESS_DENIED, _volume.Rename(fcb!, "\\dir\\sub", true));
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, _volume.Open("\\dir\\other.txt", out var other));
        Assert.Equal(NTSTATUS.STATUS_ACCESS_DENIED, _volume.Rename(fcb!, "\\dir\\other.txt", true));
        _volume.Close(other!);
        Assert.Equal(NTSTATUS.STATUS_OBJECT_PATH_NOT_FOUND, _volume.Rename(fcb!, "\\nowhere\\x.txt", false));
        Assert.Equal(NTSTATUS.STATUS_OBJECT_NAME_INVALID, _volume.Rename(fcb!, "\\dir\\bad>name", false));
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, _volume.Rename(fcb!, "\\dir\\FILE.TXT", false));
        Assert.Equal("FILE.TXT", fcb!.Name);
        _volume.Close(fcb);

        Assert.Equal(NTSTATUS.STATUS_SUCCESS, _volume.Open("\\dir", out var directory));
        Assert.Equal(NTSTATUS.STATUS_INVALID_PARAMETER, _volume.Rename(directory!, "\\dir\\sub\\inside", false));
        _volume.Close(directory!);
        _image.Save(_device, _volume);
        FatTools.AssertClean(_image.Path);
    }

    [Fact]
    public void A_deleted_open_file_answers_STATUS_FILE_DELETED()
    {
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, _volume.Open("\\dir\\file.txt", out var first));
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, _volume.Open("\\dir\\file.txt", out var second));
        Assert.Same(first, second);
        Assert.Equal(2, first!.OpenCount);
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, _volume.Delete(first));
        Assert.Equal(NTSTATUS.STATUS_FILE_DELETED, _volume.Read(second!, 0, new byte[4], out _));
        Assert.Equal(NTSTATUS.STATUS_FILE_DELETED, _volume.Delete(second!));
        _volume.Close(first);
        _volume.Close(second!);
        Assert.Equal(NTSTATUS.STATUS_OBJECT_NAME_NOT_FOUND, _volume.Open("\\dir\\file.txt", out _));
    }

    [Fact]
    public void Delete_pending_files_refuse_new_opens_until_deleted()
    {
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, _volume.Open("\\dir\\file.txt", out var fcb));
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, _volume.Open("\\dir", out var directory));
        Assert.Equal(NTSTATUS.STATUS_DIRECTORY_NOT_EMPTY, _volume.SetDispositionInformation(directory!, deleteFile: true));
        Assert.Equal(NTSTATUS.STATUS_CANNOT_DELETE, _volume.SetDispositionInformation(_volume.RootDcb, deleteFile: true));
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, _volume.SetDispositionInformation(fcb!, deleteFile: true));
        Assert.True(fcb!.DeletePending);
        Assert.Equal(NTSTATUS.STATUS_DELETE_PENDING, _volume.Open("\\dir\\file.txt", out _));
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, _volume.SetDispositionInformation(fcb, deleteFile: false));
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, _volume.Open("\\dir\\file.txt", out var second));
        _volume.Close(second!);
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, _volume.SetDispositionInformation(fcb, deleteFile: true));
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, _volume.Delete(fcb));
        _volume.Close(fcb);
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, _volume.SetDispositionInformation(directory!, deleteFile: true));
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, _volume.Delete(directory!));
        _volume.Close(directory!);
        Assert.Empty(_volume.List("\\"));
    }

    [Fact]
    public void A_dismounted_volume_answers_STATUS_VOLUME_DISMOUNTED()
    {
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, _volume.Open("\\dir\\file.txt", out var fcb));
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, _volume.Dismount());
        Assert.Equal(NTSTATUS.STATUS_VOLUME_DISMOUNTED, _volume.Read(fcb!, 0, new byte[4], out _));
        Assert.Equal(NTSTATUS.STATUS_VOLUME_DISMOUNTED, _volume.Open("\\dir\\file.txt", out _));
    }

    [Fact]
    public void A_read_only_mount_never_writes()
    {
        _image.Save(_device, _volume);
        var (device, volume) = _image.Mount(readOnly: true);
        var before = (byte[])device.Image.Clone();
        Assert.Equal(NTSTATUS.STATUS_MEDIA_WRITE_PROTECTED, Create(volume, "\\new.txt", FatCreateDisposition.FILE_CREATE, out _));
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, volume.Open("\\dir\\file.txt", out var fcb));
        Assert.Equal(NTSTATUS.STATUS_MEDIA_WRITE_PROTECTED, volume.Write(fcb!, 0, [1], out _));
        Assert.Equal(NTSTATUS.STATUS_MEDIA_WRITE_PROTECTED, volume.Delete(fcb!));
        Assert.Equal("data"u8.ToArray(), volume.ReadFile("\\dir\\file.txt"));
        volume.Close(fcb!);
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, volume.Dismount());
        Assert.Equal(0, device.WriteCalls);
        Assert.Equal(before, device.Image);
    }

    [Fact]
    public void Relative_opens_start_at_the_related_directory()
    {
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, _volume.Open("\\dir", out var directory));
        var status = _volume.Create(directory, "file.txt", FatCreateDisposition.FILE_OPEN, FatCreateOptions.None, FatAttributes.None,
            out var fcb, out _);
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, status);
        Assert.Equal("\\dir\\file.txt", fcb!.FullPath);
        _volume.Close(fcb);
        status = _volume.Create(directory, "\\file.txt", FatCreateDisposition.FILE_OPEN, FatCreateOptions.None, FatAttributes.None, out _, out _);
        Assert.Equal(NTSTATUS.STATUS_OBJECT_NAME_INVALID, status);
        _volume.Close(directory!);
    }

    [Fact]
    public void Closing_everything_leaves_no_fcbs_behind()
    {
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, _volume.Open("\\dir\\file.txt", out var fcb));
        Assert.True(_volume.FcbCount >= 2);
        _volume.Close(fcb!);
        Assert.Equal(NTSTATUS.STATUS_OBJECT_PATH_NOT_FOUND, _volume.Open("\\dir\\nope\\x", out _));
        var refused = _volume.Create(null, "\\dir\\file.txt", FatCreateDisposition.FILE_OPEN, FatCreateOptions.FILE_DIRECTORY_FILE,
            FatAttributes.None, out _, out _);
        Assert.Equal(NTSTATUS.STATUS_NOT_A_DIRECTORY, refused);
        Assert.Equal(NTSTATUS.STATUS_OBJECT_NAME_COLLISION, _volume.CreateDirectory("\\dir\\file.txt", out _));
        Assert.Equal(0, _volume.FcbCount);
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, _volume.Open("\\dir\\file.txt", out var again));
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, _volume.Rename(again!, "\\moved.txt", false));
        _volume.Close(again!);
        Assert.Equal(0, _volume.FcbCount);
    }

    private NTSTATUS Create(string path, FatCreateDisposition disposition, out FatCreateAction action) =>
        Create(_volume, path, disposition, out action);

    private static NTSTATUS Create(FatVolume volume, string path, FatCreateDisposition disposition, out FatCreateAction action)
    {
        var status = volume.Create(null, path, disposition, FatCreateOptions.None, FatAttributes.None, out var fcb, out action);
        if (status.IsSuccess())
        {
            volume.Close(fcb!);
        }

        return status;
    }
}
