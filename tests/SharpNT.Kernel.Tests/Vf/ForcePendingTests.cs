using SharpNT.Kernel.Io;
using SharpNT.Kernel.Ke;
using SharpNT.Kernel.Tests.Io;
using SharpNT.Kernel.Vf;
using static SharpNT.Kernel.Ddi.Wdm;
using static SharpNT.Kernel.Io.DO_FLAGS;
using static SharpNT.Kernel.Io.IRP_MJ;
using static SharpNT.Kernel.NTSTATUS;

namespace SharpNT.Kernel.Tests.Vf;

/// <summary>
/// Force pending I/O (0x200) and IRP logging (0x400): a filter over a driver that completes at once, and
/// the completion-routine rule (IoMarkIrpPending when PendingReturned) that force pending exposes.
/// </summary>
public sealed class ForcePendingTests
{
    private static readonly uint Ioctl = CTL_CODE(0x22, 0x801, 0, 0);

    /// <summary>Completes every request in its dispatch routine.</summary>
    private sealed class ImmediateDriver : DriverImage
    {
        public override string ImageName => "immediate.sys";

        public override NTSTATUS DriverEntry(DRIVER_OBJECT DriverObject, UNICODE_STRING RegistryPath)
        {
            var status = IoCreateDevice(DriverObject, 0, new UNICODE_STRING(@"\Device\Immediate"), 0x22, 0, false, out var device);
            DriverObject.MajorFunction[IRP_MJ_CREATE] = CreateClose;
            DriverObject.MajorFunction[IRP_MJ_CLOSE] = CreateClose;
            DriverObject.MajorFunction[IRP_MJ_DEVICE_CONTROL] = ImmediateDeviceControl;
            device.Flags &= ~DO_DEVICE_INITIALIZING;
            return status;
        }

        private static NTSTATUS CreateClose(DEVICE_OBJECT DeviceObject, IRP Irp)
        {
            Irp.IoStatus.Status = STATUS_SUCCESS;
            IoCompleteRequest(Irp, IO_NO_INCREMENT);
            return STATUS_SUCCESS;
        }

        private static NTSTATUS ImmediateDeviceControl(DEVICE_OBJECT DeviceObject, IRP Irp)
        {
            Irp.IoStatus.Status = STATUS_SUCCESS;
            Irp.IoStatus.Information = 7;
            IoCompleteRequest(Irp, IO_NO_INCREMENT);
            return STATUS_SUCCESS;
        }
    }

    /// <summary>A filter that passes requests down with a completion routine; <c>careful</c> decides whether the routine propagates the pending mark.</summary>
    private sealed class FilterDriver(bool careful) : DriverImage
    {
        public override string ImageName => "fwd.sys";

        public DEVICE_OBJECT Device { get; private set; }

        public override NTSTATUS DriverEntry(DRIVER_OBJECT DriverObject, UNICODE_STRING RegistryPath)
        {
            var status = IoCreateDevice(DriverObject, 0, new UNICODE_STRING(@"\Device\Fwd"), 0x22, 0, false, out var device);
            Assert.Equal(STATUS_SUCCESS, IoGetDeviceObjectPointer(new UNICODE_STRING(@"\Device\Immediate"), FILE_ALL_ACCESS, out var file, out var target));
            var lower = IoAttachDeviceToDeviceStack(device, target);
            ObDereferenceObject(file);
            Device = device;
            DriverObject.MajorFunction[IRP_MJ_DEVICE_CONTROL] = (d, irp) =>
            {
                IoCopyCurrentIrpStackLocationToNext(irp);
                IoSetCompletionRoutine(irp, careful ? CarefulCompletion : ForgetfulCompletion, null, true, true, true);
                return IoCallDriver(lower, irp);
            };
            device.Flags &= ~DO_DEVICE_INITIALIZING;
            return status;
        }

        private static NTSTATUS CarefulCompletion(DEVICE_OBJECT DeviceObject, IRP Irp, object? Context)
        {
            if (Irp.PendingReturned)
            {
                IoMarkIrpPending(Irp);
            }

            return STATUS_SUCCESS;
        }

        // BUG: returns STATUS_SUCCESS without propagating the pending mark.
        private static NTSTATUS ForgetfulCompletion(DEVICE_OBJECT DeviceObject, IRP Irp, object? Context) => STATUS_SUCCESS;
    }

