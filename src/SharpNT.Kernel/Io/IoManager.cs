using System.Diagnostics;
using SharpNT.Kernel.Io.Layout;
using SharpNT.Kernel.Ke;
using SharpNT.Kernel.Mm;

namespace SharpNT.Kernel.Io;

/// <summary>
/// The I/O manager: loads drivers, creates and stacks device objects, allocates IRPs and carries them
/// down a device stack (IoCallDriver) and back up (IoCompleteRequest). The shared objects live in
/// nonpaged pool in their x64 layouts; this class keeps only what has no place in those bytes.
/// </summary>
internal sealed partial class IoManager
{
    /// <summary>Pool tags the I/O manager uses, as !poolused shows them.</summary>
    internal const uint TagIrp = 0x20707249;    // 'Irp '
    internal const uint TagDevice = 0x69766544; // 'Devi'
    internal const uint TagDriver = 0x76697244; // 'Driv'
    internal const uint TagSystemBuffer = 0x20667542; // 'Buf '

    private readonly Machine _machine;

    /// <summary>Whether Driver Verifier is on at all (a machine's options are fixed for its life).</summary>
    private readonly bool _verifying;
    private readonly List<LoadedDriver> _drivers = [];
    private readonly Dictionary<ulong, LoadedDriver> _driversByObject = [];
    private readonly object _lock = new();

    internal IoManager(Machine machine)
    {
        _machine = machine;
        _verifying = machine.Options.Verifier.Flags != 0;
        Thunks = new ThunkTable();
        Pointers = new ManagedPointerTable();
        CancelSpinLock = new KSPIN_LOCK();
        KernelCore.InitializeSpinLock(CancelSpinLock);
        _invalidRequest = Thunks.Register(machine.Modules.Kernel, (DRIVER_DISPATCH)InvalidDeviceRequest, "IopInvalidDeviceRequest");
        HookObjectTypes();
    }

    internal ThunkTable Thunks { get; }

    internal ManagedPointerTable Pointers { get; }

    /// <summary>The system-wide cancel spin lock (IoAcquireCancelSpinLock).</summary>
    internal KSPIN_LOCK CancelSpinLock { get; }

    private readonly ulong _invalidRequest;

    internal Machine Machine => _machine;

    private MemoryManager Mm => _machine.Mm;

    internal IReadOnlyList<LoadedDriver> Drivers
    {
        get
        {
            lock (_lock)
            {
                return [.. _drivers];
            }
        }
    }

    internal LoadedDriver? DriverOf(DRIVER_OBJECT driverObject)
    {
        lock (_lock)
        {
            return _driversByObject.GetValueOrDefault(driverObject.Address);
        }
    }

    /// <summary>The code address for a routine of the driver that owns <paramref name="driverObject"/>.</summary>
    internal ulong RegisterRoutine(DRIVER_OBJECT driverObject, Delegate? routine) => Thunks.Register(ModuleOf(driverObject), routine);

    internal string DriverNameOf(DRIVER_OBJECT driverObject) => DriverOf(driverObject)?.Name ?? "";

    internal LoadedModule ModuleOf(DRIVER_OBJECT driverObject) =>
        DriverOf(driverObject)?.Module ?? _machine.Modules.Find(driverObject.DriverStart) ?? _machine.Modules.Kernel;

