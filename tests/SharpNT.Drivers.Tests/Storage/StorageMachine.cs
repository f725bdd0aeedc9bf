using SharpNT.Drivers.Storage;
using SharpNT.Drivers.Storage.Disk;
using SharpNT.Drivers.Storage.Nvme;
using SharpNT.Kernel;
using SharpNT.Kernel.Io;
using SharpNT.Kernel.Ke;
using static SharpNT.Kernel.Ddi.Wdm;
using static SharpNT.Kernel.NTSTATUS;

namespace SharpNT.Drivers.Tests.Storage;

/// <summary>Machines with disks and the storage drivers loaded at boot, and a kernel client sending IRPs to them.</summary>
internal static class StorageMachine
{
    public static Machine Boot(IReadOnlyList<string> disks, int processors = 2, ulong seed = 1,
        SchedulingMode mode = SchedulingMode.Deterministic, bool recordEvents = false, int memoryMiB = 32) =>
        Machine.Boot(
            new MachineDescription
            {
                Name = "storage",
                Processors = processors,
                Seed = seed,
                Scheduling = mode,
                MemoryMiB = memoryMiB,
                PagefileMiB = 16,
                Disks = disks,
            },
            new MachineOptions { RecordEvents = recordEvents, DriverPackages = StorageDrivers.Packages() });

    /// <summary>Opens a device by name (IoGetDeviceObjectPointer) and returns the device its requests go to.</summary>
    public static DEVICE_OBJECT Open(string name)
    {
        // The file object's reference is what keeps the open (and, for a whole disk, the RAW mount) alive,
        // as IoGetDeviceObjectPointer's contract says: it stays with the machine.
        var status = IoGetDeviceObjectPointer(new UNICODE_STRING(name), FILE_READ_DATA, out _, out var device);
        Assert.Equal(STATUS_SUCCESS, status);
        return device;
    }

    /// <summary>IoBuildSynchronousFsdRequest + IoCallDriver + wait: the final status and the bytes moved.</summary>
    public static (NTSTATUS Status, ulong Information) Transfer(DEVICE_OBJECT device, byte major, ulong buffer, uint length, long offset)
    {
        var evt = new KEVENT();
        KeInitializeEvent(evt, NotificationEvent, false);
        var iosbAddress = ExAllocatePool2(POOL_FLAG_NON_PAGED, 16, PoolTag("Test"));
        try
        {
            var iosb = new IO_STATUS_BLOCK(iosbAddress);
            var irp = IoBuildSynchronousFsdRequest(major, device, buffer, length, new LARGE_INTEGER(offset), evt, iosb);
            Assert.False(irp.IsNull);
            if (IoCallDriver(device, irp) == STATUS_PENDING)
            {
                Assert.Equal(STATUS_SUCCESS, KeWaitForSingleObject(evt, Executive, KernelMode, false, null));
            }

            return (iosb.Status, iosb.Information);
        }
        finally
        {
            ExFreePoolWithTag(iosbAddress, PoolTag("Test"));
        }
    }

    /// <summary>Reads <paramref name="length"/> bytes at <paramref name="offset"/> of the device through a nonpaged buffer.</summary>
    public static (NTSTATUS Status, byte[] Data) Read(DEVICE_OBJECT device, long offset, int length)
    {
        var buffer = ExAllocatePool2(POOL_FLAG_NON_PAGED, (ulong)Math.Max(length, 1), PoolTag("Test"));
        try
        {
            var (status, information) = Transfer(device, IRP_MJ.IRP_MJ_READ, buffer, (uint)length, offset);
            var data = new byte[information];
            CopyToHost(buffer, data);
            return (status, data);
        }
        finally
        {
            ExFreePoolWithTag(buffer, PoolTag("Test"));
        }
    }

    /// <summary>Writes <paramref name="data"/> at <paramref name="offset"/> of the device.</summary>
    public static NTSTATUS Write(DEVICE_OBJECT device, long offset, ReadOnlySpan<byte> data)
    {
        var buffer = ExAllocatePool2(POOL_FLAG_NON_PAGED, (ulong)Math.Max(data.Length, 1), PoolTag("Test"));
        try
        {
            CopyFromHost(buffer, data);
            return Transfer(device, IRP_MJ.IRP_MJ_WRITE, buffer, (uint)data.Length, offset).Status;
        }
        finally
        {
            ExFreePoolWithTag(buffer, PoolTag("Test"));
        }
    }

    /// <summary>IRP_MJ_FLUSH_BUFFERS.</summary>
    public static NTSTATUS Flush(DEVICE_OBJECT device) => Transfer(device, IRP_MJ.IRP_MJ_FLUSH_BUFFERS, 0, 0, 0).Status;

    /// <summary>A METHOD_BUFFERED IOCTL with an input and an output buffer: status, information and the output bytes.</summary>
    public static (NTSTATUS Status, byte[] Output) Ioctl(DEVICE_OBJECT device, uint code, ReadOnlySpan<byte> input, int outputLength)
    {
        var evt = new KEVENT();
        KeInitializeEvent(evt, NotificationEvent, false);
        var tag = PoolTag("Test");
        var iosbAddress = ExAllocatePool2(POOL_FLAG_NON_PAGED, 16, tag);
        var inBuffer = ExAllocatePool2(POOL_FLAG_NON_PAGED, (ulong)Math.Max(input.Length, 1), tag);
        var outBuffer = ExAllocatePool2(POOL_FLAG_NON_PAGED, (ulong)Math.Max(outputLength, 1), tag);
        try
        {
            CopyFromHost(inBuffer, input);
            var iosb = new IO_STATUS_BLOCK(iosbAddress);
            var irp = IoBuildDeviceIoControlRequest(code, device, inBuffer, (uint)input.Length, outBuffer, (uint)outputLength, false, evt, iosb);
            if (IoCallDriver(device, irp) == STATUS_PENDING)
            {
                KeWaitForSingleObject(evt, Executive, KernelMode, false, null);
            }

            var output = new byte[iosb.Information];
            CopyToHost(outBuffer, output);
            return (iosb.Status, output);
        }
        finally
        {
            ExFreePoolWithTag(iosbAddress, tag);
            ExFreePoolWithTag(inBuffer, tag);
            ExFreePoolWithTag(outBuffer, tag);
        }
    }
}
