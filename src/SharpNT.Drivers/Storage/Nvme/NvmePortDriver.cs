using System.Text;
using SharpNT.Kernel;
using SharpNT.Kernel.Io;
using static SharpNT.Drivers.Storage.StorageIoctl;
using static SharpNT.Kernel.Ddi.Wdm;
using static SharpNT.Kernel.Io.DO_FLAGS;
using static SharpNT.Kernel.Io.FILE_DEVICE;
using static SharpNT.Kernel.Io.IRP_MJ;
using static SharpNT.Kernel.NTSTATUS;

namespace SharpNT.Drivers.Storage.Nvme;

/// <summary>
/// nvmeport.sys: the storage port driver for NVMe controllers, a WDM function driver. The PCI bus reports each
/// controller (class 01/08/02, PCI\CC_010802); AddDevice makes the adapter's FDO \Device\RaidPortN over the PDO;
/// IRP_MN_START_DEVICE maps the register BAR and connects the interrupt from the translated resources and brings the
/// controller up (admin queues, Identify, one I/O queue pair); the FDO is then a bus whose BusRelations report one
/// disk PDO per namespace, which the disk class driver attaches to. The disk PDO serves whole-disk IRP_MJ_READ /
/// IRP_MJ_WRITE (direct I/O, sector-aligned), IRP_MJ_FLUSH_BUFFERS, IOCTL_STORAGE_READ_CAPACITY and
/// IOCTL_STORAGE_QUERY_PROPERTY (the adapter's FDO answers them too, for namespace 1). Requests become NVMe commands,
/// many in flight at once; the ISR (at the device IRQL) masks the interrupt and queues the DPC, which reaps
/// completions, completes IRPs and starts waiting requests.
/// </summary>
public sealed partial class NvmePortDriver : DriverImage
{
    public const string PortDeviceNamePrefix = @"\Device\RaidPort";

    /// <summary>The next adapter number (\Device\RaidPortN), per loaded driver, so per machine.</summary>
    private int _nextAdapter;

    public override string ImageName => "nvmeport.sys";

    public override NTSTATUS DriverEntry(DRIVER_OBJECT DriverObject, UNICODE_STRING RegistryPath)
    {
        DriverObject.MajorFunction[IRP_MJ_CREATE] = NvmeCreateClose;
        DriverObject.MajorFunction[IRP_MJ_CLEANUP] = NvmeCreateClose;
        DriverObject.MajorFunction[IRP_MJ_CLOSE] = NvmeCreateClose;
        DriverObject.MajorFunction[IRP_MJ_READ] = NvmeReadWrite;
        DriverObject.MajorFunction[IRP_MJ_WRITE] = NvmeReadWrite;
        DriverObject.MajorFunction[IRP_MJ_FLUSH_BUFFERS] = NvmeFlush;
        DriverObject.MajorFunction[IRP_MJ_DEVICE_CONTROL] = NvmeDeviceControl;
        DriverObject.MajorFunction[IRP_MJ_PNP] = NvmeDispatchPnp;
        DriverObject.DriverExtension.AddDevice = NvmeAddDevice;
        return STATUS_SUCCESS;
    }

    /// <summary>The adapter a request is for: the FDO's own, or the adapter of the disk PDO it came to.</summary>
    private static NvmeAdapter AdapterOf(DEVICE_OBJECT DeviceObject) => IoGetDeviceExtension<object>(DeviceObject) switch
    {
        NvmeDiskPdo disk => disk.Adapter,
        var other => (NvmeAdapter)other,
    };

    private static NTSTATUS NvmeCreateClose(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        Irp.IoStatus.Status = STATUS_SUCCESS;
        Irp.IoStatus.Information = 0;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return STATUS_SUCCESS;
    }

    private static NTSTATUS CompleteWith(IRP Irp, NTSTATUS Status, ulong Information = 0)
    {
        Irp.IoStatus.Status = Status;
        Irp.IoStatus.Information = Information;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return Status;
    }

    private static NTSTATUS NvmeDeviceControl(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        var adapter = AdapterOf(DeviceObject);
        var irpSp = IoGetCurrentIrpStackLocation(Irp);
        var code = irpSp.Parameters.DeviceIoControl.IoControlCode;
        var outLength = irpSp.Parameters.DeviceIoControl.OutputBufferLength;
        var buffer = Irp.AssociatedIrp.SystemBuffer;
        if (code == IOCTL_STORAGE_READ_CAPACITY)
        {
            if (outLength < StorageReadCapacitySize)
            {
                return CompleteWith(Irp, STATUS_BUFFER_TOO_SMALL);
            }

            RtlZeroMemory(buffer, StorageReadCapacitySize);
            WriteMemory(buffer, (uint)StorageReadCapacitySize);
            WriteMemory(buffer + 4, (uint)StorageReadCapacitySize);
            WriteMemory(buffer + 8, adapter.BlockSize);
            WriteMemory(buffer + 16, adapter.BlockCount);
            WriteMemory(buffer + 24, adapter.BlockCount * adapter.BlockSize);
            return CompleteWith(Irp, STATUS_SUCCESS, StorageReadCapacitySize);
        }

        if (code == IOCTL_STORAGE_QUERY_PROPERTY)
        {
            return QueryProperty(adapter, Irp, irpSp.Parameters.DeviceIoControl.InputBufferLength, outLength);
        }

        return CompleteWith(Irp, STATUS_INVALID_DEVICE_REQUEST);
    }

