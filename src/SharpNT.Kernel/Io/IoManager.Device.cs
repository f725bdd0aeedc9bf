using SharpNT.Kernel.Io.Layout;
using SharpNT.Kernel.Ke;

namespace SharpNT.Kernel.Io;

internal sealed partial class IoManager
{
    private readonly Dictionary<ulong, DeviceRecord> _devices = [];

    /// <summary>What the I/O manager keeps about a device beyond its DEVICE_OBJECT bytes.</summary>
    internal sealed class DeviceRecord
    {
        internal required DEVICE_OBJECT Device { get; init; }

        internal required string? Name { get; init; }

        /// <summary>A managed driver's typed device extension (IoCreateDevice with an extension object).</summary>
        internal object? ManagedExtension { get; set; }

        internal bool DeletePending { get; set; }

        /// <summary>The creator's object reference has been dropped (IopCompleteUnloadOrDelete ran).</summary>
        internal bool Dereferenced { get; set; }

        /// <summary>
        /// The device this one is attached to. NT keeps it in the private tail of DEVOBJ_EXTENSION, which
        /// the WDK does not publish; it is kept here instead of inventing bytes for it.
        /// </summary>
        internal DEVICE_OBJECT AttachedTo { get; set; }

        /// <summary>IoStartPacket's device queue of IRPs waiting for StartIo, in order.</summary>
        internal LinkedList<(IRP Irp, uint Key)> StartIoQueue { get; } = new();

        internal bool StartIoBusy { get; set; }
    }

    internal DeviceRecord? RecordOf(DEVICE_OBJECT device)
    {
        lock (_lock)
        {
            return _devices.GetValueOrDefault(device.Address);
        }
    }

    internal string? DeviceNameOf(DEVICE_OBJECT device) => RecordOf(device)?.Name;

    internal IReadOnlyList<DeviceRecord> SnapshotDevices()
    {
        lock (_lock)
        {
            return [.. _devices.Values];
        }
    }

    /// <summary>
    /// IoCreateDevice: IRQL PASSIVE_LEVEL. One nonpaged allocation holds the DEVICE_OBJECT, the device
    /// extension (zeroed) and the DEVOBJ_EXTENSION, as NT lays them out. The device starts with
    /// DO_DEVICE_INITIALIZING set and a stack size of one; a name puts it in the object namespace.
    /// </summary>
    internal NTSTATUS CreateDevice(DRIVER_OBJECT driverObject, uint deviceExtensionSize, string? deviceName,
        uint deviceType, uint characteristics, bool exclusive, object? managedExtension, out DEVICE_OBJECT deviceObject)
    {
        deviceObject = DEVICE_OBJECT.NULL;
        CheckPassive();
        if (DriverOf(driverObject) is null)
        {
            return NTSTATUS.STATUS_INVALID_PARAMETER;
        }

        var extensionSize = (deviceExtensionSize + 15UL) & ~15UL;
        var total = (ulong)DeviceObjectLayout.Size + extensionSize + (ulong)DevObjExtensionLayout.Size;
        var address = AllocateNonPaged(total, TagDevice);
        if (address == 0)
        {
            return NTSTATUS.STATUS_INSUFFICIENT_RESOURCES;
        }

        var extension = address + DeviceObjectLayout.Size;
        var devobjExtension = extension + extensionSize;
        var flags = DO_FLAGS.DO_DEVICE_INITIALIZING;
        if (exclusive)
        {
            flags |= DO_FLAGS.DO_EXCLUSIVE;
        }

        if (deviceName is not null)
        {
            flags |= DO_FLAGS.DO_DEVICE_HAS_NAME;
        }

        Mm.Write(address + DeviceObjectLayout.Type, (short)IO_TYPE.IO_TYPE_DEVICE);
        Mm.Write(address + DeviceObjectLayout.SizeField, (ushort)(DeviceObjectLayout.Size + deviceExtensionSize));
        Mm.Write(address + DeviceObjectLayout.DriverObject, driverObject.Address);
        Mm.Write(address + DeviceObjectLayout.Flags, flags);
        Mm.Write(address + DeviceObjectLayout.Characteristics, characteristics);
        Mm.Write(address + DeviceObjectLayout.DeviceExtension, deviceExtensionSize > 0 ? extension : 0UL);
        Mm.Write(address + DeviceObjectLayout.DeviceType, deviceType);
        Mm.Write(address + DeviceObjectLayout.StackSize, (sbyte)1);
        Mm.Write(address + DeviceObjectLayout.DeviceObjectExtension, devobjExtension);
        Mm.Write(devobjExtension + DevObjExtensionLayout.Type, (short)IO_TYPE.IO_TYPE_DEVICE_OBJECT_EXTENSION);
        Mm.Write(devobjExtension + DevObjExtensionLayout.SizeField, (ushort)DevObjExtensionLayout.Size);
        Mm.Write(devobjExtension + DevObjExtensionLayout.DeviceObject, address);
        if (deviceType is FILE_DEVICE.FILE_DEVICE_DISK or FILE_DEVICE.FILE_DEVICE_CD_ROM or FILE_DEVICE.FILE_DEVICE_VIRTUAL_DISK)
        {
            Mm.Write(address + DeviceObjectLayout.SectorSize, (ushort)512);
        }

        if (!CreateVpb(address, deviceType))
        {
            FreePool(address);
            return NTSTATUS.STATUS_INSUFFICIENT_RESOURCES;
        }

        var device = new DEVICE_OBJECT(address);
        var status = OnDeviceObjectCreated(device, deviceName);
        if (!status.IsSuccess())
        {
            FreePool(address);
            return status;
        }

        lock (_lock)
        {
            _devices[address] = new DeviceRecord { Device = device, Name = deviceName, ManagedExtension = managedExtension };

            // The driver's device list: new devices go to the head, as IoCreateDevice links them.
            device.NextDevice = driverObject.DeviceObject;
            driverObject.DeviceObject = device;
        }

        deviceObject = device;
        return NTSTATUS.STATUS_SUCCESS;
    }

