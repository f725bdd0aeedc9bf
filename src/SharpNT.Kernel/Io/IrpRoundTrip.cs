using static SharpNT.Kernel.NTSTATUS;

namespace SharpNT.Kernel.Io;

/// <summary>
/// The IRP round-trip measurement shared by the benchmark project and `sharpnt bench irp`: a stack of
/// pass-through drivers, and one IRP sent through it.
/// </summary>
internal static class IrpRoundTrip
{
    private sealed class PassThroughDriver(int index, DEVICE_OBJECT lower) : DriverImage
    {
        public override string ImageName => $"layer{index}.sys";

        public DEVICE_OBJECT Device { get; private set; }

        public override NTSTATUS DriverEntry(DRIVER_OBJECT DriverObject, UNICODE_STRING RegistryPath)
        {
            var io = ViewMemory.Io;
            var status = io.CreateDevice(DriverObject, 0, null, 0x22, 0, false, null, out var device);
            if (!status.IsSuccess())
            {
                return status;
            }

            Device = device;
            if (!lower.IsNull)
            {
                io.AttachDeviceToDeviceStack(device, lower);
            }

            DriverObject.MajorFunction[IRP_MJ.IRP_MJ_DEVICE_CONTROL] = lower.IsNull ? Complete : PassDown;
            device.Flags &= ~DO_FLAGS.DO_DEVICE_INITIALIZING;
            return STATUS_SUCCESS;
        }

        private NTSTATUS PassDown(DEVICE_OBJECT DeviceObject, IRP Irp)
        {
            var io = ViewMemory.Io;
            io.CopyCurrentIrpStackLocationToNext(Irp);
            io.SetCompletionRoutine(Irp, Completion, null, true, true, true);
            return io.CallDriver(lower, Irp);
        }

        private static NTSTATUS Complete(DEVICE_OBJECT DeviceObject, IRP Irp)
        {
            Irp.IoStatus.Status = STATUS_SUCCESS;
            ViewMemory.Io.CompleteRequest(Irp, 0);
            return STATUS_SUCCESS;
        }

        private static NTSTATUS Completion(DEVICE_OBJECT DeviceObject, IRP Irp, object? Context) => STATUS_SUCCESS;
    }

    /// <summary>Loads <paramref name="depth"/> drivers, each attached over the last; returns the top device.</summary>
    internal static DEVICE_OBJECT BuildStack(Machine machine, int depth)
    {
        var lower = DEVICE_OBJECT.NULL;
        for (var i = depth; i >= 1; i--)
        {
            var driver = new PassThroughDriver(i, lower);
            var status = machine.Io.LoadDriver(driver, out _);
            if (!status.IsSuccess())
            {
                throw new InvalidOperationException($"layer {i} failed to load: {status.Describe()}");
            }

            lower = driver.Device;
        }

        return lower;
    }

    /// <summary>One round trip: the requester's own routine keeps the IRP and frees it.</summary>
    internal static NTSTATUS Send(DEVICE_OBJECT top)
    {
        var io = ViewMemory.Io;
        var irp = io.AllocateIrp((sbyte)(top.StackSize + 1), false);
        var sl = IoManager.GetNextIrpStackLocation(irp);
        sl.MajorFunction = IRP_MJ.IRP_MJ_DEVICE_CONTROL;
        io.SetCompletionRoutine(irp, s_keep, null, true, true, true);
        IoManager.SetNextIrpStackLocation(irp);
        var next = IoManager.GetNextIrpStackLocation(irp);
        next.MajorFunction = IRP_MJ.IRP_MJ_DEVICE_CONTROL;
        var status = io.CallDriver(top, irp);
        io.FreeIrp(irp);
        return status;
    }

    private static readonly IO_COMPLETION_ROUTINE s_keep = (d, i, c) => STATUS_MORE_PROCESSING_REQUIRED;
}
