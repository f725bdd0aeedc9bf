using SharpNT.Drivers.Storage.Nvme;
using SharpNT.Kernel;
using SharpNT.Kernel.Io;
using SharpNT.Kernel.Ke;
using static SharpNT.Kernel.Ddi.Wdm;
using static SharpNT.Kernel.NTSTATUS;

namespace SharpNT.Drivers.Tests.Storage;

/// <summary>Sectors read and written through IRPs sent from kernel code, compared with the image file's bytes.</summary>
public sealed class NvmePortTests
{
    [Fact]
    public void Sector_zero_of_the_whole_disk_is_the_image_files_first_sector()
    {
        using var images = new DiskImages();
        var image = images.Patterned("a.raw", 2048, 0x11);
        using var machine = StorageMachine.Boot([image]);
        var (status, data) = machine.Run(() => StorageMachine.Read(StorageMachine.Open(@"\Device\Harddisk0\Partition0"), 0, 512));
        Assert.Equal(STATUS_SUCCESS, status);
        Assert.Equal(File.ReadAllBytes(image).AsSpan(0, 512).ToArray(), data);
    }

    [Theory]
    [InlineData(512, 512)]
    [InlineData(4096, 65536)]
    [InlineData(1536, 3 * 1024 * 1024 + 512)]
    public void Reads_at_any_sector_offset_and_length_return_the_image_bytes(long offset, int length)
    {
        using var images = new DiskImages();
        var image = images.Patterned("a.raw", 16384, 0x22);
        using var machine = StorageMachine.Boot([image], memoryMiB: 64);
        var (status, data) = machine.Run(() => StorageMachine.Read(StorageMachine.Open(@"\Device\Harddisk0\DR0"), offset, length));
        Assert.Equal(STATUS_SUCCESS, status);
        Assert.Equal(File.ReadAllBytes(image).AsSpan((int)offset, length).ToArray(), data);
    }

    [Fact]
    public void Written_sectors_read_back_and_reach_the_image_file_on_flush_not_before()
    {
        using var images = new DiskImages();
        var image = images.Patterned("a.raw", 4096, 0x33);
        var before = File.ReadAllBytes(image);
        var data = new byte[8192];
        new Random(5).NextBytes(data);
        using var machine = StorageMachine.Boot([image]);
        machine.Run(() =>
        {
            var disk = StorageMachine.Open(@"\Device\Harddisk0\Partition0");
            Assert.Equal(STATUS_SUCCESS, StorageMachine.Write(disk, 10 * 512, data));
            var (status, back) = StorageMachine.Read(disk, 10 * 512, data.Length);
            Assert.Equal(STATUS_SUCCESS, status);
            Assert.Equal(data, back);
        });

        Assert.Equal(before, File.ReadAllBytes(image));
        machine.Run(() => Assert.Equal(STATUS_SUCCESS, StorageMachine.Flush(StorageMachine.Open(@"\Device\Harddisk0\Partition0"))));
        var after = File.ReadAllBytes(image);
        Assert.Equal(data, after.AsSpan(10 * 512, data.Length).ToArray());
        Assert.Equal(before.AsSpan(0, 10 * 512).ToArray(), after.AsSpan(0, 10 * 512).ToArray());
    }

    [Fact]
    public void A_clean_shutdown_writes_the_cache_back_to_the_image()
    {
        using var images = new DiskImages();
        var image = images.Patterned("a.raw", 1024, 0x44);
        var data = Enumerable.Repeat((byte)0xAB, 1024).ToArray();
        using (var machine = StorageMachine.Boot([image]))
        {
            machine.Run(() => Assert.Equal(STATUS_SUCCESS, StorageMachine.Write(StorageMachine.Open(@"\??\PhysicalDrive0"), 512, data)));
        }

        Assert.Equal(data, File.ReadAllBytes(image).AsSpan(512, 1024).ToArray());
    }

