using SharpNT.Kernel;
using SharpNT.Kernel.Io;
using static SharpNT.Kernel.Ddi.Wdm;
using static SharpNT.Kernel.Io.DO_FLAGS;
using static SharpNT.Kernel.Io.IRP_MJ;
using static SharpNT.Kernel.NTSTATUS;

namespace SharpNT.Drivers.Buggy;

/// <summary>
/// A classic bug: the driver copies a caller's name into a pool buffer of exactly the name's length and
/// then appends a terminating NUL, one character past the end. In normal pool the write lands in the
/// next block and goes unnoticed for a while; with special pool the buffer ends at a guard page and the
/// write faults at once: 0xD6 DRIVER_PAGE_FAULT_BEYOND_END_OF_ALLOCATION, naming this driver.
/// </summary>
public sealed class BufferOverrunDriver : DriverImage
{
    public const string DeviceName = @"\Device\BufferOverrun";

    /// <summary>Input: a name of UTF-16 characters (not terminated); the driver keeps a copy.</summary>
    public static readonly uint IOCTL_SET_NAME = IoCtl.CTL_CODE(0x8006, 0x900, IoCtl.METHOD_BUFFERED, IoCtl.FILE_ANY_ACCESS);

    public override string ImageName => "overrun.sys";

    public sealed class DeviceExtension
    {
        public ulong Name { get; set; }
    }

    public override NTSTATUS DriverEntry(DRIVER_OBJECT DriverObject, UNICODE_STRING RegistryPath)
    {
        var status = IoCreateDevice(DriverObject, new DeviceExtension(), new UNICODE_STRING(DeviceName), 0x8006, 0, false, out var device);
        if (!status.IsSuccess())
        {
            return status;
        }

        DriverObject.MajorFunction[IRP_MJ_CREATE] = NameCreateClose;
        DriverObject.MajorFunction[IRP_MJ_CLOSE] = NameCreateClose;
        DriverObject.MajorFunction[IRP_MJ_DEVICE_CONTROL] = NameDeviceControl;
        device.Flags &= ~DO_DEVICE_INITIALIZING;
        return STATUS_SUCCESS;
    }

    private static NTSTATUS NameCreateClose(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        Irp.IoStatus.Status = STATUS_SUCCESS;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return STATUS_SUCCESS;
    }

    private static NTSTATUS NameDeviceControl(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        var extension = IoGetDeviceExtension<DeviceExtension>(DeviceObject);
        var length = IoGetCurrentIrpStackLocation(Irp).Parameters.DeviceIoControl.InputBufferLength;
        var status = STATUS_INVALID_PARAMETER;
        if (length >= 2 && length % 2 == 0)
        {
            // BUG: room for the characters only, not for the terminating NUL written below.
            var name = ExAllocatePool2(POOL_FLAG_NON_PAGED, length, PoolTag("OvNm"));
            status = STATUS_INSUFFICIENT_RESOURCES;
            if (name != 0)
            {
                RtlCopyMemory(name, Irp.AssociatedIrp.SystemBuffer, length);
                WriteMemory<ushort>(name + length, 0);
                if (extension.Name != 0)
                {
                    ExFreePoolWithTag(extension.Name, PoolTag("OvNm"));
                }

                extension.Name = name;
                status = STATUS_SUCCESS;
            }
        }

        Irp.IoStatus.Status = status;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return status;
    }
}
