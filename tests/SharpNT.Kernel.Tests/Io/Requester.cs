using SharpNT.Kernel.Io;
using SharpNT.Kernel.Ke;
using static SharpNT.Kernel.Ddi.Wdm;
using static SharpNT.Kernel.NTSTATUS;

namespace SharpNT.Kernel.Tests.Io;

/// <summary>The requester half of the I/O conformance tests: builds and sends requests as a kernel client does.</summary>
internal static class Requester
{
    internal sealed record Result(NTSTATUS Returned, NTSTATUS Final, ulong Information);

    /// <summary>IoBuildDeviceIoControlRequest + IoCallDriver, waiting on the event if the IRP pends.</summary>
    public static Result Ioctl(DEVICE_OBJECT device, uint code, ulong input = 0, uint inputLength = 0, ulong output = 0, uint outputLength = 0,
        Action<IRP>? beforeCall = null, Action? whilePending = null)
    {
        var evt = new KEVENT();
        KeInitializeEvent(evt, NotificationEvent, false);
        var iosbAddress = ExAllocatePool2(POOL_FLAG_NON_PAGED, 16, PoolTag("Iosb"));
        var iosb = new IO_STATUS_BLOCK(iosbAddress);
        var irp = IoBuildDeviceIoControlRequest(code, device, input, inputLength, output, outputLength, false, evt, iosb);
        Assert.False(irp.IsNull);
        beforeCall?.Invoke(irp);
        var status = IoCallDriver(device, irp);
        if (status == STATUS_PENDING)
        {
            whilePending?.Invoke();
            Assert.Equal(STATUS_SUCCESS, KeWaitForSingleObject(evt, Executive, KernelMode, false, null));
        }

        var result = new Result(status, iosb.Status, iosb.Information);
        ExFreePoolWithTag(iosbAddress, PoolTag("Iosb"));
        return result;
    }

    /// <summary>A nonpaged buffer holding <paramref name="bytes"/>.</summary>
    public static ulong Buffer(ReadOnlySpan<byte> bytes, int size)
    {
        var address = ExAllocatePool2(POOL_FLAG_NON_PAGED, (ulong)Math.Max(size, 1), PoolTag("Test"));
        CopyFromHost(address, bytes);
        return address;
    }

    public static byte[] Read(ulong address, int length)
    {
        var bytes = new byte[length];
        CopyToHost(address, bytes);
        return bytes;
    }

    public static DEVICE_OBJECT Load(Machine machine, DriverImage image)
    {
        Assert.Equal(STATUS_SUCCESS, machine.Io.LoadDriver(image, out var driver));
        return driver.DeviceObject;
    }
}
