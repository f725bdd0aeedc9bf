using System.Globalization;
using SharpNT.Kernel;
using SharpNT.Kernel.Io;
using SharpNT.Kernel.Ke;
using SharpNT.Kernel.Pnp;
using static SharpNT.Kernel.Ddi.Wdm;
using static SharpNT.Kernel.Io.DO_FLAGS;
using static SharpNT.Kernel.Io.FILE_DEVICE;
using static SharpNT.Kernel.Io.IRP_MN;
using static SharpNT.Kernel.NTSTATUS;

namespace SharpNT.Drivers.Storage.Nvme;

/// <summary>The port driver's Plug and Play side: AddDevice, the adapter FDO's start and bus relations, the disk PDOs.</summary>
public sealed partial class NvmePortDriver
{
    private static readonly uint s_pnpTag = PoolTag("NvmP");

    /// <summary>What IRP_MN_START_DEVICE's translated resource list gives the adapter.</summary>
    private readonly record struct ControllerResources(ulong RegisterBase, uint RegisterLength, uint Vector, byte Irql, ulong Affinity,
        KINTERRUPT_MODE Mode, bool Shared);

    /// <summary>AddDevice: the adapter's FDO, \Device\RaidPortN, attached over the controller's PCI PDO. No I/O until it starts.</summary>
    private NTSTATUS NvmeAddDevice(DRIVER_OBJECT DriverObject, DEVICE_OBJECT PhysicalDeviceObject)
    {
        var adapter = new NvmeAdapter { Number = _nextAdapter };
        CreatePortDevice(DriverObject, adapter, out var status);
        if (!status.IsSuccess())
        {
            return status;
        }

        _nextAdapter++;
        adapter.NextLowerDriver = IoAttachDeviceToDeviceStack(adapter.Device, PhysicalDeviceObject);
        if (adapter.NextLowerDriver.IsNull)
        {
            IoDeleteDevice(adapter.Device);
            return STATUS_NO_SUCH_DEVICE;
        }

        var fdo = adapter.Device;
        fdo.Flags &= ~DO_DEVICE_INITIALIZING;
        return STATUS_SUCCESS;
    }

    private static NTSTATUS NvmeDispatchPnp(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        var stack = IoGetCurrentIrpStackLocation(Irp);
        return IoGetDeviceExtension<object>(DeviceObject) switch
        {
            NvmeAdapter adapter => AdapterPnp(adapter, Irp, stack),
            NvmeDiskPdo disk => DiskPdoPnp(disk, Irp, stack),
            _ => PnpIrp.Complete(Irp, Irp.IoStatus.Status, Irp.IoStatus.Information),
        };
    }

    private static NTSTATUS AdapterPnp(NvmeAdapter adapter, IRP Irp, IO_STACK_LOCATION stack)
    {
        switch (stack.MinorFunction)
        {
            case IRP_MN_START_DEVICE:
                // The PCI bus driver starts the function first; then the controller is brought up with what it was given.
                var status = PnpIrp.SendIrpSynchronously(adapter.NextLowerDriver, Irp);
                if (status.IsSuccess())
                {
                    status = ParseResources(new CM_RESOURCE_LIST(stack.Parameters.StartDevice.AllocatedResourcesTranslated), out var resources);
                    if (status.IsSuccess())
                    {
                        status = StartController(adapter, resources);
                    }

                    if (!status.IsSuccess())
                    {
                        ReleaseHardware(adapter);
                        DbgPrint($"nvmeport: adapter {adapter.Number} did not start: {status}");
                    }
                }

                adapter.Started = status.IsSuccess();
                return PnpIrp.Complete(Irp, status);

            case IRP_MN_QUERY_DEVICE_RELATIONS when (DEVICE_RELATION_TYPE)stack.Parameters.QueryDeviceRelations.Type == DEVICE_RELATION_TYPE.BusRelations:
                if (adapter.Started && adapter.Disks.Count == 0 && adapter.BlockCount > 0)
                {
                    CreateDiskPdo(adapter, 1);
                }

                var reported = PnpIrp.ReportBusRelations(Irp, [.. adapter.Disks.Select(d => d.Self)], s_pnpTag);
                if (!reported.IsSuccess())
                {
                    return PnpIrp.Complete(Irp, reported);
                }

                IoSkipCurrentIrpStackLocation(Irp);
                return IoCallDriver(adapter.NextLowerDriver, Irp);

            case IRP_MN_REMOVE_DEVICE:
                adapter.Started = false;
                ReleaseHardware(adapter);
                Irp.IoStatus.Status = STATUS_SUCCESS;
                IoSkipCurrentIrpStackLocation(Irp);
                var removed = IoCallDriver(adapter.NextLowerDriver, Irp);

                // The disks go with their adapter (the PnP manager removed their stacks first).
                foreach (var disk in adapter.Disks)
                {
                    IoDeleteDevice(disk.Self);
                }

                adapter.Disks.Clear();
                IoDetachDevice(adapter.NextLowerDriver);
                IoDeleteDevice(adapter.Device);
                return removed;

            case IRP_MN_SURPRISE_REMOVAL:
                adapter.Started = false;
                ReleaseHardware(adapter);
                Irp.IoStatus.Status = STATUS_SUCCESS;
                IoSkipCurrentIrpStackLocation(Irp);
                return IoCallDriver(adapter.NextLowerDriver, Irp);

            case IRP_MN_QUERY_REMOVE_DEVICE:
            case IRP_MN_CANCEL_REMOVE_DEVICE:
                Irp.IoStatus.Status = STATUS_SUCCESS;
                IoSkipCurrentIrpStackLocation(Irp);
                return IoCallDriver(adapter.NextLowerDriver, Irp);

            default:
                IoSkipCurrentIrpStackLocation(Irp);
                return IoCallDriver(adapter.NextLowerDriver, Irp);
        }
    }

