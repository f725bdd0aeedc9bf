using SharpNT.Drivers.Buggy;
using SharpNT.Kernel.Io;
using SharpNT.Kernel.Kd;
using SharpNT.Kernel.Ke;
using SharpNT.Kernel.Tests.Io;
using SharpNT.Kernel.Vf;
using static SharpNT.Kernel.Ddi.Wdm;
using static SharpNT.Kernel.NTSTATUS;

namespace SharpNT.Kernel.Tests.Vf;

/// <summary>
/// The buggy-driver gallery: each driver makes one real mistake; the verifier (or the kernel's own checks)
/// stops the machine with the documented stop code, and !analyze -v names the driver.
/// </summary>
public sealed class BuggyDriverGalleryTests
{
    private static Machine Boot(string verifier) =>
        Machine.Boot(MachineDescription.Default with { Processors = 1 }, new MachineOptions { Verifier = VerifierSettings.Parse(verifier) });

    private static DEVICE_OBJECT Open(string name)
    {
        Assert.Equal(STATUS_SUCCESS, IoGetDeviceObjectPointer(new UNICODE_STRING(name), FILE_ALL_ACCESS, out var file, out var device));
        ObDereferenceObject(file);
        return device;
    }

    private static BugCheckInfo Crash(Machine machine, Action body)
    {
        var e = Assert.Throws<BugCheckException>(() => machine.Run(body));
        return e.Info;
    }

