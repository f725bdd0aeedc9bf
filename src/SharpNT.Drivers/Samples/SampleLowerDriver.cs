using SharpNT.Kernel;
using SharpNT.Kernel.Io;
using static SharpNT.Drivers.Samples.SampleIoctl;
using static SharpNT.Kernel.Ddi.Wdm;
using static SharpNT.Kernel.Io.DO_FLAGS;
using static SharpNT.Kernel.Io.IRP_MJ;
using static SharpNT.Kernel.NTSTATUS;

namespace SharpNT.Drivers.Samples;

/// <summary>
/// The bottom of the sample stack (the bus side): serves the sample IOCTLs in all four transfer methods.
/// Reads like a WDM driver: DriverEntry fills MajorFunction, dispatch routines take (DeviceObject, Irp).
/// </summary>
public sealed class SampleLowerDriver : DriverImage
{
    public override string ImageName => "samplelower.sys";

    public override NTSTATUS DriverEntry(DRIVER_OBJECT DriverObject, UNICODE_STRING RegistryPath)
    {
        var status = IoCreateDevice(DriverObject, 0, new UNICODE_STRING(LowerDeviceName), FILE_DEVICE_SAMPLE, 0, false, out var device);
        if (!status.IsSuccess())
        {
            return status;
        }

        DriverObject.MajorFunction[IRP_MJ_CREATE] = SampleCreateClose;
        DriverObject.MajorFunction[IRP_MJ_CLEANUP] = SampleCreateClose;
        DriverObject.MajorFunction[IRP_MJ_CLOSE] = SampleCreateClose;
        DriverObject.MajorFunction[IRP_MJ_DEVICE_CONTROL] = SampleDeviceControl;
        DriverObject.DriverUnload = SampleUnload;
        device.Flags &= ~DO_DEVICE_INITIALIZING;
        return STATUS_SUCCESS;
    }

    private static void SampleUnload(DRIVER_OBJECT DriverObject)
    {
        if (!DriverObject.DeviceObject.IsNull)
        {
            IoDeleteDevice(DriverObject.DeviceObject);
        }
    }

    private static NTSTATUS SampleCreateClose(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        Irp.IoStatus.Status = STATUS_SUCCESS;
        Irp.IoStatus.Information = 0;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return STATUS_SUCCESS;
    }

    private static NTSTATUS SampleDeviceControl(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        var irpSp = IoGetCurrentIrpStackLocation(Irp);
        var inLength = irpSp.Parameters.DeviceIoControl.InputBufferLength;
        var outLength = irpSp.Parameters.DeviceIoControl.OutputBufferLength;
        var code = irpSp.Parameters.DeviceIoControl.IoControlCode;
        NTSTATUS status = STATUS_SUCCESS;
        ulong information = 0;

        if (code == IOCTL_SAMPLE_BUFFERED)
        {
            // One system buffer holds the input on the way down and the output on the way up.
            var buffer = Irp.AssociatedIrp.SystemBuffer;
            var n = Math.Min(inLength, outLength);
            for (uint i = 0; i < n; i++)
            {
                var c = ReadMemory<byte>(buffer + i);
                WriteMemory(buffer + i, c is >= (byte)'a' and <= (byte)'z' ? (byte)(c - 32) : c);
            }

            information = n;
        }
        else if (code == IOCTL_SAMPLE_IN_DIRECT)
        {
            // The second buffer arrives as a locked MDL the device only reads.
            var data = MmGetSystemAddressForMdlSafe(Irp.MdlAddress, NormalPagePriority);
            if (data == 0)
            {
                status = STATUS_INSUFFICIENT_RESOURCES;
            }
            else
            {
                uint sum = 0;
                for (uint i = 0; i < outLength; i++)
                {
                    sum += ReadMemory<byte>(data + i);
                }

                information = sum;
            }
        }
        else if (code == IOCTL_SAMPLE_OUT_DIRECT)
        {
            var data = MmGetSystemAddressForMdlSafe(Irp.MdlAddress, NormalPagePriority);
            if (data == 0)
            {
                status = STATUS_INSUFFICIENT_RESOURCES;
            }
            else
            {
                for (uint i = 0; i < outLength; i++)
                {
                    WriteMemory(data + i, (byte)i);
                }

                information = outLength;
            }
        }
        else if (code == IOCTL_SAMPLE_NEITHER)
        {
            // Raw requester addresses: valid only here, in the requester's context, and only under a
            // try/except (here: catching the structured exception a bad address raises).
            var input = irpSp.Parameters.DeviceIoControl.Type3InputBuffer;
            var output = Irp.UserBuffer;
            var n = Math.Min(inLength, outLength);
            try
            {
                for (uint i = 0; i < n; i++)
                {
                    WriteMemory(output + i, ReadMemory<byte>(input + n - 1 - i));
                }

                information = n;
            }
            catch (NtException e)
            {
                status = e.Status;
            }
        }
        else
        {
            status = STATUS_INVALID_DEVICE_REQUEST;
        }

        Irp.IoStatus.Status = status;
        Irp.IoStatus.Information = information;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return status;
    }
}
