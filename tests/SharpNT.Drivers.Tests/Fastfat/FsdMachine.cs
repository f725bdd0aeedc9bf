using System.Runtime.InteropServices;
using SharpNT.Drivers.Fastfat;
using SharpNT.Drivers.Filters;
using SharpNT.Drivers.Storage;
using SharpNT.Kernel;
using SharpNT.Kernel.Io;
using SharpNT.Kernel.Ke;
using static SharpNT.Kernel.Ddi.Wdm;
using static SharpNT.Kernel.NTSTATUS;

namespace SharpNT.Drivers.Tests.Fastfat;

/// <summary>
/// The requester half of the file-system tests: a machine with the image-backed volume, fastfat and
/// (optionally) the activity monitor, and kernel-mode requests shaped as the Nt* services send them:
/// IoCreateFile for opens, IRP_MJ_READ/WRITE built with IoBuildSynchronousFsdRequest, and information,
/// directory and volume requests built with IoAllocateIrp.
/// </summary>
internal sealed class FsdMachine : IDisposable
{
    public const uint FILE_SUPERSEDE = 0;
    public const uint FILE_OPEN = 1;
    public const uint FILE_CREATE = 2;
    public const uint FILE_OPEN_IF = 3;
    public const uint FILE_OVERWRITE = 4;
    public const uint FILE_OVERWRITE_IF = 5;
    public const uint FILE_DIRECTORY_FILE = 0x1;
    public const uint FILE_SYNCHRONOUS_IO_NONALERT = 0x20;
    public const uint FILE_NON_DIRECTORY_FILE = 0x40;
    public const uint FILE_DELETE_ON_CLOSE = 0x1000;
    public const uint ShareAll = FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE;

    private static readonly uint TagTest = PoolTag("Test");

    public FsdMachine(IReadOnlyList<ImageDiskOptions> images, ActivityMonitorDriver? filter = null, SchedulingMode scheduling = SchedulingMode.Deterministic)
    {
        Machine = Machine.Boot(
            new MachineDescription { Name = "fsd", Processors = 2, Seed = 1, MemoryMiB = 64, PagefileMiB = 16, Scheduling = scheduling },
            new MachineOptions());
        Disk = new ImageDiskDriver(images);
        Fat = new FatDriver();
        Filter = filter;
        Machine.Run(() =>
        {
            Assert.Equal(STATUS_SUCCESS, Machine.Io.LoadDriver(Disk, out _));
            Assert.Equal(STATUS_SUCCESS, Machine.Io.LoadDriver(Fat, out _));
            if (Filter is not null)
            {
                Assert.Equal(STATUS_SUCCESS, Machine.Io.LoadDriver(Filter, out _));
            }

            for (var i = 0; i < images.Count; i++)
            {
                Assert.Equal(STATUS_SUCCESS, Machine.Io.AssignDriveLetter((char)('C' + i), Disk.VolumeNames[i]));
            }
        });
    }

    public FsdMachine(string image, bool readOnly = false, ActivityMonitorDriver? filter = null)
        : this([new ImageDiskOptions(image, readOnly)], filter)
    {
    }

    public Machine Machine { get; }

    public ImageDiskDriver Disk { get; }

    public FatDriver Fat { get; }

    public ActivityMonitorDriver? Filter { get; }

    public T Run<T>(Func<T> body) => Machine.Run(body);

    public void Run(Action body) => Machine.Run(body);

    /// <summary>Shuts the machine down: the file systems flush and dismount first.</summary>
    public void Dispose() => Machine.Dispose();

    internal sealed record OpenResult(NTSTATUS Status, NTSTATUS IoStatus, ulong Information, HANDLE Handle, FILE_OBJECT File);