    /// <summary>
    /// The translated resources a controller needs: one memory range (its registers) and one interrupt (vector, DIRQL,
    /// affinity, level-sensitive or latched, shared or not). Without both the controller cannot run:
    /// STATUS_INSUFFICIENT_RESOURCES, and the PnP manager marks the device CM_PROB_FAILED_START.
    /// </summary>
    private static NTSTATUS ParseResources(CM_RESOURCE_LIST translated, out ControllerResources resources)
    {
        resources = default;
        if (translated.IsNull)
        {
            return STATUS_INSUFFICIENT_RESOURCES;
        }

        ulong registers = 0;
        uint length = 0;
        bool interrupt = false;
        for (var i = 0u; i < translated.PartialCount; i++)
        {
            switch (translated.TypeOf(i))
            {
                case CM_RESOURCE_LIST.CmResourceTypeMemory when registers == 0:
                    registers = translated.StartOf(i);
                    length = translated.LengthOf(i);
                    break;

                case CM_RESOURCE_LIST.CmResourceTypeInterrupt when !interrupt:
                    interrupt = true;
                    resources = resources with
                    {
                        Vector = translated.InterruptVectorOf(i),
                        Irql = (byte)translated.InterruptLevelOf(i),
                        Affinity = translated.InterruptAffinityOf(i),
                        Mode = (translated.FlagsOf(i) & CM_RESOURCE_LIST.CM_RESOURCE_INTERRUPT_LATCHED) != 0 ? Latched : LevelSensitive,
                        Shared = translated.ShareDispositionOf(i) == CM_RESOURCE_LIST.CmResourceShareShared,
                    };
                    break;
            }
        }

        if (registers == 0 || length == 0 || !interrupt)
        {
            return STATUS_INSUFFICIENT_RESOURCES;
        }

        resources = resources with { RegisterBase = registers, RegisterLength = length };
        return STATUS_SUCCESS;
    }

    /// <summary>Gives back what a start took: the interrupt, then the register mapping.</summary>
    private static void ReleaseHardware(NvmeAdapter adapter)
    {
        if (adapter.Interrupt is { } interrupt)
        {
            IoDisconnectInterrupt(interrupt);
            adapter.Interrupt = null;
        }

        if (adapter.Registers != 0)
        {
            MmUnmapIoSpace(adapter.Registers, adapter.RegistersLength);
            adapter.Registers = 0;
        }
    }

    /// <summary>A disk PDO for a namespace: FILE_DEVICE_DISK, an autogenerated name (as storage port drivers' PDOs have), direct I/O.</summary>
    private static void CreateDiskPdo(NvmeAdapter adapter, uint namespaceId)
    {
        var disk = new NvmeDiskPdo { Adapter = adapter, NamespaceId = namespaceId };
        var status = IoCreateDevice(adapter.Device.DriverObject, disk, null, FILE_DEVICE_DISK, FILE_CHARACTERISTICS.FILE_AUTOGENERATED_DEVICE_NAME,
            false, out var device);
        if (!status.IsSuccess())
        {
            DbgPrint($"nvmeport: no PDO for namespace {namespaceId} of adapter {adapter.Number}: {status}");
            return;
        }

        disk.Self = device;
        device.Flags |= DO_DIRECT_IO;
        device.AlignmentRequirement = adapter.Device.AlignmentRequirement;
        device.Flags &= ~DO_DEVICE_INITIALIZING;
        adapter.Disks.Add(disk);
    }

