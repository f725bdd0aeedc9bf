using BenchmarkDotNet.Attributes;
using Microsoft.Win32.SafeHandles;
using SharpNT.Drivers.Storage;
using SharpNT.Kernel;
using SharpNT.Kernel.Io;
using SharpNT.Kernel.Ke;
using static SharpNT.Kernel.Ddi.Wdm;
using static SharpNT.Kernel.NTSTATUS;

namespace SharpNT.Benchmarks.Storage;

/// <summary>
/// 64 MiB read in 64 KiB requests through the storage stack: IoBuildSynchronousFsdRequest to
/// \Device\Harddisk0\Partition0 (disk.sys), down to nvmeport.sys, an NVMe Read command with a PRP list, the
/// controller's DMA from its block cache, the interrupt, the DPC, completion back up. Beside it, the same
/// 64 KiB reads of the image file on the host (the physical limit).
/// </summary>
[MemoryDiagnoser]
public class DiskReadBenchmarks
{
    private const int Request = 64 * 1024;
    private const long Total = 64L * 1024 * 1024;

    private string _image = "";
    private Machine _machine = null!;
    private IDisposable _attachment = null!;
    private DEVICE_OBJECT _disk;
    private ulong _buffer;
    private ulong _iosb;
    private readonly KEVENT _event = new();
    private SafeFileHandle _file = null!;
    private readonly byte[] _hostBuffer = new byte[Request];

    [GlobalSetup]
    public void Setup()
    {
        _image = Path.Combine(Path.GetTempPath(), $"sharpnt-bench-{Environment.ProcessId}.raw");
        using (var f = File.Create(_image))
        {
            var chunk = new byte[1024 * 1024];
            new Random(1).NextBytes(chunk);
            for (var i = 0; i < Total / chunk.Length; i++)
            {
                f.Write(chunk);
            }
        }

        _machine = Machine.Boot(MachineDescription.Default with { Processors = 1, MemoryMiB = 128, Disks = [_image] },
            new MachineOptions { DriverPackages = StorageDrivers.Packages() });
        _attachment = _machine.AttachHostThread();
        IoGetDeviceObjectPointer(new UNICODE_STRING(@"\Device\Harddisk0\Partition0"), FILE_READ_DATA, out var file, out _disk);
        ObDereferenceObject(file);
        _buffer = ExAllocatePool2(POOL_FLAG_NON_PAGED, Request, PoolTag("Bnch"));
        _iosb = ExAllocatePool2(POOL_FLAG_NON_PAGED, 16, PoolTag("Bnch"));
        KeInitializeEvent(_event, NotificationEvent, false);
        _file = File.OpenHandle(_image);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _attachment.Dispose();
        _machine.Dispose();
        _file.Dispose();
        File.Delete(_image);
    }

    [Benchmark(Baseline = true, Description = "host pread of the image, 64 MiB in 64 KiB")]
    public long HostRead()
    {
        long done = 0;
        for (long offset = 0; offset < Total; offset += Request)
        {
            done += RandomAccess.Read(_file, _hostBuffer, offset);
        }

        return done;
    }

    [Benchmark(Description = "disk.sys + nvmeport.sys + NVMe, 64 MiB in 64 KiB")]
    public long StackRead()
    {
        long done = 0;
        for (long offset = 0; offset < Total; offset += Request)
        {
            KeClearEvent(_event);
            var iosb = new IO_STATUS_BLOCK(_iosb);
            var irp = IoBuildSynchronousFsdRequest(IRP_MJ.IRP_MJ_READ, _disk, _buffer, Request, new LARGE_INTEGER(offset), _event, iosb);
            if (IoCallDriver(_disk, irp) == STATUS_PENDING)
            {
                KeWaitForSingleObject(_event, Executive, KernelMode, false, null);
            }

            done += (long)iosb.Information;
        }

        return done;
    }
}