    private static void AssertAnalyzeNames(BugCheckInfo info, string image)
    {
        var text = AnalyzeCommand.Format(info);
        Assert.Contains($"IMAGE_NAME:  {image}", text, StringComparison.Ordinal);
        Assert.Contains($"MODULE_NAME: {Path.GetFileNameWithoutExtension(image)}", text, StringComparison.Ordinal);
        Assert.Contains($"{info.Name} ({info.Code:x})", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_IoMarkIrpPending_is_0xC9_with_IO_error_0x23D()
    {
        using var machine = Boot("/flags 0x10 /driver markpending.sys");
        ulong irp = 0;
        DEVICE_OBJECT device = default;
        var info = Crash(machine, () =>
        {
            machine.Io.LoadDriver(new MissingMarkPendingDriver(), out _);
            device = Open(MissingMarkPendingDriver.DeviceName);
            Requester.Ioctl(device, MissingMarkPendingDriver.IOCTL_START_TRANSFER, beforeCall: i => irp = i.Address);
        });

        Assert.Equal((uint)BugCheckCode.DRIVER_VERIFIER_IOMANAGER_VIOLATION, info.Code);
        Assert.Equal(0x23DUL, info.Parameters[0]);
        Assert.True(machine.Modules.Find("markpending.sys")!.Contains(info.Parameters[1]));
        Assert.Equal(irp, info.Parameters[2]);
        Assert.Equal(device.Address, info.Parameters[3]);
        AssertAnalyzeNames(info, "markpending.sys");
    }

    [Fact]
    public void Missing_IoMarkIrpPending_goes_unnoticed_without_IO_verification()
    {
        using var machine = Boot("/flags 0x8 /driver markpending.sys");
        var result = machine.Run(() =>
        {
            machine.Io.LoadDriver(new MissingMarkPendingDriver(), out _);
            return Requester.Ioctl(Open(MissingMarkPendingDriver.DeviceName), MissingMarkPendingDriver.IOCTL_START_TRANSFER);
        });

        Assert.Equal(STATUS_PENDING, result.Returned);
    }

    [Fact]
    public void A_double_completion_is_0x44()
    {
        using var machine = Boot("/standard /driver doublecomplete.sys");
        ulong irp = 0;
        var info = Crash(machine, () =>
        {
            machine.Io.LoadDriver(new DoubleCompletionDriver(), out _);
            Requester.Ioctl(Open(DoubleCompletionDriver.DeviceName), DoubleCompletionDriver.IOCTL_SET_VALUE, beforeCall: i => irp = i.Address);
        });

        Assert.Equal((uint)BugCheckCode.MULTIPLE_IRP_COMPLETE_REQUESTS, info.Code);
        Assert.Equal(irp, info.Parameters[0]);
        AssertAnalyzeNames(info, "doublecomplete.sys");
    }

    [Fact]
    public void Analyze_of_a_double_completion_names_the_IRP_and_shows_it_live_and_from_the_dump()
    {
        var dump = Path.Combine(Path.GetTempPath(), $"sharpnt-0x44-{Guid.NewGuid():N}.json");
        try
        {
            using var machine = Machine.Boot(MachineDescription.Default with { Processors = 1 },
                new MachineOptions { Verifier = VerifierSettings.Parse("/standard /driver doublecomplete.sys"), DumpPath = dump });
            ulong irp = 0;
            var info = Crash(machine, () =>
            {
                machine.Io.LoadDriver(new DoubleCompletionDriver(), out _);
                Requester.Ioctl(Open(DoubleCompletionDriver.DeviceName), DoubleCompletionDriver.IOCTL_SET_VALUE, beforeCall: i => irp = i.Address);
            });

            var live = new KernelDebugger(new LiveTarget(machine)).Execute("!analyze -v");
            Assert.Contains($"IRP_ADDRESS:  {irp:x16}\n", live, StringComparison.Ordinal);

            // The first completion freed the IRP (its APC ran at once at PASSIVE_LEVEL), so !irp finds no IRP there.
            Assert.Contains($"kd> !irp {irp:x16}\nIRP signature does not match, probably not an IRP\n", live, StringComparison.Ordinal);

            // The dump (with its machine state) answers the same; `sharpnt analyze` prints the same text.
            var fromDump = CrashDump.Read(dump);
            Assert.Equal(live, new KernelDebugger(new DumpTarget(fromDump)).Execute("!analyze -v"));
            Assert.Equal(live, AnalyzeCommand.Format(fromDump));

            // A bug check record without the machine state still names the IRP, without its !irp.
            var bare = AnalyzeCommand.Format(info);
            Assert.Contains($"IRP_ADDRESS:  {irp:x16}\n", bare, StringComparison.Ordinal);
            Assert.DoesNotContain("kd> !irp", bare, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(dump);
        }
    }

    [Fact]
    public void Analyze_of_a_missing_IoMarkIrpPending_names_the_IRP_of_parameter_3()
    {
        using var machine = Boot("/flags 0x10 /driver markpending.sys");
        ulong irp = 0;
        var info = Crash(machine, () =>
        {
            machine.Io.LoadDriver(new MissingMarkPendingDriver(), out _);
            Requester.Ioctl(Open(MissingMarkPendingDriver.DeviceName), MissingMarkPendingDriver.IOCTL_START_TRANSFER, beforeCall: i => irp = i.Address);
        });

        var text = new KernelDebugger(new LiveTarget(machine)).Execute("!analyze -v");
        Assert.Contains($"IRP_ADDRESS:  {irp:x16}\n", text, StringComparison.Ordinal);
        Assert.Contains($"kd> !irp {irp:x16}\nIrp is active with ", text, StringComparison.Ordinal);
        Assert.Contains("IRP_MJ_DEVICE_CONTROL", text, StringComparison.Ordinal);
        Assert.Equal(irp, AnalyzeCommand.IrpParameter(info));
    }

    [Fact]
    public void Analyze_names_no_IRP_for_a_stop_code_whose_parameters_name_none()
    {
        using var machine = Boot("/flags 0x8 /driver poolleak.sys");
        var info = Crash(machine, () =>
        {
            machine.Io.LoadDriver(new PoolLeakDriver(), out var driver);
            Requester.Ioctl(Open(PoolLeakDriver.DeviceName), PoolLeakDriver.IOCTL_RECORD);
            machine.Io.UnloadDriver(driver);
        });

        Assert.Null(AnalyzeCommand.IrpParameter(info));
        Assert.DoesNotContain("IRP_ADDRESS", AnalyzeCommand.Format(info), StringComparison.Ordinal);
    }

    [Fact]
    public void Pool_leaked_at_unload_is_0xC4_subcode_0x62()
    {
        using var machine = Boot("/flags 0x8 /driver poolleak.sys");
        ulong driverObject = 0;
        var info = Crash(machine, () =>
        {
            machine.Io.LoadDriver(new PoolLeakDriver(), out var driver);
            driverObject = driver.Address;
            var device = Open(PoolLeakDriver.DeviceName);
            Requester.Ioctl(device, PoolLeakDriver.IOCTL_RECORD);
            Requester.Ioctl(device, PoolLeakDriver.IOCTL_RECORD);
            machine.Io.UnloadDriver(driver);
        });

        Assert.Equal((uint)BugCheckCode.DRIVER_VERIFIER_DETECTED_VIOLATION, info.Code);
        Assert.Equal(new ulong[] { 0x62, driverObject + 0x38, driverObject, 2 }, info.Parameters);
        AssertAnalyzeNames(info, "poolleak.sys");
    }

    [Fact]
    public void A_lock_order_inversion_is_0xC4_subcode_0x1001()
    {
        using var machine = Boot("/flags 0x20 /driver lockorder.sys");
        var info = Crash(machine, () =>
        {
            machine.Io.LoadDriver(new LockOrderDriver(), out _);
            var device = Open(LockOrderDriver.DeviceName);
            Assert.Equal(STATUS_SUCCESS, Requester.Ioctl(device, LockOrderDriver.IOCTL_QUEUE_WORK).Final);
            Requester.Ioctl(device, LockOrderDriver.IOCTL_RESET_STATISTICS);
        });

        Assert.Equal((uint)BugCheckCode.DRIVER_VERIFIER_DETECTED_VIOLATION, info.Code);
        Assert.Equal(0x1001UL, info.Parameters[0]);
        Assert.NotEqual(0UL, info.Parameters[1]);
        AssertAnalyzeNames(info, "lockorder.sys");
    }

    [Fact]
    public void A_buffer_overrun_is_0xD6_at_the_write_with_special_pool()
    {
        using var machine = Boot("/flags 0x1 /driver overrun.sys");
        var info = Crash(machine, () =>
        {
            machine.Io.LoadDriver(new BufferOverrunDriver(), out _);
            var name = Requester.Buffer(new byte[32], 32);
            Requester.Ioctl(Open(BufferOverrunDriver.DeviceName), BufferOverrunDriver.IOCTL_SET_NAME, name, 32);
        });

        Assert.Equal((uint)BugCheckCode.DRIVER_PAGE_FAULT_BEYOND_END_OF_ALLOCATION, info.Code);
        Assert.Equal(0UL, info.Parameters[0] & 0xFFF);
        Assert.Equal(1UL, info.Parameters[1]);
        AssertAnalyzeNames(info, "overrun.sys");
    }

    [Fact]
    public void The_same_overrun_goes_unnoticed_in_normal_pool()
    {
        using var machine = Boot("/flags 0x8 /driver overrun.sys");
        var final = machine.Run(() =>
        {
            machine.Io.LoadDriver(new BufferOverrunDriver(), out _);
            var name = Requester.Buffer(new byte[32], 32);
            return Requester.Ioctl(Open(BufferOverrunDriver.DeviceName), BufferOverrunDriver.IOCTL_SET_NAME, name, 32).Final;
        });

        Assert.Equal(STATUS_SUCCESS, final);
    }

    [Fact]
    public void A_wait_at_DISPATCH_LEVEL_in_a_DPC_is_0xB8()
    {
        using var machine = Boot("/standard /driver waitdpc.sys");
        var info = Crash(machine, () =>
        {
            machine.Io.LoadDriver(new WaitAtDispatchDriver(), out _);
            Requester.Ioctl(Open(WaitAtDispatchDriver.DeviceName), WaitAtDispatchDriver.IOCTL_START);
        });

        Assert.Equal((uint)BugCheckCode.ATTEMPTED_SWITCH_FROM_DPC, info.Code);
        AssertAnalyzeNames(info, "waitdpc.sys");
    }

    [Fact]
    public void Unlinking_a_list_entry_twice_is_0x139_FAST_FAIL_CORRUPT_LIST_ENTRY_without_any_verifier()
    {
        using var machine = Boot("");
        var info = Crash(machine, () =>
        {
            machine.Io.LoadDriver(new ListCorruptDriver(), out _);
            var device = Open(ListCorruptDriver.DeviceName);
            Requester.Ioctl(device, ListCorruptDriver.IOCTL_RECORD);
            Requester.Ioctl(device, ListCorruptDriver.IOCTL_RECORD);
            Assert.Equal(STATUS_SUCCESS, Requester.Ioctl(device, ListCorruptDriver.IOCTL_DROP_OLDEST).Final);
            Requester.Ioctl(device, ListCorruptDriver.IOCTL_DROP_OLDEST);
        });

        Assert.Equal((uint)BugCheckCode.KERNEL_SECURITY_CHECK_FAILURE, info.Code);
        Assert.Equal(3UL, info.Parameters[0]);
        AssertAnalyzeNames(info, "listcorrupt.sys");
    }
}