    private static NTSTATUS DiskPdoPnp(NvmeDiskPdo disk, IRP Irp, IO_STACK_LOCATION stack)
    {
        switch (stack.MinorFunction)
        {
            case IRP_MN_START_DEVICE:
            case IRP_MN_STOP_DEVICE:
            case IRP_MN_QUERY_STOP_DEVICE:
            case IRP_MN_CANCEL_STOP_DEVICE:
            case IRP_MN_QUERY_REMOVE_DEVICE:
            case IRP_MN_CANCEL_REMOVE_DEVICE:
            case IRP_MN_SURPRISE_REMOVAL:
            case IRP_MN_REMOVE_DEVICE:
                // A namespace present on its adapter keeps its PDO until the adapter goes (see the FDO's removal).
                return PnpIrp.Complete(Irp, STATUS_SUCCESS);

            case IRP_MN_QUERY_CAPABILITIES:
                // The address is the namespace.
                return PnpIrp.CompleteBusAddressCapabilities(Irp, stack, disk.NamespaceId, disk.NamespaceId);

            case IRP_MN_QUERY_ID:
                return PnpIrp.CompleteQueryId(Irp, DiskId(disk, (BUS_QUERY_ID_TYPE)stack.Parameters.QueryId.IdType), s_pnpTag);

            case IRP_MN_QUERY_DEVICE_RELATIONS when (DEVICE_RELATION_TYPE)stack.Parameters.QueryDeviceRelations.Type == DEVICE_RELATION_TYPE.TargetDeviceRelation:
                var target = new DEVICE_RELATIONS(ExAllocatePool2(POOL_FLAG_PAGED, DEVICE_RELATIONS.SizeFor(1), s_pnpTag));
                if (target.IsNull)
                {
                    return PnpIrp.Complete(Irp, STATUS_INSUFFICIENT_RESOURCES);
                }

                ObReferenceObject(disk.Self);
                target.Count = 1;
                target[0] = disk.Self;
                return PnpIrp.Complete(Irp, STATUS_SUCCESS, target.Address);

            default:
                return PnpIrp.Complete(Irp, Irp.IoStatus.Status, Irp.IoStatus.Information);
        }
    }

    /// <summary>
    /// A storage port's disk IDs, in the SCSI form Windows gives NVMe namespaces: vendor "NVMe" padded to 8, the model
    /// as product (16 characters, spaces as underscores), the firmware revision (4): device ID SCSI\Disk&amp;Ven_..&amp;Prod_..,
    /// hardware IDs down to GenDisk (what disk.inf installs on), compatible IDs SCSI\Disk and SCSI\RAW; the instance ID
    /// bus, target and LUN, six hex digits, as storport writes them.
    /// </summary>
    internal static string? DiskIdText(string model, string firmware, uint namespaceId, BUS_QUERY_ID_TYPE type)
    {
        static string Field(string text, int length) =>
            new string([.. text.Trim().Select(c => c is ' ' or ',' or '\\' || c < 0x20 || c > 0x7E ? '_' : c)]).PadRight(length, '_')[..length];

        var vendor = Field("NVMe", 8);
        var product = Field(model, 16);
        var revision = Field(firmware, 4);
        return type switch
        {
            BUS_QUERY_ID_TYPE.BusQueryDeviceID => $@"SCSI\Disk&Ven_{vendor.TrimEnd('_')}&Prod_{product.TrimEnd('_')}" + "\0",
            BUS_QUERY_ID_TYPE.BusQueryInstanceID => string.Create(CultureInfo.InvariantCulture, $"0000{namespaceId - 1:X2}\0"),
            BUS_QUERY_ID_TYPE.BusQueryHardwareIDs => string.Join('\0', $@"SCSI\Disk{vendor}{product}{revision}", $@"SCSI\Disk{vendor}{product}",
                $@"SCSI\Disk{vendor}", $"{vendor}{product}{revision}", "GenDisk") + "\0\0",
            BUS_QUERY_ID_TYPE.BusQueryCompatibleIDs => "SCSI\\Disk\0SCSI\\RAW\0\0",
            _ => null,
        };
    }

    private static string? DiskId(NvmeDiskPdo disk, BUS_QUERY_ID_TYPE type) =>
        DiskIdText(disk.Adapter.ModelNumber, disk.Adapter.FirmwareRevision, disk.NamespaceId, type);
}
