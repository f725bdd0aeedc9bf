using SharpNT.Drivers.Samples;
using SharpNT.Kernel;
using SharpNT.Kernel.Io;
using SharpNT.Kernel.Ke;
using static SharpNT.Kernel.Ddi.Wdm;

namespace SharpNT.Cli.Demos;

/// <summary>
/// Reads pend in the pending-timer sample's cancel-safe queue and its timer DPC completes one each period;
/// the scenario ends with two reads still queued, so `sharpnt kd --scenario pending-reads` finds them
/// with !irpfind and shows them with !irp.
/// </summary>
internal sealed class PendingReadsScenario : Scenario
{
    public override string Name => "pending-reads";

    public override string Description => "Three reads pend in a cancel-safe queue; a timer DPC completes the first, two stay pending (for kd)";

    public override void Run(Machine machine, TextWriter output)
    {
        machine.Run(() =>
        {
            output.WriteLine("Loading pendtimer.sys: every read pends in its cancel-safe queue; a periodic timer DPC completes the oldest.");
            var status = machine.Io.LoadDriver(new PendingTimerDriver(), out _);
            output.WriteLine($"  DriverEntry returned {status.Describe()}");
            var device = KernelClient.Open(PendingTimerDriver.DeviceName);
            var tag = PoolTag("Demo");
            var reads = new List<(IRP Irp, KEVENT Event)>();
            for (var i = 0; i < 3; i++)
            {
                var evt = new KEVENT();
                KeInitializeEvent(evt, NotificationEvent, false);
                var iosb = new IO_STATUS_BLOCK(ExAllocatePool2(POOL_FLAG_NON_PAGED, 16, tag));
                var buffer = ExAllocatePool2(POOL_FLAG_NON_PAGED, 1, tag);
                var irp = IoBuildSynchronousFsdRequest(IRP_MJ.IRP_MJ_READ, device, buffer, 1, new LARGE_INTEGER(0), evt, iosb);
                var returned = IoCallDriver(device, irp);
                output.WriteLine($"  read #{i + 1}: IRP 0x{irp.Address:x16} returned {returned.Describe()}");
                reads.Add((irp, evt));
            }

            KeWaitForSingleObject(reads[0].Event, Executive, KernelMode, false, null);
            var pending = reads.Where(r => KeReadStateEvent(r.Event) == 0).ToList();
            output.WriteLine($"The timer DPC completed read #1 after {KeQueryInterruptTime() / 10_000} ms; {pending.Count} read(s) still queued.");
            if (pending.Count > 0)
            {
                output.WriteLine($"  (try: sharpnt kd --scenario pending-reads -c \"!irpfind\" -c \"!irp {pending[0].Irp.Address:x}\")");
            }
        });
    }
}
