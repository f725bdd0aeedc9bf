using System.Buffers.Binary;
using System.Globalization;
using SharpNT.Kernel;
using SharpNT.Kernel.Io;
using SharpNT.Kernel.Pnp;
using static SharpNT.Kernel.Ddi.Wdm;
using static SharpNT.Kernel.Io.IRP_MJ;
using static SharpNT.Kernel.Io.IRP_MN;
using static SharpNT.Kernel.NTSTATUS;

namespace SharpNT.Drivers.Pci;

/// <summary>
/// pci.sys: the PCI bus driver. On a non-ACPI machine the HAL's PCI bus is a root-enumerated device (Enum\Root\PCI_HAL,
/// hardware ID PCI_HAL\PNP0A03, compatible *PNP0A03); pci.sys is its function driver. Its FDO is a bus: BusRelations
/// reads every slot of bus 0 through the HAL (HalGetBusDataByOffset) and reports one PDO per function present. Each
/// PDO answers IRP_MN_QUERY_ID with the PCI\VEN_xxxx&amp;DEV_xxxx IDs built from its configuration space and
/// IRP_MN_QUERY_RESOURCES with its boot configuration: the memory range of BAR0 and its interrupt line, which the
/// PnP manager hands (translated by the HAL) to the function driver in IRP_MN_START_DEVICE. A separate driver, not
/// the HAL, as on NT: the HAL gives configuration space access and interrupt translation, pci.sys is the bus.
/// </summary>
public sealed class PciBusDriver : DriverImage
{
    /// <summary>The service name (Services\pci).</summary>
    public const string Service = "pci";

    /// <summary>The root-enumerated PCI bus of a non-ACPI HAL: its instance path, hardware and compatible IDs.</summary>
    public const string BusInstancePath = @"ROOT\PCI_HAL\0000";
    public const string BusHardwareId = @"PCI_HAL\PNP0A03";
    public const string BusCompatibleId = "*PNP0A03";

    /// <summary>
    /// The length of the memory range BAR0 decodes. The size of a BAR is found by writing all ones to it and
    /// reading back the mask; the HAL's configuration space is read-only here, so the bus reports the register
    /// window every controller the machine models decodes (16 KiB).
    /// </summary>
    internal const uint Bar0Length = 0x4000;

    private const int HeaderLength = 0x40;
    private const uint PciSlots = 32;
    private static readonly uint s_tag = PoolTag("PciB");

    public override string ImageName => "pci.sys";

    private sealed class PciFdo
    {
        public DEVICE_OBJECT Self { get; set; }

        public DEVICE_OBJECT NextLowerDriver { get; set; }

        public List<PciPdo> Children { get; } = [];
    }

    private sealed class PciPdo
    {
        public DEVICE_OBJECT Self { get; set; }

        public required uint Slot { get; init; }

        public required byte[] Header { get; init; }

        public ushort VendorId => BinaryPrimitives.ReadUInt16LittleEndian(Header.AsSpan(PCI_VENDOR_ID_OFFSET));

        public ushort DeviceId => BinaryPrimitives.ReadUInt16LittleEndian(Header.AsSpan(PCI_DEVICE_ID_OFFSET));

        public byte Revision => Header[0x08];

        public uint SubSystem => BinaryPrimitives.ReadUInt32LittleEndian(Header.AsSpan(0x2C)) is var v ? (v >> 16) | (v << 16) : 0;
    }

    public override NTSTATUS DriverEntry(DRIVER_OBJECT DriverObject, UNICODE_STRING RegistryPath)
    {
        DriverObject.MajorFunction[IRP_MJ_PNP] = PciDispatchPnp;
        DriverObject.DriverExtension.AddDevice = PciAddDevice;
        DriverObject.DriverUnload = _ => { };
        return STATUS_SUCCESS;
    }

    private static NTSTATUS PciAddDevice(DRIVER_OBJECT DriverObject, DEVICE_OBJECT PhysicalDeviceObject)
    {
        var fdo = new PciFdo();
        var status = IoCreateDevice(DriverObject, fdo, null, FILE_DEVICE.FILE_DEVICE_BUS_EXTENDER, 0, false, out var device);
        if (!status.IsSuccess())
        {
            return status;
        }

        fdo.Self = device;
        fdo.NextLowerDriver = IoAttachDeviceToDeviceStack(device, PhysicalDeviceObject);
        if (fdo.NextLowerDriver.IsNull)
        {
            IoDeleteDevice(device);
            return STATUS_NO_SUCH_DEVICE;
        }

        device.Flags &= ~DO_FLAGS.DO_DEVICE_INITIALIZING;
        return STATUS_SUCCESS;
    }