    /// <summary>
    /// IOCTL_STORAGE_QUERY_PROPERTY for the device and adapter descriptors: a standard query copies as much of
    /// the descriptor as fits (the caller reads Size from the header and asks again); an exists query
    /// succeeds for what is supported; anything else is STATUS_NOT_SUPPORTED.
    /// </summary>
    internal static NTSTATUS QueryProperty(NvmeAdapter adapter, IRP Irp, uint inLength, uint outLength)
    {
        var buffer = Irp.AssociatedIrp.SystemBuffer;
        if (inLength < 8)
        {
            return CompleteWith(Irp, STATUS_INVALID_PARAMETER);
        }

        var propertyId = ReadMemory<int>(buffer);
        var queryType = ReadMemory<int>(buffer + 4);
        if (propertyId is not (StorageDeviceProperty or StorageAdapterProperty))
        {
            return CompleteWith(Irp, STATUS_NOT_SUPPORTED);
        }

        if (queryType == PropertyExistsQuery)
        {
            return CompleteWith(Irp, STATUS_SUCCESS);
        }

        if (queryType != PropertyStandardQuery)
        {
            return CompleteWith(Irp, STATUS_INVALID_PARAMETER);
        }

        if (outLength < StorageDescriptorHeaderSize)
        {
            return CompleteWith(Irp, STATUS_INFO_LENGTH_MISMATCH);
        }

        var descriptor = propertyId == StorageDeviceProperty ? DeviceDescriptor(adapter) : AdapterDescriptor(adapter);
        var count = Math.Min((uint)descriptor.Length, outLength);
        CopyFromHost(buffer, descriptor.AsSpan(0, (int)count));
        return CompleteWith(Irp, STATUS_SUCCESS, count);
    }

    private static byte[] DeviceDescriptor(NvmeAdapter adapter)
    {
        var strings = new MemoryStream();
        uint Append(string text)
        {
            var offset = StorageDeviceDescriptorSize + (uint)strings.Length;
            strings.Write(Encoding.ASCII.GetBytes(text));
            strings.WriteByte(0);
            return offset;
        }

        // NVMe has no vendor ID string: Windows reports the model as the product and no vendor.
        var product = Append(adapter.ModelNumber);
        var revision = Append(adapter.FirmwareRevision);
        var serial = Append(adapter.SerialNumber);
        var bytes = new byte[StorageDeviceDescriptorSize + strings.Length];
        BitConverter.TryWriteBytes(bytes.AsSpan(0), (uint)1);
        BitConverter.TryWriteBytes(bytes.AsSpan(4), (uint)bytes.Length);
        bytes[8] = 0x00; // DeviceType: direct-access (SCSI peripheral type 0)
        bytes[10] = 0; // RemovableMedia: FALSE
        bytes[11] = 1; // CommandQueueing: TRUE
        BitConverter.TryWriteBytes(bytes.AsSpan(12), 0u);
        BitConverter.TryWriteBytes(bytes.AsSpan(16), product);
        BitConverter.TryWriteBytes(bytes.AsSpan(20), revision);
        BitConverter.TryWriteBytes(bytes.AsSpan(24), serial);
        BitConverter.TryWriteBytes(bytes.AsSpan(28), (int)BusTypeNvme);
        strings.ToArray().CopyTo(bytes, (int)StorageDeviceDescriptorSize);
        return bytes;
    }

    private static byte[] AdapterDescriptor(NvmeAdapter adapter)
    {
        var bytes = new byte[StorageAdapterDescriptorSize];
        BitConverter.TryWriteBytes(bytes.AsSpan(0), (uint)1);
        BitConverter.TryWriteBytes(bytes.AsSpan(4), StorageAdapterDescriptorSize);
        BitConverter.TryWriteBytes(bytes.AsSpan(8), adapter.MaxTransfer);
        BitConverter.TryWriteBytes(bytes.AsSpan(12), (adapter.MaxTransfer / PAGE_SIZE) + 1);
        BitConverter.TryWriteBytes(bytes.AsSpan(16), 3u); // AlignmentMask: dword-aligned buffers (PRP rule)
        bytes[22] = 1; // CommandQueueing
        bytes[24] = BusTypeNvme;
        return bytes;
    }

    private static void CreatePortDevice(DRIVER_OBJECT DriverObject, NvmeAdapter adapter, out NTSTATUS status)
    {
        status = IoCreateDevice(DriverObject, adapter, new UNICODE_STRING(PortDeviceNamePrefix + adapter.Number),
            FILE_DEVICE_MASS_STORAGE, 0, false, out var device);
        if (!status.IsSuccess())
        {
            return;
        }

        adapter.Device = device;
        device.Flags |= DO_DIRECT_IO;
        device.AlignmentRequirement = FILE_ALIGNMENT.FILE_LONG_ALIGNMENT;
    }
}
