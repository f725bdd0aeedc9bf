using SharpNT.Kernel.Io.Layout;
using SharpNT.Kernel.Ke;

namespace SharpNT.Kernel.Io;

internal sealed partial class IoManager
{
    /// <summary>
    /// IopSynchronousCall: an IRP_MJ_PNP request the PnP manager builds and sends to the top of a device stack,
    /// waiting for it. Its status starts as STATUS_NOT_SUPPORTED, as the PnP manager initializes every PnP IRP,
    /// so a stack in which no driver handles the minor function answers that. <paramref name="setUp"/> fills
    /// in the parameters of the first stack location.
    /// </summary>
    internal NTSTATUS SendPnpIrp<TState>(DEVICE_OBJECT top, byte minorFunction, TState state, Action<IO_STACK_LOCATION, TState>? setUp,
        out ulong information)
    {
        information = 0;
        var irp = AllocateIrp(top.StackSize, false);
        if (irp.IsNull)
        {
            return NTSTATUS.STATUS_INSUFFICIENT_RESOURCES;
        }

        irp.IoStatus.Status = NTSTATUS.STATUS_NOT_SUPPORTED;
        irp.IoStatus.Information = 0;
        var sl = GetNextIrpStackLocation(irp);
        sl.MajorFunction = IRP_MJ.IRP_MJ_PNP;
        sl.MinorFunction = minorFunction;
        setUp?.Invoke(sl, state);
        irp.RequestorMode = KPROCESSOR_MODE.KernelMode;
        irp.Flags = IRP_FLAGS.IRP_SYNCHRONOUS_API;
        return SendSynchronous(top, irp, out information);
    }

    /// <summary>Calls a driver's AddDevice (PnpCallAddDevice) as code of the driver, at PASSIVE_LEVEL.</summary>
    internal NTSTATUS CallAddDevice(DRIVER_OBJECT driverObject, DEVICE_OBJECT physicalDeviceObject)
    {
        var address = Mm.Read<ulong>(driverObject.DriverExtension.Address + DriverExtensionLayout.AddDevice);
        var addDevice = Thunks.Resolve<DRIVER_ADD_DEVICE>(address);
        if (addDevice is null)
        {
            return NTSTATUS.STATUS_NOT_SUPPORTED;
        }

        var thread = _machine.Ke.CurrentThread;
        thread.PushFrame(new CallFrame(ModuleOf(driverObject), address, Thunks.Describe(address)?.Name ?? "AddDevice"));
        NTSTATUS status;
        try
        {
            status = addDevice(driverObject, physicalDeviceObject);
        }
        finally
        {
            thread.PopFrame();
        }

        if (thread.Processor!.Irql != Irql.PASSIVE_LEVEL)
        {
            _machine.BugCheck.Raise(BugCheckCode.IRQL_UNEXPECTED_VALUE, ((ulong)thread.Processor.Irql << 16) | 0xFE, address, 0, 0);
        }

        return status;
    }

    /// <summary>The loaded, not unloaded, driver whose object is \Driver\<paramref name="serviceName"/>, or null.</summary>
    internal LoadedDriver? FindDriver(string serviceName)
    {
        var name = @"\Driver\" + serviceName;
        lock (_lock)
        {
            return _drivers.Find(d => !d.Unloaded && string.Equals(d.Name, name, StringComparison.OrdinalIgnoreCase));
        }
    }

    /// <summary>The device at the bottom of the stack <paramref name="device"/> is in (for a PnP stack, the PDO).</summary>
    internal DEVICE_OBJECT GetLowestDevice(DEVICE_OBJECT device)
    {
        var bottom = device;
        for (var below = AttachedTo(bottom); !below.IsNull; below = AttachedTo(bottom))
        {
            bottom = below;
        }

        return bottom;
    }
}