    private static NTSTATUS PciDispatchPnp(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        var stack = IoGetCurrentIrpStackLocation(Irp);
        return IoGetDeviceExtension<object>(DeviceObject) switch
        {
            PciFdo fdo => FdoPnp(fdo, Irp, stack),
            PciPdo pdo => PdoPnp(pdo, Irp, stack),
            _ => PnpIrp.Complete(Irp, Irp.IoStatus.Status, Irp.IoStatus.Information),
        };
    }

    private static NTSTATUS FdoPnp(PciFdo fdo, IRP Irp, IO_STACK_LOCATION stack)
    {
        switch (stack.MinorFunction)
        {
            case IRP_MN_START_DEVICE:
                return PnpIrp.Complete(Irp, PnpIrp.SendIrpSynchronously(fdo.NextLowerDriver, Irp));

            case IRP_MN_QUERY_DEVICE_RELATIONS when (DEVICE_RELATION_TYPE)stack.Parameters.QueryDeviceRelations.Type == DEVICE_RELATION_TYPE.BusRelations:
                ScanBus(fdo);
                var status = PnpIrp.ReportBusRelations(Irp, [.. fdo.Children.Select(c => c.Self)], s_tag);
                if (!status.IsSuccess())
                {
                    return PnpIrp.Complete(Irp, status);
                }

                IoSkipCurrentIrpStackLocation(Irp);
                return IoCallDriver(fdo.NextLowerDriver, Irp);

            case IRP_MN_REMOVE_DEVICE:
                Irp.IoStatus.Status = STATUS_SUCCESS;
                IoSkipCurrentIrpStackLocation(Irp);
                var removed = IoCallDriver(fdo.NextLowerDriver, Irp);

                // The functions go with their bus (the PnP manager removed their stacks first).
                foreach (var child in fdo.Children)
                {
                    IoDeleteDevice(child.Self);
                }

                fdo.Children.Clear();
                IoDetachDevice(fdo.NextLowerDriver);
                IoDeleteDevice(fdo.Self);
                return removed;

            case IRP_MN_QUERY_REMOVE_DEVICE:
            case IRP_MN_CANCEL_REMOVE_DEVICE:
            case IRP_MN_SURPRISE_REMOVAL:
                Irp.IoStatus.Status = STATUS_SUCCESS;
                IoSkipCurrentIrpStackLocation(Irp);
                return IoCallDriver(fdo.NextLowerDriver, Irp);

            default:
                IoSkipCurrentIrpStackLocation(Irp);
                return IoCallDriver(fdo.NextLowerDriver, Irp);
        }
    }

    /// <summary>
    /// Reads the header of every slot of bus 0 (function 0: the machine's devices are single-function) and makes a PDO
    /// for each device not seen before. Devices on this bus are soldered in: a PDO, once made, stays with its bus.
    /// </summary>
    private static void ScanBus(PciFdo fdo)
    {
        var header = new byte[HeaderLength];
        for (uint slot = 0; slot < PciSlots; slot++)
        {
            if (fdo.Children.Any(c => c.Slot == slot))
            {
                continue;
            }

            if (HalGetBusDataByOffset(PCIConfiguration, 0, slot, header, 0) < HeaderLength
                || BinaryPrimitives.ReadUInt16LittleEndian(header) == PCI_INVALID_VENDORID)
            {
                continue;
            }

            var pdo = new PciPdo { Slot = slot, Header = (byte[])header.Clone() };
            var status = IoCreateDevice(fdo.Self.DriverObject, pdo, null, FILE_DEVICE.FILE_DEVICE_CONTROLLER,
                FILE_CHARACTERISTICS.FILE_AUTOGENERATED_DEVICE_NAME, false, out var device);
            if (!status.IsSuccess())
            {
                DbgPrint($"pci: no PDO for the device in slot {slot}: {status}");
                continue;
            }

            pdo.Self = device;
            device.Flags &= ~DO_FLAGS.DO_DEVICE_INITIALIZING;
            fdo.Children.Add(pdo);
        }
    }

    private static NTSTATUS PdoPnp(PciPdo pdo, IRP Irp, IO_STACK_LOCATION stack)
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
                // A present function's PDO stays until its bus goes (see the FDO's IRP_MN_REMOVE_DEVICE).
                return PnpIrp.Complete(Irp, STATUS_SUCCESS);

            case IRP_MN_QUERY_CAPABILITIES:
                // The address on a PCI bus: the device number in the high word, the function in the low word.
                return PnpIrp.CompleteBusAddressCapabilities(Irp, stack, (pdo.Slot & 0x1F) << 16, pdo.Slot);

            case IRP_MN_QUERY_ID:
                return PnpIrp.CompleteQueryId(Irp, QueryId(pdo, (BUS_QUERY_ID_TYPE)stack.Parameters.QueryId.IdType), s_tag);

            case IRP_MN_QUERY_RESOURCES:
                return QueryResources(pdo, Irp);

