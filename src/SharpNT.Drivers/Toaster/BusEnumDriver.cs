using System.Text;
using SharpNT.Kernel;
using SharpNT.Kernel.Io;
using SharpNT.Kernel.Pnp;
using static SharpNT.Drivers.Toaster.ToasterPublic;
using static SharpNT.Kernel.Ddi.Wdm;
using static SharpNT.Kernel.Io.DO_FLAGS;
using static SharpNT.Kernel.Io.FILE_CHARACTERISTICS;
using static SharpNT.Kernel.Io.FILE_DEVICE;
using static SharpNT.Kernel.Io.IRP_MJ;
using static SharpNT.Kernel.Io.IRP_MN;
using static SharpNT.Kernel.NTSTATUS;

namespace SharpNT.Drivers.Toaster;

/// <summary>
/// busenum.sys, the toaster bus enumerator (a root-enumerated bus, as in the WDM toaster sample): its FDO
/// exposes GUID_DEVINTERFACE_BUSENUM_TOASTER, through which IOCTL_BUSENUM_PLUGIN_HARDWARE plugs a toaster in (a
/// new child PDO, reported at the next BusRelations query) and IOCTL_BUSENUM_UNPLUG_HARDWARE pulls one out
/// (no longer reported: the PnP manager surprise-removes it, and the PDO is deleted at IRP_MN_REMOVE_DEVICE).
/// </summary>
public sealed class BusEnumDriver : DriverImage
{
    private const uint BusTag = 0x45737542; // 'BusE'

    public override string ImageName => "busenum.sys";

    /// <summary>What the FDO and the child PDOs have in common (COMMON_DEVICE_DATA).</summary>
    public abstract class CommonDeviceData
    {
        public DEVICE_OBJECT Self { get; set; }
    }

    /// <summary>The bus FDO's extension (FDO_DEVICE_DATA).</summary>
    public sealed class FdoDeviceData : CommonDeviceData
    {
        public DEVICE_OBJECT UnderlyingPdo { get; set; }

        public DEVICE_OBJECT NextLowerDriver { get; set; }

        public List<PdoDeviceData> ListOfPdos { get; } = [];

        public UNICODE_STRING InterfaceName { get; set; }

        public bool Started { get; set; }
    }

    /// <summary>A child toaster's PDO extension (PDO_DEVICE_DATA).</summary>
    public sealed class PdoDeviceData : CommonDeviceData
    {
        public required FdoDeviceData Bus { get; init; }

        public required uint SerialNo { get; init; }

        public required IReadOnlyList<string> HardwareIds { get; init; }

        /// <summary>Plugged in; cleared by an unplug.</summary>
        public bool Present { get; set; } = true;

        /// <summary>Left out of a BusRelations answer after it was unplugged: IRP_MN_REMOVE_DEVICE deletes it.</summary>
        public bool ReportedMissing { get; set; }

        public bool Started { get; set; }
    }

    public override NTSTATUS DriverEntry(DRIVER_OBJECT DriverObject, UNICODE_STRING RegistryPath)
    {
        DriverObject.MajorFunction[IRP_MJ_CREATE] = Bus_CreateClose;
        DriverObject.MajorFunction[IRP_MJ_CLEANUP] = Bus_CreateClose;
        DriverObject.MajorFunction[IRP_MJ_CLOSE] = Bus_CreateClose;
        DriverObject.MajorFunction[IRP_MJ_DEVICE_CONTROL] = Bus_IoCtl;
        DriverObject.MajorFunction[IRP_MJ_PNP] = Bus_PnP;
        DriverObject.DriverExtension.AddDevice = Bus_AddDevice;
        DriverObject.DriverUnload = Bus_DriverUnload;
        return STATUS_SUCCESS;
    }

    private static void Bus_DriverUnload(DRIVER_OBJECT DriverObject)
    {
        // Every device went at IRP_MN_REMOVE_DEVICE; nothing is left to free.
    }

