using SharpNT.Kernel.Io;
using SharpNT.Kernel.Ke;
using static SharpNT.Kernel.Ddi.Wdm;
using static SharpNT.Kernel.NTSTATUS;

namespace SharpNT.Kernel.Tests.Io;

/// <summary>
/// Conformance pairs: the layer drivers are the kernel side, <see cref="Requester"/> the requester side.
/// Each test builds a stack, sends an IOCTL and checks what every layer saw against the documented rules.
/// </summary>
public sealed class IrpConformanceTests
{
    private static readonly uint Code = CTL_CODE(0x22, 0x900, 0, 0);

    private static (LayerDriver Top, LayerDriver Middle, LayerDriver Bottom) Stack(Machine machine, List<string> log,
        LayerDriver? bottom = null, LayerDriver? middle = null, LayerDriver? top = null)
    {
        bottom ??= new LayerDriver("C", null, log) { Behaviour = LayerBehaviour.Complete };
        middle ??= new LayerDriver("B", "C", log);
        top ??= new LayerDriver("A", "B", log);
        Requester.Load(machine, bottom);
        Requester.Load(machine, middle);
        Requester.Load(machine, top);
        return (top, middle, bottom);
    }

    [Fact]
    public void An_IRP_walks_down_one_stack_location_per_layer_and_completion_routines_run_bottom_up()
    {
        using var machine = TestMachines.Boot();
        var log = new List<string>();
        var (result, stackSize, locations) = machine.Run(() =>
        {
            var (top, _, _) = Stack(machine, log);
            var r = Requester.Ioctl(top.Device, Code);
            return (r, top.Device.StackSize, log.ToList());
        });

        Assert.Equal(3, stackSize);
        Assert.Equal(new Requester.Result(STATUS_SUCCESS, STATUS_SUCCESS, 7), result);
        Assert.Equal(5, locations.Count);

        // IoBuildDeviceIoControlRequest's IRP comes from the 8-location lookaside list: A gets location 8.
        Assert.StartsWith("dispatch A location 8", locations[0], StringComparison.Ordinal);
        Assert.StartsWith("dispatch B location 7", locations[1], StringComparison.Ordinal);
        Assert.StartsWith("dispatch C location 6", locations[2], StringComparison.Ordinal);
        Assert.All(locations.Take(3), l => Assert.EndsWith("device self", l, StringComparison.Ordinal));

        // Each location sits one IO_STACK_LOCATION (0x48 bytes) below the previous one.
        var addresses = locations.Take(3).Select(l => Convert.ToUInt64(l.Split(" sl ")[1].Split(' ')[0], 16)).ToArray();
        Assert.Equal(0x48UL, addresses[0] - addresses[1]);
        Assert.Equal(0x48UL, addresses[1] - addresses[2]);

        // B's routine runs first (it sits above C), in B's location with B's device; then A's.
        Assert.Equal("completion B location 7 pending False device self status STATUS_SUCCESS", locations[3]);
        Assert.Equal("completion A location 8 pending False device self status STATUS_SUCCESS", locations[4]);
    }

    [Fact]
    public void STATUS_MORE_PROCESSING_REQUIRED_stops_the_walk_until_the_driver_completes_again()
    {
        using var machine = TestMachines.Boot();
        var log = new List<string>();
        var (first, afterRecomplete) = machine.Run(() =>
        {
            var middle = new LayerDriver("B", "C", log) { RoutineResult = STATUS_MORE_PROCESSING_REQUIRED };
            var (top, _, _) = Stack(machine, log, middle: middle);
            IRP kept = default;
            var evt = new KEVENT();
            KeInitializeEvent(evt, NotificationEvent, false);
            var iosb = new IO_STATUS_BLOCK(ExAllocatePool2(POOL_FLAG_NON_PAGED, 16, PoolTag("Iosb")));
            kept = IoBuildDeviceIoControlRequest(Code, top.Device, 0, 0, 0, 0, false, evt, iosb);
            IoCallDriver(top.Device, kept);
            var snapshot = log.ToList();
            Assert.Equal(0, KeReadStateEvent(evt));

            // B owns the IRP again; completing it resumes the walk at A's routine.
            IoCompleteRequest(kept, IO_NO_INCREMENT);
            Assert.Equal(1, KeReadStateEvent(evt));
            return (snapshot, log.ToList());
        });

        Assert.Equal(4, first.Count);
        Assert.StartsWith("completion B", first[3], StringComparison.Ordinal);
        Assert.Equal(5, afterRecomplete.Count);
        Assert.StartsWith("completion A", afterRecomplete[4], StringComparison.Ordinal);
    }

