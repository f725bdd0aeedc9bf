using static SharpNT.Kernel.NTSTATUS;

namespace SharpNT.Kernel.Io;

/// <summary>
/// The IRP round-trip measurement shared by the benchmark project and `sharpnt bench irp`: a stack of
/// pass-through drivers, and one IRP sent through it.
/// </summary>
internal static class IrpRoundTrip
{
    private sealed class PassThroughDriver(int index, DEVICE_OBJECT lower, string? name) : DriverImage
    {
        public override string ImageName => $"layer{index}.sys";

        public DEVICE_OBJECT Device { get; private set; }

        public override NTSTATUS DriverEntry(DRIVER_OBJECT DriverObject, UNICODE_STRING RegistryPath)
        {
            var io = ViewMemory.Io;
            var status = io.CreateDevice(DriverObject, 0, name, 0x22, 0, false, null, out var device);
            if (!status.IsSuccess())
            {
                return status;
            }

            DriverObject.MajorFunction[IRP_MJ.IRP_MJ_CREATE] = CreateClose;
            DriverObject.MajorFunction[IRP_MJ.IRP_MJ_CLEANUP] = CreateClose;
            DriverObject.MajorFunction[IRP_MJ.IRP_MJ_CLOSE] = CreateClose;

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

        private NTSTATUS CreateClose(DEVICE_OBJECT DeviceObject, IRP Irp)
        {
            if (lower.IsNull)
            {
                return Complete(DeviceObject, Irp);
            }

            IoManager.SkipCurrentIrpStackLocation(Irp);
            return ViewMemory.Io.CallDriver(lower, Irp);
        }

        /// <summary>The bottom answers in place: a METHOD_BUFFERED request's output is its system buffer, as is.</summary>
        private static NTSTATUS Complete(DEVICE_OBJECT DeviceObject, IRP Irp)
        {
            Irp.IoStatus.Status = STATUS_SUCCESS;
            Irp.IoStatus.Information = IoManager.GetCurrentIrpStackLocation(Irp).Parameters.DeviceIoControl.OutputBufferLength;
            ViewMemory.Io.CompleteRequest(Irp, 0);
            return STATUS_SUCCESS;
        }

        private static NTSTATUS Completion(DEVICE_OBJECT DeviceObject, IRP Irp, object? Context) => STATUS_SUCCESS;
    }

    /// <summary>Loads <paramref name="depth"/> drivers, each attached over the last; returns the top device.</summary>
    internal static DEVICE_OBJECT BuildStack(Machine machine, int depth, string? topName = null)
    {
        var lower = DEVICE_OBJECT.NULL;
        for (var i = depth; i >= 1; i--)
        {
            var driver = new PassThroughDriver(i, lower, i == 1 ? topName : null);
            var status = machine.Io.LoadDriver(driver, out _);
            if (!status.IsSuccess())
            {
                throw new InvalidOperationException($"layer {i} failed to load: {status.Describe()}");
            }

            lower = driver.Device;
        }

        return lower;
    }

    /// <summary>The device the user-mode IOCTL measurement opens (\\.\IoctlBench).</summary>
    internal const string UserBenchDevice = @"\Device\IoctlBench";

    /// <summary>
    /// For the DeviceIoControl measurement (`sharpnt bench ioctl` and the benchmark project): a stack of
    /// <paramref name="depth"/> pass-through drivers named \Device\IoctlBench (\??\IoctlBench), a user process
    /// for Administrator, and the calling host thread attached to it as a user thread in user mode.
    /// </summary>
    internal static IDisposable AttachUserRequester(Machine machine, int depth) =>
        machine.AttachHostThreadAsUser("ioctlbench.exe", () =>
        {
            BuildStack(machine, depth, UserBenchDevice);
            var link = Ddi.Wdm.IoCreateSymbolicLink(new UNICODE_STRING(@"\??\IoctlBench"), new UNICODE_STRING(UserBenchDevice));
            if (!link.IsSuccess())
            {
                throw new InvalidOperationException($"the IOCTL benchmark's device link could not be created: {link.Describe()}");
            }
        });

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