    /// <summary>IoCreateFile (as ZwCreateFile sends it) of a kernel path such as <c>\??\C:\DOCS\README.TXT</c>.</summary>
    public OpenResult Open(string path, uint access, uint disposition = FILE_OPEN, uint options = FILE_SYNCHRONOUS_IO_NONALERT,
        uint share = ShareAll, ushort attributes = 0)
    {
        InitializeObjectAttributes(out var oa, new UNICODE_STRING(path), OBJECT_ATTRIBUTES.OBJ_KERNEL_HANDLE | OBJECT_ATTRIBUTES.OBJ_CASE_INSENSITIVE,
            HANDLE.NULL, null);
        var status = Machine.Io.CreateFile(out var handle, access | AccessMask.SYNCHRONIZE, oa, out var ioStatus, out var information, attributes,
            (ushort)share, disposition, options, KPROCESSOR_MODE.KernelMode);
        var file = FILE_OBJECT.NULL;
        if (status.IsSuccess())
        {
            Assert.Equal(STATUS_SUCCESS, ObReferenceObjectByHandle(handle, 0, IoFileObjectType, KernelMode, out var body, out _));
            file = (FILE_OBJECT)body!;
            ObDereferenceObject(body!);
        }

        return new OpenResult(status, ioStatus, information, handle, file);
    }

    /// <summary>Opens and asserts success.</summary>
    public OpenResult OpenOk(string path, uint access, uint disposition = FILE_OPEN, uint options = FILE_SYNCHRONOUS_IO_NONALERT,
        uint share = ShareAll)
    {
        var result = Open(path, access, disposition, options, share);
        Assert.Equal(STATUS_SUCCESS, result.Status);
        return result;
    }

    public static void Close(OpenResult open) => Assert.Equal(STATUS_SUCCESS, ZwClose(open.Handle));

    /// <summary>IRP_MJ_READ or IRP_MJ_WRITE built by IoBuildSynchronousFsdRequest, sent to IoGetRelatedDeviceObject.</summary>
    public static (NTSTATUS Status, ulong Information) Transfer(FILE_OBJECT file, byte major, ulong buffer, uint length, long offset)
    {
        var device = IoGetRelatedDeviceObject(file);
        var evt = new KEVENT();
        KeInitializeEvent(evt, NotificationEvent, false);
        var iosbAddress = ExAllocatePool2(POOL_FLAG_NON_PAGED, 16, TagTest);
        var iosb = new IO_STATUS_BLOCK(iosbAddress);
        var irp = IoBuildSynchronousFsdRequest(major, device, buffer, length, new LARGE_INTEGER(offset), evt, iosb);
        Assert.False(irp.IsNull);
        IoGetNextIrpStackLocation(irp).FileObject = file;
        var status = IoCallDriver(device, irp);
        if (status == STATUS_PENDING)
        {
            KeWaitForSingleObject(evt, Executive, KernelMode, false, null);
        }

        var result = (iosb.Status, iosb.Information);
        ExFreePoolWithTag(iosbAddress, TagTest);
        return result;
    }

    public static (NTSTATUS Status, byte[] Data) Read(FILE_OBJECT file, long offset, int length)
    {
        var buffer = ExAllocatePool2(POOL_FLAG_NON_PAGED, (ulong)Math.Max(length, 1), TagTest);
        var (status, information) = Transfer(file, SharpNT.Kernel.Io.IRP_MJ.IRP_MJ_READ, buffer, (uint)length, offset);
        var data = new byte[information];
        CopyToHost(buffer, data);
        ExFreePoolWithTag(buffer, TagTest);
        return (status, data);
    }

    /// <summary>Reads a whole file in pieces of <paramref name="chunk"/> bytes until STATUS_END_OF_FILE.</summary>
    public static byte[] ReadAll(FILE_OBJECT file, int chunk)
    {
        var all = new List<byte>();
        while (true)
        {
            var (status, data) = Read(file, all.Count, chunk);
            if (status == STATUS_END_OF_FILE)
            {
                Assert.Empty(data);
                return [.. all];
            }

            Assert.Equal(STATUS_SUCCESS, status);
            all.AddRange(data);
        }
    }

