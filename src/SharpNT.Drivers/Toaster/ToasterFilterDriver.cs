using SharpNT.Kernel;
using SharpNT.Kernel.Io;
using static SharpNT.Kernel.Ddi.Wdm;
using static SharpNT.Kernel.Io.DO_FLAGS;
using static SharpNT.Kernel.Io.IRP_MJ;
using static SharpNT.Kernel.Io.IRP_MN;
using static SharpNT.Kernel.NTSTATUS;

namespace SharpNT.Drivers.Toaster;

/// <summary>
/// The toaster filter (the sample's filter.sys), installed twice through the registry: as the toaster class's
/// lower filter (between the bus driver's PDO and toaster.sys) and as its upper filter (above toaster.sys). Each
/// instance passes every request down unchanged, counting them by major function, and leaves with its device at
/// IRP_MN_REMOVE_DEVICE.
/// </summary>
public sealed class ToasterFilterDriver(string serviceName, string imageName) : DriverImage
{
    /// <summary>The class lower filter's service (Control\Class\{toaster}\LowerFilters).</summary>
    public const string LowerFilterService = "ToasterLowerFilter";

    /// <summary>The class upper filter's service (Control\Class\{toaster}\UpperFilters).</summary>
    public const string UpperFilterService = "ToasterUpperFilter";

    public static ToasterFilterDriver Lower() => new(LowerFilterService, "tlowerfl.sys");

    public static ToasterFilterDriver Upper() => new(UpperFilterService, "tupperfl.sys");

    public override string ImageName => imageName;

    public override string ServiceName => serviceName;

    /// <summary>The filter device's extension.</summary>
    public sealed class FilterData
    {
        public DEVICE_OBJECT NextLowerDriver { get; set; }

        /// <summary>Requests seen, by major function.</summary>
        public int[] Passed { get; } = new int[IRP_MJ_MAXIMUM_FUNCTION + 1];
    }

    public override NTSTATUS DriverEntry(DRIVER_OBJECT DriverObject, UNICODE_STRING RegistryPath)
    {
        for (var i = 0; i <= IRP_MJ_MAXIMUM_FUNCTION; i++)
        {
            DriverObject.MajorFunction[i] = FilterPass;
        }

        DriverObject.MajorFunction[IRP_MJ_PNP] = FilterDispatchPnp;
        DriverObject.DriverExtension.AddDevice = FilterAddDevice;
        DriverObject.DriverUnload = FilterUnload;
        return STATUS_SUCCESS;
    }

    private static void FilterUnload(DRIVER_OBJECT DriverObject)
    {
        // Each filter device went at IRP_MN_REMOVE_DEVICE.
    }

    private static NTSTATUS FilterAddDevice(DRIVER_OBJECT DriverObject, DEVICE_OBJECT PhysicalDeviceObject)
    {
        var data = new FilterData();
        var below = IoGetAttachedDeviceReference(PhysicalDeviceObject);
        var type = below.DeviceType;
        ObDereferenceObject(below);
        var status = IoCreateDevice(DriverObject, data, null, type, FILE_CHARACTERISTICS.FILE_DEVICE_SECURE_OPEN, false, out var filter);
        if (!status.IsSuccess())
        {
            return status;
        }

        data.NextLowerDriver = IoAttachDeviceToDeviceStack(filter, PhysicalDeviceObject);
        if (data.NextLowerDriver.IsNull)
        {
            IoDeleteDevice(filter);
            return STATUS_UNSUCCESSFUL;
        }

        // A filter takes on the buffering and power flags of the device below it, as filters must.
        filter.Flags |= data.NextLowerDriver.Flags & (DO_BUFFERED_IO | DO_DIRECT_IO | DO_POWER_PAGABLE);
        filter.Flags &= ~DO_DEVICE_INITIALIZING;
        return STATUS_SUCCESS;
    }

    private static NTSTATUS FilterPass(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        var data = IoGetDeviceExtension<FilterData>(DeviceObject);
        data.Passed[IoGetCurrentIrpStackLocation(Irp).MajorFunction]++;
        IoSkipCurrentIrpStackLocation(Irp);
        return IoCallDriver(data.NextLowerDriver, Irp);
    }

    private static NTSTATUS FilterDispatchPnp(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        var data = IoGetDeviceExtension<FilterData>(DeviceObject);
        data.Passed[IRP_MJ_PNP]++;
        var minor = IoGetCurrentIrpStackLocation(Irp).MinorFunction;
        IoSkipCurrentIrpStackLocation(Irp);
        var status = IoCallDriver(data.NextLowerDriver, Irp);
        if (minor == IRP_MN_REMOVE_DEVICE)
        {
            IoDetachDevice(data.NextLowerDriver);
            IoDeleteDevice(DeviceObject);
        }

        return status;
    }
}