    private static Machine Boot(string verifier) =>
        Machine.Boot(MachineDescription.Default with { Processors = 1 }, new MachineOptions { Verifier = VerifierSettings.Parse(verifier) });

    private static Requester.Result Send(Machine machine, FilterDriver filter, Action<IRP>? beforeCall = null) =>
        machine.Run(() =>
        {
            Requester.Load(machine, new ImmediateDriver());
            Requester.Load(machine, filter);
            return Requester.Ioctl(filter.Device, Ioctl, beforeCall: beforeCall);
        });

    [Theory]
    [InlineData("/flags 0x10 /driver fwd.sys", STATUS_SUCCESS)]
    [InlineData("/flags 0x210 /driver fwd.sys", STATUS_PENDING)]
    public void Force_pending_makes_a_synchronously_completed_IRP_look_pended_to_the_caller(string verifier, NTSTATUS returned)
    {
        using var machine = Boot(verifier);
        var result = Send(machine, new FilterDriver(careful: true));

        Assert.Equal(returned, result.Returned);
        Assert.Equal(STATUS_SUCCESS, result.Final);
        Assert.Equal(7UL, result.Information);
    }

    [Fact]
    public void Without_force_pending_a_completion_routine_that_forgets_IoMarkIrpPending_goes_unnoticed()
    {
        using var machine = Boot("/flags 0x10 /driver fwd.sys");
        Assert.Equal(STATUS_SUCCESS, Send(machine, new FilterDriver(careful: false)).Final);
    }

    [Fact]
    public void With_force_pending_a_completion_routine_that_forgets_IoMarkIrpPending_is_0xC9_subcode_0x228()
    {
        using var machine = Boot("/flags 0x210 /driver fwd.sys");
        var filter = new FilterDriver(careful: false);
        ulong irp = 0;
        var e = Assert.Throws<BugCheckException>(() => Send(machine, filter, i => irp = i.Address));

        Assert.Equal(BugCheckCode.DRIVER_VERIFIER_IOMANAGER_VIOLATION, e.Code);
        Assert.Equal(0x228UL, e.Info.Parameters[0]);
        Assert.True(machine.Modules.Find("fwd.sys")!.Contains(e.Info.Parameters[1]));
        Assert.Equal(irp, e.Info.Parameters[2]);
        Assert.Equal(filter.Device.Address, e.Info.Parameters[3]);
        Assert.Equal("fwd.sys", e.Info.FaultingModule);
    }

    [Fact]
    public void Irp_logging_records_each_IRP_a_verified_device_was_sent()
    {
        using var machine = Boot("/flags 0x400 /driver immediate.sys");
        var (device, thread) = machine.Run(() =>
        {
            var d = Requester.Load(machine, new ImmediateDriver());
            Requester.Ioctl(d, Ioctl);
            Requester.Ioctl(d, CTL_CODE(0x22, 0x802, 0, 0));
            return (d.Address, KTHREAD.Current!.Address);
        });

        Assert.Equal(new[] { device }, machine.Verifier.IrpLoggedDevices());
        var log = machine.Verifier.IrpLog(device);
        Assert.Equal(2, log.Count);
        Assert.All(log, e =>
        {
            Assert.Equal(IRP_MJ_DEVICE_CONTROL, e.MajorFunction);
            Assert.Equal(STATUS_SUCCESS, e.Status);
            Assert.Equal(thread, e.Thread);
        });
        Assert.Equal(new[] { Ioctl, CTL_CODE(0x22, 0x802, 0, 0) }, log.Select(e => e.IoControlCode));
        Assert.True(log[0].Time <= log[1].Time);
    }

    [Fact]
    public void Irp_logging_keeps_the_last_entries_of_each_device_only()
    {
        using var machine = Boot("/flags 0x400 /all");
        var device = machine.Run(() =>
        {
            var d = Requester.Load(machine, new ImmediateDriver());
            for (uint i = 0; i < IrpLog.Capacity + 5; i++)
            {
                Requester.Ioctl(d, CTL_CODE(0x22, 0x900 + i, 0, 0));
            }

            return d.Address;
        });

        var log = machine.Verifier.IrpLog(device);
        Assert.Equal(IrpLog.Capacity, log.Count);
        Assert.Equal(CTL_CODE(0x22, 0x905, 0, 0), log[0].IoControlCode);
        Assert.Empty(machine.Verifier.IrpLog(0xFFFFFA80_12345678));
    }
}