    public static (NTSTATUS Status, ulong Information) Write(FILE_OBJECT file, long offset, ReadOnlySpan<byte> data)
    {
        var buffer = ExAllocatePool2(POOL_FLAG_NON_PAGED, (ulong)Math.Max(data.Length, 1), TagTest);
        CopyFromHost(buffer, data);
        var result = Transfer(file, SharpNT.Kernel.Io.IRP_MJ.IRP_MJ_WRITE, buffer, (uint)data.Length, offset);
        ExFreePoolWithTag(buffer, TagTest);
        return result;
    }

    /// <summary>
    /// An IRP from IoAllocateIrp for <paramref name="file"/>: <paramref name="setUp"/> fills the first stack
    /// location; a completion routine returning STATUS_MORE_PROCESSING_REQUIRED hands it back to be freed.
    /// The system buffer holds <paramref name="input"/> on the way down and the answer on the way up.
    /// </summary>
    public static (NTSTATUS Status, ulong Information, byte[] Output) Request(FILE_OBJECT file, byte major, byte minor, int bufferLength,
        Action<IO_STACK_LOCATION, ulong> setUp, ReadOnlySpan<byte> input = default, byte flags = 0, bool userBuffer = false)
    {
        var device = IoGetRelatedDeviceObject(file);
        var buffer = ExAllocatePool2(POOL_FLAG_NON_PAGED, (ulong)Math.Max(bufferLength, 1), TagTest);
        CopyFromHost(buffer, input);
        var irp = IoAllocateIrp(device.StackSize, false);
        var sl = IoGetNextIrpStackLocation(irp);
        sl.MajorFunction = major;
        sl.MinorFunction = minor;
        sl.Flags = flags;
        sl.FileObject = file;
        setUp(sl, buffer);
        if (userBuffer)
        {
            irp.UserBuffer = buffer;
        }
        else
        {
            irp.AssociatedIrp.SystemBuffer = buffer;
        }

        irp.Tail.Overlay.OriginalFileObject = file;
        var done = new KEVENT();
        KeInitializeEvent(done, NotificationEvent, false);
        IoSetCompletionRoutine(irp, (d, i, c) =>
        {
            KeSetEvent(done, IO_NO_INCREMENT, false);
            return STATUS_MORE_PROCESSING_REQUIRED;
        }, null, true, true, true);
        if (IoCallDriver(device, irp) == STATUS_PENDING)
        {
            KeWaitForSingleObject(done, Executive, KernelMode, false, null);
        }

        var status = irp.IoStatus.Status;
        var information = irp.IoStatus.Information;
        IoFreeIrp(irp);
        var output = new byte[bufferLength];
        CopyToHost(buffer, output);
        ExFreePoolWithTag(buffer, TagTest);
        return (status, information, output);
    }

    public static (NTSTATUS Status, ulong Information, byte[] Output) QueryInformation(FILE_OBJECT file, int infoClass, int length) =>
        Request(file, SharpNT.Kernel.Io.IRP_MJ.IRP_MJ_QUERY_INFORMATION, 0, length, (sl, _) =>
        {
            sl.Parameters.QueryFile.Length = (uint)length;
            sl.Parameters.QueryFile.FileInformationClass = infoClass;
        });

    public static (NTSTATUS Status, ulong Information, byte[] Output) SetInformation(FILE_OBJECT file, int infoClass, ReadOnlySpan<byte> data,
        FILE_OBJECT target = default)
    {
        var length = (uint)data.Length;
        return Request(file, SharpNT.Kernel.Io.IRP_MJ.IRP_MJ_SET_INFORMATION, 0, data.Length, (sl, _) =>
        {
            sl.Parameters.SetFile.Length = length;
            sl.Parameters.SetFile.FileInformationClass = infoClass;
            sl.Parameters.SetFile.FileObject = target.Address;
        }, data);
    }

    public static (NTSTATUS Status, ulong Information, byte[] Output) QueryVolume(FILE_OBJECT file, int infoClass, int length) =>
        Request(file, SharpNT.Kernel.Io.IRP_MJ.IRP_MJ_QUERY_VOLUME_INFORMATION, 0, length, (sl, _) =>
        {
            sl.Parameters.QueryVolume.Length = (uint)length;
            sl.Parameters.QueryVolume.FsInformationClass = infoClass;
        });