    [Fact]
    public void A_pended_IRP_returns_STATUS_PENDING_and_PendingReturned_reaches_every_routine()
    {
        using var machine = TestMachines.Boot();
        var log = new List<string>();
        var result = machine.Run(() =>
        {
            var bottom = new LayerDriver("C", null, log) { Behaviour = LayerBehaviour.Pend };
            var (top, _, _) = Stack(machine, log, bottom: bottom);
            return Requester.Ioctl(top.Device, Code, whilePending: () =>
            {
                var irp = bottom.Held.Single();
                irp.IoStatus.Status = STATUS_SUCCESS;
                irp.IoStatus.Information = 3;
                IoCompleteRequest(irp, IO_NO_INCREMENT);
            });
        });

        Assert.Equal(new Requester.Result(STATUS_PENDING, STATUS_SUCCESS, 3), result);
        Assert.Contains("completion B location 7 pending True device self status STATUS_SUCCESS", log);
        Assert.Contains("completion A location 8 pending True device self status STATUS_SUCCESS", log);
    }

    [Fact]
    public void Without_a_routine_the_pending_mark_is_carried_up_by_the_I_O_manager()
    {
        using var machine = TestMachines.Boot();
        var log = new List<string>();
        var result = machine.Run(() =>
        {
            var bottom = new LayerDriver("C", null, log) { Behaviour = LayerBehaviour.Pend };
            var middle = new LayerDriver("B", "C", log) { Behaviour = LayerBehaviour.Skip };
            var (top, _, _) = Stack(machine, log, bottom, middle);
            return Requester.Ioctl(top.Device, Code, whilePending: () =>
            {
                var irp = bottom.Held.Single();
                irp.IoStatus.Status = STATUS_SUCCESS;
                IoCompleteRequest(irp, IO_NO_INCREMENT);
            });
        });

        Assert.Equal(STATUS_PENDING, result.Returned);
        Assert.Contains("completion A location 8 pending True device self status STATUS_SUCCESS", log);
    }

    [Fact]
    public void SL_INVOKE_ON_ERROR_alone_skips_the_routine_on_success_and_runs_it_on_error()
    {
        using var machine = TestMachines.Boot();
        var log = new List<string>();
        machine.Run(() =>
        {
            var bottom = new LayerDriver("C", null, log) { Behaviour = LayerBehaviour.Complete, CompleteWith = STATUS_SUCCESS };
            var middle = new LayerDriver("B", "C", log) { InvokeOnSuccess = false };
            var (top, _, _) = Stack(machine, log, bottom, middle);
            Requester.Ioctl(top.Device, Code);
        });

        Assert.DoesNotContain(log, l => l.StartsWith("completion B", StringComparison.Ordinal));
        Assert.Contains(log, l => l.StartsWith("completion A", StringComparison.Ordinal));

        using var machine2 = TestMachines.Boot();
        var log2 = new List<string>();
        var result = machine2.Run(() =>
        {
            var bottom = new LayerDriver("C", null, log2) { Behaviour = LayerBehaviour.Complete, CompleteWith = STATUS_IO_DEVICE_ERROR };
            var middle = new LayerDriver("B", "C", log2) { InvokeOnSuccess = false };
            var (top, _, _) = Stack(machine2, log2, bottom, middle);
            return Requester.Ioctl(top.Device, Code);
        });

        Assert.Contains(log2, l => l.StartsWith("completion B", StringComparison.Ordinal));
        Assert.False(result.Final.IsSuccess());
    }