    [Theory]
    [InlineData(100, 512)]
    [InlineData(512, 100)]
    [InlineData(512L * 4095, 1024)]
    [InlineData(512L * 4096, 512)]
    public void Unaligned_or_out_of_range_transfers_are_STATUS_INVALID_PARAMETER(long offset, int length)
    {
        using var images = new DiskImages();
        var image = images.Patterned("a.raw", 4096);
        using var machine = StorageMachine.Boot([image]);
        var (status, data) = machine.Run(() => StorageMachine.Read(StorageMachine.Open(@"\Device\Harddisk0\Partition0"), offset, length));
        Assert.Equal(STATUS_INVALID_PARAMETER, status);
        Assert.Empty(data);
    }

    [Fact]
    public void Many_requests_are_in_flight_at_once_and_each_gets_its_own_sectors()
    {
        using var images = new DiskImages();
        var image = images.Patterned("a.raw", 8192, 0x55);
        using var machine = StorageMachine.Boot([image], memoryMiB: 64);
        var (results, maxInFlight) = machine.Run(() =>
        {
            var disk = StorageMachine.Open(@"\Device\Harddisk0\Partition0");
            const int count = 24;
            var events = new KEVENT[count];
            var buffers = new ulong[count];
            var iosbs = new ulong[count];
            var tag = PoolTag("Test");
            for (var i = 0; i < count; i++)
            {
                events[i] = new KEVENT();
                KeInitializeEvent(events[i], NotificationEvent, false);
                buffers[i] = ExAllocatePool2(POOL_FLAG_NON_PAGED, 8192, tag);
                iosbs[i] = ExAllocatePool2(POOL_FLAG_NON_PAGED, 16, tag);
                var irp = IoBuildSynchronousFsdRequest(IRP_MJ.IRP_MJ_READ, disk, buffers[i], 8192, new LARGE_INTEGER(i * 3 * 8192L), events[i],
                    new IO_STATUS_BLOCK(iosbs[i]));
                Assert.Equal(STATUS_PENDING, IoCallDriver(disk, irp));
            }

            var got = new List<byte[]>();
            for (var i = 0; i < count; i++)
            {
                KeWaitForSingleObject(events[i], Executive, KernelMode, false, null);
                Assert.Equal(STATUS_SUCCESS, new IO_STATUS_BLOCK(iosbs[i]).Status);
                var bytes = new byte[8192];
                CopyToHost(buffers[i], bytes);
                got.Add(bytes);
            }

            var port = StorageMachine.Open(NvmePortDriver.PortDeviceNamePrefix + "0");
            return (got, IoGetDeviceExtension<NvmeAdapter>(port).MaxInFlight);
        });

        var file = File.ReadAllBytes(image);
        for (var i = 0; i < results.Count; i++)
        {
            Assert.Equal(file.AsSpan(i * 3 * 8192, 8192).ToArray(), results[i]);
        }

        Assert.True(maxInFlight > 1, $"at most {maxInFlight} command(s) were in flight");
    }

    [Fact]
    public void A_buffer_the_controller_cannot_address_fails_with_the_device_error_not_a_host_exception()
    {
        using var images = new DiskImages();
        var image = images.Patterned("a.raw", 1024);
        using var machine = StorageMachine.Boot([image]);
        var status = machine.Run(() =>
        {
            // PRP entries must be dword-aligned: a buffer at an odd address gets PRP Offset Invalid from the device.
            var disk = StorageMachine.Open(@"\Device\Harddisk0\Partition0");
            var buffer = ExAllocatePool2(POOL_FLAG_NON_PAGED, 1024, PoolTag("Test"));
            var result = StorageMachine.Transfer(disk, IRP_MJ.IRP_MJ_READ, buffer + 1, 512, 0).Status;
            ExFreePoolWithTag(buffer, PoolTag("Test"));
            return result;
        });
        Assert.Equal(STATUS_IO_DEVICE_ERROR, status);
    }