    /// <summary>IRP_MN_QUERY_DIRECTORY as NtQueryDirectoryFile sends it (FileName a PUNICODE_STRING, the requester's buffer in UserBuffer).</summary>
    public static (NTSTATUS Status, ulong Information, byte[] Output) QueryDirectory(FILE_OBJECT directory, int infoClass, int length,
        string? pattern = null, byte flags = 0)
    {
        ulong name = 0;
        if (pattern is not null)
        {
            var bytes = MemoryMarshal.AsBytes(pattern.AsSpan());
            name = ExAllocatePool2(POOL_FLAG_NON_PAGED, 16 + (ulong)bytes.Length, TagTest);
            WriteMemory(name, (ushort)bytes.Length);
            WriteMemory(name + 2, (ushort)bytes.Length);
            WriteMemory(name + 8, name + 16);
            CopyFromHost(name + 16, bytes);
        }

        var result = Request(directory, SharpNT.Kernel.Io.IRP_MJ.IRP_MJ_DIRECTORY_CONTROL, SharpNT.Kernel.Io.IRP_MN.IRP_MN_QUERY_DIRECTORY, length,
            (sl, _) =>
            {
                sl.Parameters.QueryDirectory.Length = (uint)length;
                sl.Parameters.QueryDirectory.FileInformationClass = infoClass;
                sl.Parameters.QueryDirectory.FileName = name;
            }, flags: flags, userBuffer: true);
        if (name != 0)
        {
            ExFreePoolWithTag(name, TagTest);
        }

        return result;
    }

    /// <summary>Every name a directory enumeration returns (FileBothDirectoryInformation), reading until STATUS_NO_MORE_FILES.</summary>
    public static List<string> ListDirectory(FILE_OBJECT directory, string? pattern = null, int bufferLength = 4096)
    {
        var names = new List<string>();
        while (true)
        {
            var (status, information, output) = QueryDirectory(directory, FatDriver.FileBothDirectoryInformation, bufferLength, pattern);
            if (status == STATUS_NO_MORE_FILES || status == STATUS_NO_SUCH_FILE)
            {
                return names;
            }

            Assert.Equal(STATUS_SUCCESS, status);
            names.AddRange(ParseDirectory(output.AsSpan(0, (int)information), FatDriver.FileBothDirectoryInformation).Select(e => e.Name));
        }
    }

    /// <summary>The entries of a directory buffer: (name, 8.3 name, end of file, attributes), following NextEntryOffset.</summary>
    public static List<(string Name, string ShortName, long EndOfFile, uint Attributes)> ParseDirectory(ReadOnlySpan<byte> buffer, int infoClass)
    {
        var entries = new List<(string, string, long, uint)>();
        var offset = 0;
        while (true)
        {
            var entry = buffer[offset..];
            var next = BitConverter.ToUInt32(entry);
            string name, shortName = "";
            long endOfFile = 0;
            uint attributes = 0;
            if (infoClass == FatDriver.FileNamesInformation)
            {
                var length = BitConverter.ToInt32(entry[8..]);
                name = new string(MemoryMarshal.Cast<byte, char>(entry.Slice(12, length)));
            }
            else
            {
                endOfFile = BitConverter.ToInt64(entry[0x28..]);
                attributes = BitConverter.ToUInt32(entry[0x38..]);
                var length = BitConverter.ToInt32(entry[0x3C..]);
                var nameOffset = infoClass switch { FatDriver.FileDirectoryInformation => 0x40, FatDriver.FileFullDirectoryInformation => 0x44, _ => 0x5E };
                name = new string(MemoryMarshal.Cast<byte, char>(entry.Slice(nameOffset, length)));
                if (infoClass == FatDriver.FileBothDirectoryInformation)
                {
                    shortName = new string(MemoryMarshal.Cast<byte, char>(entry.Slice(0x46, entry[0x44])));
                }
            }

            entries.Add((name, shortName, endOfFile, attributes));
            if (next == 0)
            {
                return entries;
            }

            Assert.Equal(0u, next % 8);
            offset += (int)next;
        }
    }
}
