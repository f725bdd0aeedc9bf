using SharpNT.Kernel;
using SharpNT.Kernel.Io;
using SharpNT.Kernel.Ke;
using static SharpNT.Kernel.Ddi.Wdm;
using static SharpNT.Kernel.NTSTATUS;

namespace SharpNT.Cli.Demos;

/// <summary>What the demos do as a kernel-mode client: open a device, send it an IOCTL, wait for the answer.</summary>
internal static class KernelClient
{
    public static DEVICE_OBJECT Open(string deviceName)
    {
        var status = IoGetDeviceObjectPointer(new UNICODE_STRING(deviceName), FILE_ALL_ACCESS, out var file, out var device);
        if (!status.IsSuccess())
        {
            throw new InvalidOperationException($"cannot open {deviceName}: {status.Describe()}");
        }

        ObDereferenceObject(file);
        return device;
    }

    /// <summary>IoBuildDeviceIoControlRequest + IoCallDriver; waits if the IRP pends. Returns the final status and Information.</summary>
    public static (NTSTATUS Status, ulong Information) Ioctl(DEVICE_OBJECT device, uint code, ulong input, uint inputLength, ulong output, uint outputLength)
    {
        var evt = new KEVENT();
        KeInitializeEvent(evt, NotificationEvent, false);
        var tag = PoolTag("Demo");
        var iosb = new IO_STATUS_BLOCK(ExAllocatePool2(POOL_FLAG_NON_PAGED, 16, tag));
        var irp = IoBuildDeviceIoControlRequest(code, device, input, inputLength, output, outputLength, false, evt, iosb);
        var status = IoCallDriver(device, irp);
        if (status == STATUS_PENDING)
        {
            KeWaitForSingleObject(evt, Executive, KernelMode, false, null);
        }

        var result = (iosb.Status, iosb.Information);
        ExFreePoolWithTag(iosb.Address, tag);
        return result;
    }
}