    private static NTSTATUS Bus_AddDevice(DRIVER_OBJECT DriverObject, DEVICE_OBJECT PhysicalDeviceObject)
    {
        var data = new FdoDeviceData { UnderlyingPdo = PhysicalDeviceObject };
        var status = IoCreateDevice(DriverObject, data, null, FILE_DEVICE_BUS_EXTENDER, FILE_DEVICE_SECURE_OPEN, true, out var fdo);
        if (!status.IsSuccess())
        {
            return status;
        }

        data.Self = fdo;
        status = IoRegisterDeviceInterface(PhysicalDeviceObject, GUID_DEVINTERFACE_BUSENUM_TOASTER, null, out var interfaceName);
        if (!status.IsSuccess())
        {
            IoDeleteDevice(fdo);
            return status;
        }

        data.InterfaceName = interfaceName;
        data.NextLowerDriver = IoAttachDeviceToDeviceStack(fdo, PhysicalDeviceObject);
        if (data.NextLowerDriver.IsNull)
        {
            IoDeleteDevice(fdo);
            return STATUS_NO_SUCH_DEVICE;
        }

        fdo.Flags |= DO_POWER_PAGABLE;
        fdo.Flags &= ~DO_DEVICE_INITIALIZING;
        return STATUS_SUCCESS;
    }

    private static NTSTATUS Bus_CreateClose(DEVICE_OBJECT DeviceObject, IRP Irp) => ToasterIrp.Complete(Irp, STATUS_SUCCESS);

    private static NTSTATUS Bus_IoCtl(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        if (IoGetDeviceExtension<CommonDeviceData>(DeviceObject) is not FdoDeviceData fdo || !fdo.Started)
        {
            return ToasterIrp.Complete(Irp, STATUS_INVALID_DEVICE_REQUEST);
        }

        var stack = IoGetCurrentIrpStackLocation(Irp);
        var buffer = Irp.AssociatedIrp.SystemBuffer;
        var length = stack.Parameters.DeviceIoControl.InputBufferLength;
        var code = stack.Parameters.DeviceIoControl.IoControlCode;
        NTSTATUS status;
        if (code == IOCTL_BUSENUM_PLUGIN_HARDWARE)
        {
            status = Bus_PlugInDevice(fdo, buffer, length);
        }
        else if (code == IOCTL_BUSENUM_UNPLUG_HARDWARE)
        {
            status = length == BUSENUM_UNPLUG_HARDWARE_SIZE && ReadMemory<uint>(buffer) == BUSENUM_UNPLUG_HARDWARE_SIZE
                ? Bus_UnPlugDevice(fdo, ReadMemory<uint>(buffer + 4))
                : STATUS_INVALID_PARAMETER;
        }
        else
        {
            status = STATUS_INVALID_DEVICE_REQUEST;
        }

        return ToasterIrp.Complete(Irp, status);
    }

    /// <summary>Bus_PlugInDevice: a new child PDO with the serial number and hardware IDs given; the PnP manager is asked to enumerate.</summary>
    private static NTSTATUS Bus_PlugInDevice(FdoDeviceData fdo, ulong buffer, uint length)
    {
        if (length < BUSENUM_PLUGIN_HARDWARE_SIZE + 4 || ReadMemory<uint>(buffer) != BUSENUM_PLUGIN_HARDWARE_SIZE || (length & 1) != 0)
        {
            return STATUS_INVALID_PARAMETER;
        }

        var serialNo = ReadMemory<uint>(buffer + 4);
        var chars = new char[(length - BUSENUM_PLUGIN_HARDWARE_SIZE) / 2];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = (char)ReadMemory<ushort>(buffer + BUSENUM_PLUGIN_HARDWARE_SIZE + ((ulong)i * 2));
        }