    [Fact]
    public void Calling_past_the_last_stack_location_is_NO_MORE_IRP_STACK_LOCATIONS()
    {
        using var machine = TestMachines.Boot();
        var log = new List<string>();
        ulong irpAddress = 0;
        var e = Assert.Throws<BugCheckException>(() => machine.Run(() =>
        {
            var (top, _, _) = Stack(machine, log, top: new LayerDriver("A", "B", log) { Behaviour = LayerBehaviour.CopyDown });

            // One location for a three-device stack: A's IoCallDriver to B has none left. (A's copy to
            // the next location already scribbles over the IRP header, as it would on NT.)
            var irp = IoAllocateIrp(1, false);
            irpAddress = irp.Address;
            var next = IoGetNextIrpStackLocation(irp);
            next.MajorFunction = SharpNT.Kernel.Io.IRP_MJ.IRP_MJ_DEVICE_CONTROL;
            next.Parameters.DeviceIoControl.IoControlCode = Code;
            IoCallDriver(top.Device, irp);
        }));

        Assert.Equal(BugCheckCode.NO_MORE_IRP_STACK_LOCATIONS, e.Code);
        Assert.Equal(irpAddress, e.Info.Parameter1);
        Assert.Equal("A.sys", e.Info.FaultingModule);

        // !analyze -v names the IRP of parameter 1 and shows it: still allocated, with its one stack location.
        var analysis = new SharpNT.Kernel.Kd.KernelDebugger(new SharpNT.Kernel.Kd.LiveTarget(machine)).Execute("!analyze -v");
        Assert.True(analysis.Contains($"IRP_ADDRESS:  {irpAddress:x16}\n\nkd> !irp {irpAddress:x16}\nIrp is active with 1 stacks", StringComparison.Ordinal), analysis);
    }

    [Fact]
    public void Completing_an_IRP_twice_is_MULTIPLE_IRP_COMPLETE_REQUESTS()
    {
        using var machine = TestMachines.Boot();
        ulong irpAddress = 0;
        var e = Assert.Throws<BugCheckException>(() => machine.Run(() =>
        {
            var irp = IoAllocateIrp(1, false);
            irpAddress = irp.Address;
            IoSetCompletionRoutine(irp, (d, i, c) => STATUS_MORE_PROCESSING_REQUIRED, null, true, true, true);
            IoSetNextIrpStackLocation(irp);
            irp.IoStatus.Status = STATUS_SUCCESS;
            IoCompleteRequest(irp, IO_NO_INCREMENT);
            IoCompleteRequest(irp, IO_NO_INCREMENT);
            IoCompleteRequest(irp, IO_NO_INCREMENT);
        }));

        Assert.Equal(BugCheckCode.MULTIPLE_IRP_COMPLETE_REQUESTS, e.Code);
        Assert.Equal(irpAddress, e.Info.Parameter1);
    }

    [Fact]
    public void An_IRP_lives_in_nonpaged_pool_in_the_x64_layout()
    {
        using var machine = TestMachines.Boot();
        var (type, size, count, current, csl) = machine.Run(() =>
        {
            var irp = IoAllocateIrp(4, false);
            var r = (irp.Type, irp.Size, irp.StackCount, irp.CurrentLocation, irp.Tail.Overlay.CurrentStackLocation - irp.Address);
            IoFreeIrp(irp);
            return r;
        });

        Assert.Equal(SharpNT.Kernel.Io.IO_TYPE.IO_TYPE_IRP, type);
        Assert.Equal(0xD0 + (8 * 0x48), size);
        // From the large lookaside list: eight locations, whatever the caller asked for (as NT does).
        Assert.Equal(8, count);
        Assert.Equal(9, current);
        Assert.Equal((ulong)(0xD0 + (8 * 0x48)), csl);
    }
}