    /// <summary>
    /// IoDeleteDevice: IRQL PASSIVE_LEVEL. The device leaves its driver's list and the namespace; its
    /// memory goes once no reference remains.
    /// </summary>
    internal void DeleteDevice(DEVICE_OBJECT device)
    {
        CheckPassive();
        var record = RecordOf(device);
        if (record is null)
        {
            // Not a live device object: deleting it again frees its pool a second time (BAD_POOL_CALLER 7:
            // the block was already freed; parameter 4 is its address).
            _machine.BugCheck.Raise(BugCheckCode.BAD_POOL_CALLER, 7, 0, 0, device.Address);
        }

        var driver = device.DriverObject;
        lock (_lock)
        {
            if (driver.DeviceObject == device)
            {
                driver.DeviceObject = device.NextDevice;
            }
            else
            {
                for (var d = driver.DeviceObject; !d.IsNull; d = d.NextDevice)
                {
                    if (d.NextDevice == device)
                    {
                        d.NextDevice = device.NextDevice;
                        break;
                    }
                }
            }

            record.DeletePending = true;
        }

        OnDeviceObjectDeleted(device, record.Name);
        if (device.ReferenceCount == 0)
        {
            CompleteUnloadOrDelete(device);
        }
    }

    private void FreeDevice(DEVICE_OBJECT device)
    {
        lock (_lock)
        {
            _devices.Remove(device.Address);
        }

        ForgetBody(device.Address);
        FreeVpb(device);
        Mm.Write(device.Address + DeviceObjectLayout.Type, (short)0);
        FreePool(device.Address);
    }

    /// <summary>
    /// IoAttachDeviceToDeviceStack: attaches <paramref name="source"/> on top of the stack that contains
    /// <paramref name="target"/>; returns the device it attached to (the old top), or NULL.
    /// </summary>
    internal DEVICE_OBJECT AttachDeviceToDeviceStack(DEVICE_OBJECT source, DEVICE_OBJECT target)
    {
        lock (_lock)
        {
            var top = GetAttachedDevice(target);
            if (RecordOf(top) is null or { DeletePending: true })
            {
                return DEVICE_OBJECT.NULL;
            }

            top.AttachedDevice = source;
            source.StackSize = (sbyte)(top.StackSize + 1);
            source.AlignmentRequirement = Math.Max(source.AlignmentRequirement, top.AlignmentRequirement);
            if (source.SectorSize == 0)
            {
                source.SectorSize = top.SectorSize;
            }

            if (RecordOf(source) is { } record)
            {
                record.AttachedTo = top;
            }

            return top;
        }
    }

    /// <summary>IoDetachDevice: the device above <paramref name="target"/> is detached from it.</summary>
    internal void DetachDevice(DEVICE_OBJECT target)
    {
        lock (_lock)
        {
            var above = target.AttachedDevice;
            if (above.IsNull)
            {
                return;
            }

            if (RecordOf(above) is { } record)
            {
                record.AttachedTo = DEVICE_OBJECT.NULL;
            }

            target.AttachedDevice = DEVICE_OBJECT.NULL;
        }
    }

    /// <summary>IoGetAttachedDevice: the highest device in the stack that contains <paramref name="device"/>.</summary>
    internal static DEVICE_OBJECT GetAttachedDevice(DEVICE_OBJECT device)
    {
        var top = device;
        while (!top.AttachedDevice.IsNull)
        {
            top = top.AttachedDevice;
        }

        return top;
    }

    /// <summary>The device <paramref name="device"/> is attached to (DEVOBJ_EXTENSION.AttachedTo), or NULL.</summary>
    internal DEVICE_OBJECT AttachedTo(DEVICE_OBJECT device) => RecordOf(device)?.AttachedTo ?? DEVICE_OBJECT.NULL;

    /// <summary>IoGetAttachedDeviceReference: the top of the stack, referenced.</summary>
    internal DEVICE_OBJECT GetAttachedDeviceReference(DEVICE_OBJECT device)
    {
        lock (_lock)
        {
            var top = GetAttachedDevice(device);
            ReferenceDevice(top);
            return top;
        }
    }

    /// <summary>An object reference on the device (ObReferenceObject).</summary>
    internal void ReferenceDevice(DEVICE_OBJECT device) => _machine.Ob.ReferenceObject(Canonical(device));

    /// <summary>Drops an object reference; a deleted device goes with its last one.</summary>
    internal void DereferenceDevice(DEVICE_OBJECT device) => _machine.Ob.DereferenceObject(Canonical(device));

    internal object? ManagedExtensionOf(DEVICE_OBJECT device) => RecordOf(device)?.ManagedExtension;

    private void CheckPassive()
    {
        var prcb = _machine.Ke.CurrentPrcb;
        if (prcb.Irql != Irql.PASSIVE_LEVEL)
        {
            var thread = _machine.Ke.CurrentThread;
            _machine.BugCheck.Raise(BugCheckCode.IRQL_NOT_LESS_OR_EQUAL, 0, prcb.Irql, 0, thread.InnermostFrame()?.Address ?? 0);
        }
    }
}