    /// <summary>
    /// Loads a managed driver (IopLoadDriver): an image in the module list, a DRIVER_OBJECT named
    /// \Driver\service whose MajorFunction entries all start as IopInvalidDeviceRequest, then DriverEntry
    /// at PASSIVE_LEVEL. A driver whose DriverEntry fails is unloaded again.
    /// </summary>
    internal NTSTATUS LoadDriver(DriverImage image, out DRIVER_OBJECT driverObject)
    {
        CheckPassive();
        var thread = _machine.Ke.CurrentThread;

        var module = _machine.Modules.Load(image.ImageName);
        var address = AllocateNonPaged((ulong)(DriverObjectLayout.Size + DriverExtensionLayout.Size), TagDriver);
        if (address == 0)
        {
            driverObject = DRIVER_OBJECT.NULL;
            return NTSTATUS.STATUS_INSUFFICIENT_RESOURCES;
        }

        driverObject = new DRIVER_OBJECT(address);
        var extension = address + DriverObjectLayout.Size;
        Mm.Write(address + DriverObjectLayout.Type, (short)IO_TYPE.IO_TYPE_DRIVER);
        Mm.Write(address + DriverObjectLayout.SizeField, (short)DriverObjectLayout.Size);
        Mm.Write(address + DriverObjectLayout.DriverStart, module.Base);
        Mm.Write(address + DriverObjectLayout.DriverSize, module.Size);
        Mm.Write(address + DriverObjectLayout.DriverExtension, extension);
        Mm.Write(extension + DriverExtensionLayout.DriverObject, address);
        for (var i = 0; i < DRIVER_OBJECT.MajorFunctionTable.Count; i++)
        {
            Mm.Write(address + DriverObjectLayout.MajorFunction + ((ulong)i * 8), _invalidRequest);
        }

        var name = @"\Driver\" + image.ServiceName;
        WriteDriverName(address, name);
        var driver = new LoadedDriver(image, module, driverObject, name);
        lock (_lock)
        {
            _drivers.Add(driver);
            _driversByObject[address] = driver;
        }

        OnDriverObjectCreated(driver);
        var registryPath = new UNICODE_STRING(@"\Registry\Machine\System\CurrentControlSet\Services\" + image.ServiceName);
        var entry = module.RoutineAddress("DriverEntry");
        Mm.Write(address + DriverObjectLayout.DriverInit, entry);
        thread.PushFrame(new CallFrame(module, entry, "DriverEntry"));
        NTSTATUS status;
        try
        {
            status = image.DriverEntry(driverObject, registryPath);
        }
        finally
        {
            thread.PopFrame();
        }

        if (thread.Processor!.Irql != Irql.PASSIVE_LEVEL)
        {
            _machine.BugCheck.Raise(BugCheckCode.IRQL_UNEXPECTED_VALUE,
                ((ulong)thread.Processor.Irql << 16) | 0xFE, entry, 0, 0);
        }

        if (!status.IsSuccess())
        {
            _machine.DebugPrint($"{image.ImageName}: DriverEntry failed with {status.Describe()}; unloading.");
            ForgetDriver(driver);
            driverObject = DRIVER_OBJECT.NULL;
        }

        return status;
    }

    /// <summary>
    /// Unloads a driver: calls its DriverUnload, then records the devices it left behind (and, with
    /// pool tracking, its pool), as the I/O manager's unload path reports them.
    /// </summary>
    internal DriverUnloadReport UnloadDriver(DRIVER_OBJECT driverObject)
    {
        var driver = DriverOf(driverObject) ?? throw new NtException(NTSTATUS.STATUS_INVALID_PARAMETER);
        var thread = _machine.Ke.CurrentThread;
        var unloadAddress = Mm.Read<ulong>(driverObject.Address + DriverObjectLayout.DriverUnload);
        var unload = Thunks.Resolve<DRIVER_UNLOAD>(unloadAddress);
        if (unload is not null)
        {
            thread.PushFrame(new CallFrame(driver.Module, unloadAddress, Thunks.Describe(unloadAddress)?.Name ?? "DriverUnload"));
            try
            {
                unload(driverObject);
            }
            finally
            {
                thread.PopFrame();
            }
        }

        var devices = new List<string>();
        for (var d = driverObject.DeviceObject; !d.IsNull; d = d.NextDevice)
        {
            devices.Add(DeviceNameOf(d) ?? $"0x{d.Address:x16}");
        }

        var pool = PoolLeftBy(driver.Module);
        var report = new DriverUnloadReport(driver.Name, devices, pool);
        if (pool.Count > 0 && _machine.Options.Verifier.Applies(driver.Module.Name, Vf.VerifierSettings.PoolTracking))
        {
            // Pool tracking: a driver unloading with allocations outstanding is 0xC4 / 0x62 (name of the
            // driver, verifier data, number of allocations not freed), raised as the unload's own code.
            thread.PushFrame(new CallFrame(driver.Module, unloadAddress != 0 ? unloadAddress : driver.Module.Base, "DriverUnload"));
            _machine.BugCheck.Raise(BugCheckCode.DRIVER_VERIFIER_DETECTED_VIOLATION, 0x62,
                driverObject.Address + DriverObjectLayout.DriverName, driverObject.Address, (ulong)pool.Count);
        }

        if (!report.Clean)
        {
            _machine.DebugPrint($"{driver.Module.Name} unloaded leaving {devices.Count} device(s) and {pool.Count} pool allocation(s) behind.");
        }

        driver.Module.Unloaded = true;
        if (devices.Count == 0)
        {
            ForgetDriver(driver);
        }

        driver.Unloaded = true;
        return report;
    }

    private void ForgetDriver(LoadedDriver driver)
    {
        OnDriverObjectDeleted(driver);
        lock (_lock)
        {
            _drivers.Remove(driver);
            _driversByObject.Remove(driver.DriverObject.Address);
        }

        driver.Module.Unloaded = true;
    }

    /// <summary>DRIVER_OBJECT.DriverName: a UNICODE_STRING whose buffer is in nonpaged pool.</summary>
    private void WriteDriverName(ulong driverObject, string name)
    {
        var bytes = System.Text.Encoding.Unicode.GetBytes(name);
        var buffer = AllocateNonPaged((ulong)bytes.Length, TagDriver);
        if (buffer == 0)
        {
            return;
        }

        Mm.Write(buffer, (ReadOnlySpan<byte>)bytes);
        var field = driverObject + DriverObjectLayout.DriverName;
        Mm.Write(field + UnicodeStringLayout.Length, (ushort)bytes.Length);
        Mm.Write(field + UnicodeStringLayout.MaximumLength, (ushort)bytes.Length);
        Mm.Write(field + UnicodeStringLayout.Buffer, buffer);
    }

    /// <summary>IopInvalidDeviceRequest: what a major function no driver routine handles gets.</summary>
    private static NTSTATUS InvalidDeviceRequest(DEVICE_OBJECT deviceObject, IRP irp)
    {
        var io = ViewMemory.Io;
        irp.IoStatus.Status = NTSTATUS.STATUS_INVALID_DEVICE_REQUEST;
        irp.IoStatus.Information = 0;
        io.CompleteRequest(irp, 0);
        return NTSTATUS.STATUS_INVALID_DEVICE_REQUEST;
    }
}