            default:
                return PnpIrp.Complete(Irp, Irp.IoStatus.Status, Irp.IoStatus.Information);
        }
    }

    /// <summary>
    /// The IDs pci.sys reports: the device ID PCI\VEN_v&amp;DEV_d&amp;SUBSYS_s&amp;REV_r; hardware IDs from the most specific
    /// down to the class code (CC_ccsspp, CC_ccss); compatible IDs down to the bare class (PCI\CC_010802 is what an
    /// NVMe driver's INF names); the instance ID the slot as device/function, two hex digits.
    /// </summary>
    internal static string? IdText(ushort vendor, ushort device, uint subsystem, byte revision, byte baseClass, byte subClass, byte progIf,
        uint slot, BUS_QUERY_ID_TYPE type)
    {
        var ven = string.Create(CultureInfo.InvariantCulture, $@"PCI\VEN_{vendor:X4}");
        var dev = string.Create(CultureInfo.InvariantCulture, $"{ven}&DEV_{device:X4}");
        var subsys = string.Create(CultureInfo.InvariantCulture, $"SUBSYS_{subsystem:X8}");
        var rev = string.Create(CultureInfo.InvariantCulture, $"REV_{revision:X2}");
        var cc = string.Create(CultureInfo.InvariantCulture, $"CC_{baseClass:X2}{subClass:X2}");
        var ccp = string.Create(CultureInfo.InvariantCulture, $"{cc}{progIf:X2}");
        return type switch
        {
            BUS_QUERY_ID_TYPE.BusQueryDeviceID => $"{dev}&{subsys}&{rev}\0",
            BUS_QUERY_ID_TYPE.BusQueryInstanceID => string.Create(CultureInfo.InvariantCulture, $"{(slot & 0x1F) << 3:X2}\0"),
            BUS_QUERY_ID_TYPE.BusQueryHardwareIDs => string.Join('\0', $"{dev}&{subsys}&{rev}", $"{dev}&{subsys}", $"{dev}&{ccp}", $"{dev}&{cc}") + "\0\0",
            BUS_QUERY_ID_TYPE.BusQueryCompatibleIDs => string.Join('\0', $"{dev}&{rev}", dev, $"{ven}&{ccp}", $"{ven}&{cc}", ven,
                $@"PCI\{ccp}", $@"PCI\{cc}") + "\0\0",
            _ => null,
        };
    }

    private static string? QueryId(PciPdo pdo, BUS_QUERY_ID_TYPE type) =>
        IdText(pdo.VendorId, pdo.DeviceId, pdo.SubSystem, pdo.Revision, pdo.Header[PCI_BASE_CLASS_OFFSET], pdo.Header[PCI_SUBCLASS_OFFSET],
            pdo.Header[PCI_PROGIF_OFFSET], pdo.Slot, type);

    /// <summary>
    /// The boot configuration (raw, on PCIBus 0): BAR0 as a memory range (a 64-bit BAR takes the next dword as its
    /// high half) and the interrupt line as an interrupt, Level and Vector both the line, as the bus numbers it.
    /// </summary>
    private static NTSTATUS QueryResources(PciPdo pdo, IRP Irp)
    {
        var header = pdo.Header.AsSpan();
        var barLow = BinaryPrimitives.ReadUInt32LittleEndian(header[PCI_BAR0_OFFSET..]);
        var is64 = (barLow & 0x6) == 0x4;
        var bar = (barLow & ~0xFUL) | (is64 ? (ulong)BinaryPrimitives.ReadUInt32LittleEndian(header[(PCI_BAR0_OFFSET + 4)..]) << 32 : 0);
        var hasInterrupt = header[PCI_INTERRUPT_PIN_OFFSET] != 0;
        var count = (bar != 0 ? 1u : 0u) + (hasInterrupt ? 1u : 0u);
        if (count == 0)
        {
            return PnpIrp.Complete(Irp, Irp.IoStatus.Status, Irp.IoStatus.Information);
        }

        var list = new CM_RESOURCE_LIST(ExAllocatePool2(POOL_FLAG_PAGED, CM_RESOURCE_LIST.SizeFor(count), s_tag));
        if (list.IsNull)
        {
            return PnpIrp.Complete(Irp, STATUS_INSUFFICIENT_RESOURCES);
        }

        list.InitializeSingle(count, PCIBus, 0);
        var index = 0u;
        if (bar != 0)
        {
            list.SetMemory(index++, bar, Bar0Length);
        }

        if (hasInterrupt)
        {
            var line = header[PCI_INTERRUPT_LINE_OFFSET];
            list.SetInterrupt(index, line, line, ulong.MaxValue);
        }

        return PnpIrp.Complete(Irp, STATUS_SUCCESS, list.Address);
    }
}
