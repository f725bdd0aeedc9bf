using SharpNT.Kernel;
using SharpNT.Kernel.Io;
using static SharpNT.Kernel.Ddi.Wdm;
using static SharpNT.Kernel.Io.DO_FLAGS;
using static SharpNT.Kernel.Io.IRP_MJ;
using static SharpNT.Kernel.NTSTATUS;

namespace SharpNT.Drivers.Buggy;

/// <summary>
/// A classic bug: the driver keeps its records on a LIST_ENTRY list in nonpaged pool and remembers the
/// oldest one, but dropping the oldest record forgets to advance that pointer. The second drop unlinks the
/// same entry again: its neighbours no longer point back at it, and the kernel's list check fails fast,
/// KERNEL_SECURITY_CHECK_FAILURE (0x139) with FAST_FAIL_CORRUPT_LIST_ENTRY (3), naming this driver.
/// </summary>
public sealed class ListCorruptDriver : DriverImage
{
    public const string DeviceName = @"\Device\ListCorrupt";

    /// <summary>Appends a record to the list.</summary>
    public static readonly uint IOCTL_RECORD = IoCtl.CTL_CODE(0x8005, 0x900, IoCtl.METHOD_BUFFERED, IoCtl.FILE_ANY_ACCESS);

    /// <summary>Unlinks the oldest record (the bug: the oldest-record pointer stays where it was).</summary>
    public static readonly uint IOCTL_DROP_OLDEST = IoCtl.CTL_CODE(0x8005, 0x901, IoCtl.METHOD_BUFFERED, IoCtl.FILE_ANY_ACCESS);

    public override string ImageName => "listcorrupt.sys";

    public sealed class DeviceExtension
    {
        /// <summary>The LIST_ENTRY heading the records, in nonpaged pool.</summary>
        public ulong ListHead { get; set; }

        public ulong Oldest { get; set; }
    }

    public override NTSTATUS DriverEntry(DRIVER_OBJECT DriverObject, UNICODE_STRING RegistryPath)
    {
        var extension = new DeviceExtension { ListHead = ExAllocatePool2(POOL_FLAG_NON_PAGED, 16, PoolTag("LcHd")) };
        if (extension.ListHead == 0)
        {
            return STATUS_INSUFFICIENT_RESOURCES;
        }

        var status = IoCreateDevice(DriverObject, extension, new UNICODE_STRING(DeviceName), 0x8005, 0, false, out var device);
        if (!status.IsSuccess())
        {
            ExFreePoolWithTag(extension.ListHead, PoolTag("LcHd"));
            return status;
        }

        InitializeListHead(extension.ListHead);
        DriverObject.MajorFunction[IRP_MJ_CREATE] = ListCreateClose;
        DriverObject.MajorFunction[IRP_MJ_CLOSE] = ListCreateClose;
        DriverObject.MajorFunction[IRP_MJ_DEVICE_CONTROL] = ListDeviceControl;
        device.Flags &= ~DO_DEVICE_INITIALIZING;
        return STATUS_SUCCESS;
    }

    private static NTSTATUS ListCreateClose(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        Irp.IoStatus.Status = STATUS_SUCCESS;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return STATUS_SUCCESS;
    }

    private static NTSTATUS ListDeviceControl(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        var extension = IoGetDeviceExtension<DeviceExtension>(DeviceObject);
        var code = IoGetCurrentIrpStackLocation(Irp).Parameters.DeviceIoControl.IoControlCode;
        var status = STATUS_SUCCESS;
        if (code == IOCTL_RECORD)
        {
            // A record: its LIST_ENTRY first, then when it was made.
            var record = ExAllocatePool2(POOL_FLAG_NON_PAGED, 32, PoolTag("LcRc"));
            if (record == 0)
            {
                status = STATUS_INSUFFICIENT_RESOURCES;
            }
            else
            {
                WriteMemory(record + 16, KeQueryInterruptTime());
                InsertTailList(extension.ListHead, record);
                if (extension.Oldest == 0)
                {
                    extension.Oldest = record;
                }
            }
        }
        else if (code == IOCTL_DROP_OLDEST && extension.Oldest != 0)
        {
            // BUG: the record is unlinked but Oldest is not moved on to the next one.
            RemoveEntryList(extension.Oldest);
        }
        else
        {
            status = STATUS_INVALID_DEVICE_REQUEST;
        }

        Irp.IoStatus.Status = status;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return status;
    }
}