    [Fact]
    public void Two_disks_become_Harddisk0_and_Harddisk1_each_reading_its_own_image()
    {
        using var images = new DiskImages();
        var a = images.Patterned("a.raw", 1024, 0xA0);
        var b = images.Patterned("b.raw", 2048, 0xB0);
        using var machine = StorageMachine.Boot([a, b]);
        var (first, second) = machine.Run(() => (
            StorageMachine.Read(StorageMachine.Open(@"\??\PhysicalDrive0"), 512, 512).Data,
            StorageMachine.Read(StorageMachine.Open(@"\Device\Harddisk1\Partition0"), 512, 512).Data));
        Assert.Equal(File.ReadAllBytes(a).AsSpan(512, 512).ToArray(), first);
        Assert.Equal(File.ReadAllBytes(b).AsSpan(512, 512).ToArray(), second);
    }

    [Fact]
    public void A_missing_image_stops_the_boot_with_a_message_naming_it()
    {
        var e = Assert.Throws<MachineDescriptionException>(() => StorageMachine.Boot(["/nonexistent/dir/disk.raw"]));
        Assert.Contains("/nonexistent/dir/disk.raw", e.Message);
        Assert.Contains("does not exist", e.Message);
    }

    [Theory]
    [InlineData(SchedulingMode.Parallel)]
    [InlineData(SchedulingMode.Deterministic)]
    public void Threads_on_both_processors_write_and_read_back_their_own_regions_at_once(SchedulingMode mode)
    {
        using var images = new DiskImages();
        var image = images.Patterned("a.raw", 8192, 0x77);
        using var machine = StorageMachine.Boot([image], mode: mode, memoryMiB: 64);
        var errors = machine.Run(() =>
        {
            var disk = StorageMachine.Open(@"\Device\Harddisk0\Partition0");
            var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
            var done = new KEVENT[3];
            for (var t = 0; t < done.Length; t++)
            {
                done[t] = new KEVENT();
                KeInitializeEvent(done[t], NotificationEvent, false);
                var worker = t;
                PsCreateSystemThread(out var handle, 0, null, null, out _, _ =>
                {
                    var random = new Random(worker);
                    for (var i = 0; i < 40; i++)
                    {
                        // Each worker owns every third 16 KiB block.
                        var block = (random.Next(8192 * 512 / 16384 / 3) * 3) + worker;
                        var data = new byte[16384];
                        random.NextBytes(data);
                        if (StorageMachine.Write(disk, block * 16384L, data) != STATUS_SUCCESS)
                        {
                            failures.Add($"write {worker}/{i}");
                        }

                        var (status, back) = StorageMachine.Read(disk, block * 16384L, data.Length);
                        if (status != STATUS_SUCCESS || !back.AsSpan().SequenceEqual(data))
                        {
                            failures.Add($"read {worker}/{i}: {status}");
                        }
                    }

                    KeSetEvent(done[worker], IO_NO_INCREMENT, false);
                }, null);
                ZwClose(handle);
            }

            foreach (var e in done)
            {
                KeWaitForSingleObject(e, Executive, KernelMode, false, null);
            }

            return failures.ToList();
        });

        Assert.Empty(errors);
    }

    [Fact]
    public void Reads_work_in_parallel_mode_too()
    {
        using var images = new DiskImages();
        var image = images.Patterned("a.raw", 4096, 0x66);
        using var machine = StorageMachine.Boot([image], mode: SchedulingMode.Parallel, memoryMiB: 64);
        var data = machine.Run(() =>
        {
            var disk = StorageMachine.Open(@"\Device\Harddisk0\Partition0");
            var all = new List<byte>();
            for (var i = 0; i < 16; i++)
            {
                var (status, bytes) = StorageMachine.Read(disk, i * 65536L, 65536);
                Assert.Equal(STATUS_SUCCESS, status);
                all.AddRange(bytes);
            }

            return all.ToArray();
        });
        Assert.Equal(File.ReadAllBytes(image).AsSpan(0, data.Length).ToArray(), data);
    }
}
