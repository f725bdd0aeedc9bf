using SharpNT.Drivers.Storage;
using SharpNT.Kernel;
using SharpNT.Kernel.Io;
using static SharpNT.Kernel.Ddi.Wdm;
using static SharpNT.Kernel.NTSTATUS;

namespace SharpNT.Drivers.Tests.Io;

/// <summary>
/// IopMountVolume: on the first open below a storage device with a VPB, each registered file system of
/// the disk type, newest first, is asked with IRP_MN_MOUNT_VOLUME until one accepts.
/// </summary>
public sealed class MountPathTests : IDisposable
{
    private readonly string _image = Path.Combine(Path.GetTempPath(), "sharpnt-mount-" + Guid.NewGuid().ToString("N") + ".img");

    public MountPathTests() => File.WriteAllBytes(_image, new byte[64 * 1024]);

    public void Dispose() => File.Delete(_image);

    private (Machine Machine, ProbeFileSystemDriver Older, ProbeFileSystemDriver Newer) Boot(NTSTATUS olderAnswer, NTSTATUS newerAnswer, List<string> log)
    {
        var machine = Machine.Boot(new MachineDescription { Name = "mount", Processors = 1, MemoryMiB = 32, PagefileMiB = 16 }, new MachineOptions());
        var older = new ProbeFileSystemDriver("OlderFs", olderAnswer, log);
        var newer = new ProbeFileSystemDriver("NewerFs", newerAnswer, log);
        machine.Run(() =>
        {
            Assert.Equal(STATUS_SUCCESS, machine.Io.LoadDriver(new ImageDiskDriver([new ImageDiskOptions(_image)]), out _));
            Assert.Equal(STATUS_SUCCESS, machine.Io.LoadDriver(older, out _));
            Assert.Equal(STATUS_SUCCESS, machine.Io.LoadDriver(newer, out _));
            Assert.Equal(STATUS_SUCCESS, machine.Io.AssignDriveLetter('E', @"\Device\HarddiskVolume1"));
        });
        return (machine, older, newer);
    }

    private static NTSTATUS Open(Machine machine, string path, out FILE_OBJECT file)
    {
        InitializeObjectAttributes(out var oa, new UNICODE_STRING(path), OBJECT_ATTRIBUTES.OBJ_KERNEL_HANDLE, HANDLE.NULL, null);
        var status = machine.Io.CreateFile(out var handle, AccessMask.FILE_GENERIC_READ, oa, out var ioStatus, out _, 0, 7, 1, 0, KernelMode);
        file = FILE_OBJECT.NULL;
        if (status.IsSuccess())
        {
            Assert.Equal(STATUS_SUCCESS, ObReferenceObjectByHandle(handle, 0, IoFileObjectType, KernelMode, out var body, out _));
            file = (FILE_OBJECT)body!;
            ZwClose(handle);
        }
        else
        {
            Assert.Equal(status, ioStatus);
        }

        return status;
    }

    [Fact]
    public void STATUS_UNRECOGNIZED_VOLUME_moves_on_to_the_next_file_system_and_the_open_goes_to_the_one_that_mounted()
    {
        var log = new List<string>();
        var (machine, older, _) = Boot(STATUS_SUCCESS, STATUS_UNRECOGNIZED_VOLUME, log);
        using (machine)
        {
            machine.Run(() =>
            {
                Assert.Equal(STATUS_SUCCESS, Open(machine, @"\??\E:\dir\file.txt", out var file));
                var vpb = new VPB(file.Vpb);
                Assert.Equal(VPB_FLAGS.VPB_MOUNTED, vpb.Flags);
                Assert.Equal(older.VolumeDevice, vpb.DeviceObject);
                Assert.Equal(older.VolumeDevice, IoGetRelatedDeviceObject(file));
                ObDereferenceObject(file);

                // Mounted once: the next open goes straight to the volume.
                Assert.Equal(STATUS_SUCCESS, Open(machine, @"\??\E:\other", out var second));
                ObDereferenceObject(second);
            });
        }

        Assert.Equal(["NewerFs mount real", "OlderFs mount real", @"OlderFs create \dir\file.txt", @"OlderFs create \other"], log);
    }

    [Fact]
    public void No_file_system_recognising_the_volume_gives_the_opener_STATUS_UNRECOGNIZED_VOLUME_and_the_next_open_asks_again()
    {
        var log = new List<string>();
        var (machine, older, _) = Boot(STATUS_UNRECOGNIZED_VOLUME, STATUS_UNRECOGNIZED_VOLUME, log);
        using (machine)
        {
            machine.Run(() =>
            {
                Assert.Equal(STATUS_UNRECOGNIZED_VOLUME, Open(machine, @"\??\E:\file", out _));
                older.MountAnswer = STATUS_SUCCESS;
                Assert.Equal(STATUS_SUCCESS, Open(machine, @"\??\E:\file", out var file));
                ObDereferenceObject(file);
            });
        }

        Assert.Equal(["NewerFs mount real", "OlderFs mount real", "NewerFs mount real", "OlderFs mount real", @"OlderFs create \file"], log);
    }

    [Fact]
    public void A_file_system_that_knows_the_volume_but_finds_it_corrupt_ends_the_search_with_its_status()
    {
        var log = new List<string>();
        var (machine, _, _) = Boot(STATUS_SUCCESS, STATUS_FILE_CORRUPT_ERROR, log);
        using (machine)
        {
            machine.Run(() => Assert.Equal(STATUS_FILE_CORRUPT_ERROR, Open(machine, @"\??\E:\file", out _)));
        }

        Assert.Equal(["NewerFs mount real"], log);
    }

    [Fact]
    public void A_registration_change_routine_hears_of_file_systems_already_registered_and_of_later_changes()
    {
        var log = new List<string>();
        var (machine, older, newer) = Boot(STATUS_SUCCESS, STATUS_SUCCESS, log);
        using (machine)
        {
            var heard = machine.Run(() =>
            {
                var seen = new List<(DEVICE_OBJECT, bool)>();
                Assert.Equal(STATUS_SUCCESS, IoRegisterFsRegistrationChange(older.Control.DriverObject, (d, active) => seen.Add((d, active))));
                IoUnregisterFileSystem(newer.Control);
                return (seen, older.Control, newer.Control);
            });

            Assert.Equal([(heard.Item2, true), (heard.Item3, true), (heard.Item3, false)], heard.seen);
        }
    }
}