        // A REG_MULTI_SZ: strings ending at the first empty one; it must end with two NULs.
        var text = new string(chars);
        var end = text.IndexOf("\0\0", StringComparison.Ordinal);
        var ids = end < 0 ? [] : text[..end].Split('\0');
        if (serialNo == 0 || ids.Length == 0 || ids.Any(id => id.Length == 0 || id.Contains(' ', StringComparison.Ordinal))
            || fdo.ListOfPdos.Any(p => p.SerialNo == serialNo && p.Present))
        {
            return STATUS_INVALID_PARAMETER;
        }

        var data = new PdoDeviceData { Bus = fdo, SerialNo = serialNo, HardwareIds = ids };
        var status = IoCreateDevice(fdo.Self.DriverObject, (CommonDeviceData)data, null, FILE_DEVICE_BUS_EXTENDER,
            FILE_AUTOGENERATED_DEVICE_NAME | FILE_DEVICE_SECURE_OPEN, false, out var pdo);
        if (!status.IsSuccess())
        {
            return status;
        }

        data.Self = pdo;
        pdo.Flags |= DO_POWER_PAGABLE;
        pdo.Flags &= ~DO_DEVICE_INITIALIZING;
        fdo.ListOfPdos.Add(data);
        IoInvalidateDeviceRelations(fdo.UnderlyingPdo, BusRelations);
        return STATUS_SUCCESS;
    }

    /// <summary>Bus_UnPlugDevice: the child (every child for serial number 0) is no longer present; the PnP manager is asked to enumerate.</summary>
    private static NTSTATUS Bus_UnPlugDevice(FdoDeviceData fdo, uint serialNo)
    {
        var found = false;
        foreach (var pdo in fdo.ListOfPdos.Where(p => p.Present && (serialNo == 0 || p.SerialNo == serialNo)))
        {
            pdo.Present = false;
            found = true;
        }

        if (!found)
        {
            return STATUS_INVALID_PARAMETER;
        }

        IoInvalidateDeviceRelations(fdo.UnderlyingPdo, BusRelations);
        return STATUS_SUCCESS;
    }

    private static NTSTATUS Bus_PnP(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        var stack = IoGetCurrentIrpStackLocation(Irp);
        return IoGetDeviceExtension<CommonDeviceData>(DeviceObject) switch
        {
            FdoDeviceData fdo => Bus_FDO_PnP(fdo, Irp, stack),
            PdoDeviceData pdo => Bus_PDO_PnP(pdo, Irp, stack),
            _ => ToasterIrp.Complete(Irp, Irp.IoStatus.Status),
        };
    }

    private static NTSTATUS Bus_FDO_PnP(FdoDeviceData fdo, IRP Irp, IO_STACK_LOCATION stack)
    {
        NTSTATUS status;
        switch (stack.MinorFunction)
        {
            case IRP_MN_START_DEVICE:
                // The lower drivers start first; the bus is usable once they have.
                status = ToasterIrp.SendIrpSynchronously(fdo.NextLowerDriver, Irp);
                if (status.IsSuccess())
                {
                    IoSetDeviceInterfaceState(fdo.InterfaceName, true);
                    fdo.Started = true;
                }

                return ToasterIrp.Complete(Irp, status);

            case IRP_MN_QUERY_DEVICE_RELATIONS when (DEVICE_RELATION_TYPE)stack.Parameters.QueryDeviceRelations.Type == BusRelations:
                status = Bus_QueryBusRelations(fdo, Irp);
                if (!status.IsSuccess())
                {
                    return ToasterIrp.Complete(Irp, status);
                }

                Irp.IoStatus.Status = STATUS_SUCCESS;
                IoSkipCurrentIrpStackLocation(Irp);
                return IoCallDriver(fdo.NextLowerDriver, Irp);

            case IRP_MN_SURPRISE_REMOVAL:
                fdo.Started = false;
                IoSetDeviceInterfaceState(fdo.InterfaceName, false);
                Irp.IoStatus.Status = STATUS_SUCCESS;
                IoSkipCurrentIrpStackLocation(Irp);
                return IoCallDriver(fdo.NextLowerDriver, Irp);

            case IRP_MN_REMOVE_DEVICE:
                if (fdo.Started)
                {
                    fdo.Started = false;
                    IoSetDeviceInterfaceState(fdo.InterfaceName, false);
                }

                Irp.IoStatus.Status = STATUS_SUCCESS;
                IoSkipCurrentIrpStackLocation(Irp);
                status = IoCallDriver(fdo.NextLowerDriver, Irp);

                // The children go with their bus (the PnP manager removed their stacks first).
                foreach (var pdo in fdo.ListOfPdos)
                {
                    pdo.Present = false;
                    IoDeleteDevice(pdo.Self);
                }

                fdo.ListOfPdos.Clear();
                IoDetachDevice(fdo.NextLowerDriver);
                IoDeleteDevice(fdo.Self);
                return status;

            case IRP_MN_QUERY_REMOVE_DEVICE:
            case IRP_MN_CANCEL_REMOVE_DEVICE:
            case IRP_MN_QUERY_STOP_DEVICE:
            case IRP_MN_CANCEL_STOP_DEVICE:
                Irp.IoStatus.Status = STATUS_SUCCESS;
                IoSkipCurrentIrpStackLocation(Irp);
                return IoCallDriver(fdo.NextLowerDriver, Irp);

            default:
                IoSkipCurrentIrpStackLocation(Irp);
                return IoCallDriver(fdo.NextLowerDriver, Irp);
        }
    }

    /// <summary>
    /// BusRelations: the relations a driver above already put in the IRP, then every present child, each referenced
    /// for the PnP manager. An unplugged child is left out (and remembered as reported missing).
    /// </summary>
    private static NTSTATUS Bus_QueryBusRelations(FdoDeviceData fdo, IRP Irp)
    {
        var previous = new DEVICE_RELATIONS(Irp.IoStatus.Information);
        var previousCount = previous.IsNull ? 0u : previous.Count;
        var present = fdo.ListOfPdos.Where(p => p.Present).ToList();
        foreach (var gone in fdo.ListOfPdos.Where(p => !p.Present))
        {
            gone.ReportedMissing = true;
        }

        var relations = new DEVICE_RELATIONS(ExAllocatePool2(POOL_FLAG_PAGED, DEVICE_RELATIONS.SizeFor(previousCount + (uint)present.Count), BusTag));
        if (relations.IsNull)
        {
            return STATUS_INSUFFICIENT_RESOURCES;
        }

        for (var i = 0u; i < previousCount; i++)
        {
            relations[i] = previous[i];
        }

        var n = previousCount;
        foreach (var pdo in present)
        {
            ObReferenceObject(pdo.Self);
            relations[n++] = pdo.Self;
        }

        relations.Count = n;
        if (!previous.IsNull)
        {
            ExFreePool(previous.Address);
        }

        Irp.IoStatus.Information = relations.Address;
        return STATUS_SUCCESS;
    }

    private static NTSTATUS Bus_PDO_PnP(PdoDeviceData pdo, IRP Irp, IO_STACK_LOCATION stack)
    {
        switch (stack.MinorFunction)
        {
            case IRP_MN_START_DEVICE:
                pdo.Started = true;
                return ToasterIrp.Complete(Irp, STATUS_SUCCESS);

            case IRP_MN_STOP_DEVICE:
            case IRP_MN_SURPRISE_REMOVAL:
                pdo.Started = false;
                return ToasterIrp.Complete(Irp, STATUS_SUCCESS);

            case IRP_MN_QUERY_STOP_DEVICE:
            case IRP_MN_CANCEL_STOP_DEVICE:
            case IRP_MN_QUERY_REMOVE_DEVICE:
            case IRP_MN_CANCEL_REMOVE_DEVICE:
                return ToasterIrp.Complete(Irp, STATUS_SUCCESS);

            case IRP_MN_REMOVE_DEVICE:
                pdo.Started = false;
                if (pdo.ReportedMissing)
                {
                    // Unplugged and reported gone: the PDO goes now. A present child stays until its bus goes.
                    pdo.Bus.ListOfPdos.Remove(pdo);
                    IoDeleteDevice(pdo.Self);
                }

                return ToasterIrp.Complete(Irp, STATUS_SUCCESS);

            case IRP_MN_QUERY_CAPABILITIES:
                return ToasterIrp.Complete(Irp, Bus_PDO_QueryDeviceCaps(pdo, stack));

            case IRP_MN_QUERY_ID:
                return Bus_PDO_QueryDeviceId(pdo, Irp, (BUS_QUERY_ID_TYPE)stack.Parameters.QueryId.IdType);

            case IRP_MN_QUERY_DEVICE_RELATIONS when (DEVICE_RELATION_TYPE)stack.Parameters.QueryDeviceRelations.Type == TargetDeviceRelation:
                var target = new DEVICE_RELATIONS(ExAllocatePool2(POOL_FLAG_PAGED, DEVICE_RELATIONS.SizeFor(1), BusTag));
                if (target.IsNull)
                {
                    return ToasterIrp.Complete(Irp, STATUS_INSUFFICIENT_RESOURCES);
                }

                ObReferenceObject(pdo.Self);
                target.Count = 1;
                target[0] = pdo.Self;
                return ToasterIrp.Complete(Irp, STATUS_SUCCESS, target.Address);

            default:
                // Not handled by the bus driver: the IRP completes with the status it came with.
                return ToasterIrp.Complete(Irp, Irp.IoStatus.Status, Irp.IoStatus.Information);
        }
    }

    /// <summary>The toaster can be pulled out at any time (Removable, SurpriseRemovalOK); its serial number is its address.</summary>
    private static NTSTATUS Bus_PDO_QueryDeviceCaps(PdoDeviceData pdo, IO_STACK_LOCATION stack)
    {
        var caps = new DEVICE_CAPABILITIES(stack.Parameters.DeviceCapabilities.Capabilities);
        if (caps.Version != 1 || caps.Size < DEVICE_CAPABILITIES.SizeOf)
        {
            return STATUS_UNSUCCESSFUL;
        }

        caps.EjectSupported = true;
        caps.Removable = true;
        caps.SurpriseRemovalOK = true;

        // The serial number is unique on this bus only: the PnP manager prefixes the instance ID.
        caps.UniqueID = false;
        caps.AddressOnBus = pdo.SerialNo;
        caps.UINumber = pdo.SerialNo;
        return STATUS_SUCCESS;
    }

    private static NTSTATUS Bus_PDO_QueryDeviceId(PdoDeviceData pdo, IRP Irp, BUS_QUERY_ID_TYPE type)
    {
        string? text = type switch
        {
            BUS_QUERY_ID_TYPE.BusQueryDeviceID => pdo.HardwareIds[0] + "\0",
            BUS_QUERY_ID_TYPE.BusQueryInstanceID => $"{pdo.SerialNo:D2}\0",
            BUS_QUERY_ID_TYPE.BusQueryHardwareIDs => string.Join('\0', pdo.HardwareIds) + "\0\0",
            BUS_QUERY_ID_TYPE.BusQueryCompatibleIDs => BUSENUM_COMPATIBLE_IDS + "\0\0",
            _ => null,
        };
        if (text is null)
        {
            return ToasterIrp.Complete(Irp, Irp.IoStatus.Status, Irp.IoStatus.Information);
        }

        var bytes = Encoding.Unicode.GetBytes(text);
        var buffer = ExAllocatePool2(POOL_FLAG_PAGED, (ulong)bytes.Length, BusTag);
        if (buffer == 0)
        {
            return ToasterIrp.Complete(Irp, STATUS_INSUFFICIENT_RESOURCES);
        }

        CopyFromHost(buffer, bytes);
        return ToasterIrp.Complete(Irp, STATUS_SUCCESS, buffer);
    }
}
