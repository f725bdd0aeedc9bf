using SharpNT.Drivers.Samples;
using SharpNT.Kernel.Io;
using SharpNT.Kernel.Ke;
using SharpNT.Kernel.Kd;
using SharpNT.Kernel.Vf;
using SharpNT.Kernel.Tests.Io;
using static SharpNT.Kernel.Ddi.Wdm;
using static SharpNT.Kernel.NTSTATUS;

namespace SharpNT.Kernel.Tests.Kd;

/// <summary>
/// A machine to debug: the sample stack (filter over function over lower) and the pending-timer sample
/// with two reads pended in its queue; the machine is left as it is when Run returns (broken in).
/// </summary>
internal sealed class DebuggerMachine : IDisposable
{
    private DebuggerMachine(Machine machine) => Machine = machine;

    public Machine Machine { get; }

    public ulong Filter { get; private set; }

    public ulong Function { get; private set; }

    public ulong Lower { get; private set; }

    public ulong FunctionDriver { get; private set; }

    public ulong PendDevice { get; private set; }

    /// <summary>The function device's fields as its DEVICE_OBJECT view reads them.</summary>
    public (uint Flags, uint Type, int RefCount, sbyte StackSize, ulong DriverObject) FunctionFields { get; private set; }

    /// <summary>The pended reads: IRP address, CurrentLocation and the device at the current location.</summary>
    public List<(ulong Irp, sbyte StackCount, sbyte CurrentLocation, ulong Device, byte Control)> Pended { get; } = [];

    public static DebuggerMachine Boot(string? dumpPath = null, VerifierSettings? verifier = null)
    {
        var machine = Machine.Boot(
            new MachineDescription { Name = "kd", Processors = 2, Seed = 1, MemoryMiB = 16, PagefileMiB = 16 },
            new MachineOptions { DumpPath = dumpPath, Verifier = verifier ?? VerifierSettings.None });
        var m = new DebuggerMachine(machine);
        machine.Run(() =>
        {
            Requester.Load(machine, new SampleLowerDriver());
            Requester.Load(machine, new SampleFunctionDriver());
            var filter = Requester.Load(machine, new SampleFilterDriver());
            m.Filter = filter.Address;
            m.Function = machine.Io.AttachedTo(filter).Address;
            m.Lower = machine.Io.AttachedTo(machine.Io.AttachedTo(filter)).Address;
            var function = machine.Io.AttachedTo(filter);
            m.FunctionDriver = function.DriverObject.Address;
            m.FunctionFields = (function.Flags, function.DeviceType, function.ReferenceCount, function.StackSize, function.DriverObject.Address);
            var pend = Requester.Load(machine, new PendingTimerDriver());
            m.PendDevice = pend.Address;
            for (var i = 0; i < 2; i++)
            {
                var evt = new KEVENT();
                KeInitializeEvent(evt, NotificationEvent, false);
                var iosb = new IO_STATUS_BLOCK(ExAllocatePool2(POOL_FLAG_NON_PAGED, 16, PoolTag("Test")));
                var buffer = ExAllocatePool2(POOL_FLAG_NON_PAGED, 1, PoolTag("Test"));
                var irp = IoBuildSynchronousFsdRequest(IRP_MJ.IRP_MJ_READ, pend, buffer, 1, new LARGE_INTEGER(0), evt, iosb);
                Assert.Equal(STATUS_PENDING, IoCallDriver(pend, irp));
                var location = IoGetCurrentIrpStackLocation(irp);
                m.Pended.Add((irp.Address, irp.StackCount, irp.CurrentLocation, location.DeviceObject.Address, location.Control));
            }

            // A read in an IRP with more stack locations than the device needs, and a completion routine.
            TestMachines.AsDriver(machine, "kdclient.sys", "KdClientRead", () =>
            {
                var deep = IoAllocateIrp(3, false);
                var next = IoGetNextIrpStackLocation(deep);
                next.MajorFunction = IRP_MJ.IRP_MJ_READ;
                next.Parameters.Read.Length = 0;
                IoSetCompletionRoutine(deep, KdClientCompletion, null, true, true, true);
                Assert.Equal(STATUS_PENDING, IoCallDriver(pend, deep));
                var location = IoGetCurrentIrpStackLocation(deep);
                m.Deep = (deep.Address, deep.StackCount, deep.CurrentLocation, location.DeviceObject.Address, location.Control);
            });
        });

        return m;
    }

    /// <summary>The pended read sent in an IRP of eight stack locations, with a completion routine.</summary>
    public (ulong Irp, sbyte StackCount, sbyte CurrentLocation, ulong Device, byte Control) Deep { get; private set; }

    private static NTSTATUS KdClientCompletion(DEVICE_OBJECT DeviceObject, IRP Irp, object? Context) => STATUS_MORE_PROCESSING_REQUIRED;

    public KernelDebugger Live() => new(new LiveTarget(Machine));

    /// <summary>Stops the machine with KeBugCheckEx(MANUALLY_INITIATED_CRASH), as a crash dump is taken on purpose.</summary>
    public void Crash() =>
        Assert.Throws<BugCheckException>(() => Machine.Run(() => KeBugCheckEx((uint)BugCheckCode.MANUALLY_INITIATED_CRASH, 0, 0, 0, 0)));

    public void Dispose() => Machine.Dispose();
}
