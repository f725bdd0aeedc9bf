using SharpNT.Kernel.Io;
using SharpNT.Kernel.Ke;
using SharpNT.Kernel.Tests.Io;
using SharpNT.Kernel.Vf;
using static SharpNT.Kernel.Ddi.Wdm;
using static SharpNT.Kernel.Io.DO_FLAGS;
using static SharpNT.Kernel.Io.IRP_MJ;
using static SharpNT.Kernel.NTSTATUS;

namespace SharpNT.Kernel.Tests.Vf;

/// <summary>Driver Verifier's I/O verification (flag 0x10): the 0xC9 subcodes for classic dispatch mistakes.</summary>
public sealed class IoVerificationTests
{
    private sealed class SloppyDriver(string image, Func<DEVICE_OBJECT, IRP, NTSTATUS> dispatch) : DriverImage
    {
        public override string ImageName => image;

        public override NTSTATUS DriverEntry(DRIVER_OBJECT DriverObject, UNICODE_STRING RegistryPath)
        {
            var status = IoCreateDevice(DriverObject, 0, new UNICODE_STRING(@"\Device\" + Path.GetFileNameWithoutExtension(image)), 0x22, 0, false, out var device);
            DriverObject.MajorFunction[IRP_MJ_DEVICE_CONTROL] = (d, i) => dispatch(d, i);
            device.Flags &= ~DO_DEVICE_INITIALIZING;
            return status;
        }
    }

    private static Machine Boot(string verifier) =>
        Machine.Boot(MachineDescription.Default with { Processors = 1 }, new MachineOptions { Verifier = VerifierSettings.Parse(verifier) });

    private static NTSTATUS ReturnsAtDispatch(DEVICE_OBJECT d, IRP irp)
    {
        KeRaiseIrql(DISPATCH_LEVEL, out _);
        irp.IoStatus.Status = STATUS_SUCCESS;
        IoCompleteRequest(irp, IO_NO_INCREMENT);
        return STATUS_SUCCESS;
    }

    [Fact]
    public void A_dispatch_routine_that_returns_at_another_IRQL_is_0xC9_subcode_5()
    {
        using var machine = Boot("/flags 0x10 /driver irqlbug.sys");
        ulong device = 0;
        var e = Assert.Throws<BugCheckException>(() => machine.Run(() =>
        {
            var d = Requester.Load(machine, new SloppyDriver("irqlbug.sys", ReturnsAtDispatch));
            device = d.Address;
            Requester.Ioctl(d, CTL_CODE(0x22, 1, 0, 0));
        }));

        Assert.Equal(BugCheckCode.DRIVER_VERIFIER_IOMANAGER_VIOLATION, e.Code);
        Assert.Equal(new ulong[] { 0x05, device, 0, 2 }, e.Info.Parameters);
    }

    [Fact]
    public void Completing_with_STATUS_PENDING_is_0xC9_subcode_6()
    {
        using var machine = Boot("/standard /driver pendbug.sys");
        ulong irpAddress = 0;
        var e = Assert.Throws<BugCheckException>(() => machine.Run(() =>
        {
            var d = Requester.Load(machine, new SloppyDriver("pendbug.sys", (dev, irp) =>
            {
                irpAddress = irp.Address;
                irp.IoStatus.Status = STATUS_PENDING;
                IoCompleteRequest(irp, IO_NO_INCREMENT);
                return STATUS_PENDING;
            }));
            Requester.Ioctl(d, CTL_CODE(0x22, 1, 0, 0));
        }));

        Assert.Equal(BugCheckCode.DRIVER_VERIFIER_IOMANAGER_VIOLATION, e.Code);
        Assert.Equal(new ulong[] { 0x06, (ulong)STATUS_PENDING, irpAddress, 0 }, e.Info.Parameters);
        Assert.Equal("pendbug.sys", e.Info.FaultingModule);
    }

    [Fact]
    public void Without_the_verifier_on_that_driver_the_same_mistake_goes_unnoticed()
    {
        using var machine = Boot("/flags 0x10 /driver someoneelse.sys");
        var status = machine.Run(() =>
        {
            var d = Requester.Load(machine, new SloppyDriver("irqlbug.sys", ReturnsAtDispatch));
            var r = Requester.Ioctl(d, CTL_CODE(0x22, 1, 0, 0));
            KeLowerIrql(PASSIVE_LEVEL);
            return r.Final;
        });

        Assert.Equal(STATUS_SUCCESS, status);
    }

    [Fact]
    public void Marking_an_IRP_pending_and_returning_another_status_is_0xC9_IO_error_0x23E()
    {
        using var machine = Boot("/flags 0x10 /driver markbug.sys");
        ulong device = 0, irpAddress = 0;
        var e = Assert.Throws<BugCheckException>(() => machine.Run(() =>
        {
            var d = Requester.Load(machine, new SloppyDriver("markbug.sys", (dev, irp) =>
            {
                irpAddress = irp.Address;
                IoMarkIrpPending(irp);
                irp.IoStatus.Status = STATUS_SUCCESS;
                IoCompleteRequest(irp, IO_NO_INCREMENT);
                return STATUS_SUCCESS;
            }));
            device = d.Address;
            Requester.Ioctl(d, CTL_CODE(0x22, 1, 0, 0));
        }));

        Assert.Equal(BugCheckCode.DRIVER_VERIFIER_IOMANAGER_VIOLATION, e.Code);
        Assert.Equal(0x23EUL, e.Info.Parameters[0]);
        Assert.True(machine.Modules.Find("markbug.sys")!.Contains(e.Info.Parameters[1]));
        Assert.Equal(new[] { irpAddress, device }, e.Info.Parameters[2..]);
        Assert.Equal("markbug.sys", e.Info.FaultingModule);
    }

    [Fact]
    public void Marking_pending_and_returning_STATUS_PENDING_passes_I_O_verification()
    {
        using var machine = Boot("/flags 0x10 /driver goodpend.sys");
        var result = machine.Run(() =>
        {
            var d = Requester.Load(machine, new SloppyDriver("goodpend.sys", (dev, irp) =>
            {
                IoMarkIrpPending(irp);
                irp.IoStatus.Status = STATUS_SUCCESS;
                IoCompleteRequest(irp, IO_NO_INCREMENT);
                return STATUS_PENDING;
            }));
            return Requester.Ioctl(d, CTL_CODE(0x22, 1, 0, 0));
        });

        Assert.Equal(STATUS_PENDING, result.Returned);
        Assert.Equal(STATUS_SUCCESS, result.Final);
    }

    [Theory]
    [InlineData("/flags", "/flags needs a number")]
    [InlineData("/driver", "/driver needs at least one image name")]
    [InlineData("/bogus", "unknown option '/bogus'")]
    public void Malformed_verifier_settings_are_refused(string text, string message)
    {
        var e = Assert.Throws<FormatException>(() => VerifierSettings.Parse(text));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Standard_is_the_documented_flag_set()
    {
        var s = VerifierSettings.Parse("/standard /driver a.sys B.SYS");
        Assert.Equal(0x209BBu, s.Flags);
        Assert.True(s.Applies("b.sys", VerifierSettings.IoVerification));
        Assert.False(s.Applies("c.sys", VerifierSettings.IoVerification));
        Assert.False(s.Applies("a.sys", VerifierSettings.ForcePendingIo));
    }

    [Fact]
    public void With_pool_tracking_a_driver_unloading_with_pool_left_is_0xC4_subcode_0x62()
    {
        using var machine = Boot("/flags 0x8 /driver pagedpool.sys");
        ulong driverObject = 0;
        var e = Assert.Throws<BugCheckException>(() => machine.Run(() =>
        {
            Assert.Equal(STATUS_SUCCESS, machine.Io.LoadDriver(new SharpNT.Drivers.Buggy.PagedPoolAtDispatchDriver(), out var driver));
            driverObject = driver.Address;
            driver.DriverUnload = d => IoDeleteDevice(d.DeviceObject);
            machine.Io.UnloadDriver(driver);
        }));

        Assert.Equal(BugCheckCode.DRIVER_VERIFIER_DETECTED_VIOLATION, e.Code);
        Assert.Equal(new ulong[] { 0x62, driverObject + 0x38, driverObject, 1 }, e.Info.Parameters);
        Assert.Equal("pagedpool.sys", e.Info.FaultingModule);
    }

    [Theory]
    [InlineData("/flags 0x10 /driver pagedpool.sys", false)]
    [InlineData("/flags 0x2 /driver pagedpool.sys", true)]
    public void Force_IRQL_checking_turns_a_latent_paged_pool_bug_into_a_bug_check_on_the_first_request(string verifier, bool caught)
    {
        using var machine = Boot(verifier);
        void Run() => machine.Run(() =>
        {
            machine.Io.LoadDriver(new SharpNT.Drivers.Buggy.PagedPoolAtDispatchDriver(), out _);
            Assert.Equal(STATUS_SUCCESS, IoGetDeviceObjectPointer(new UNICODE_STRING(SharpNT.Drivers.Buggy.PagedPoolAtDispatchDriver.DeviceName), FILE_ALL_ACCESS, out var file, out var device));
            ObDereferenceObject(file);

            // The page is resident (just written at PASSIVE_LEVEL): without force IRQL checking the bug hides.
            Assert.Equal(STATUS_SUCCESS, Requester.Ioctl(device, SharpNT.Drivers.Buggy.PagedPoolAtDispatchDriver.IOCTL_BUMP_COUNTER).Final);
        });

        if (caught)
        {
            var e = Assert.Throws<BugCheckException>(Run);
            Assert.Equal(BugCheckCode.DRIVER_IRQL_NOT_LESS_OR_EQUAL, e.Code);
            Assert.Equal("pagedpool.sys", e.Info.FaultingModule);
        }
        else
        {
            Run();
            Assert.False(machine.IsHalted);
        }
    }
}
