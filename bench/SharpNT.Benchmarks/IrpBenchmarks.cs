using BenchmarkDotNet.Attributes;
using SharpNT.Kernel;
using SharpNT.Kernel.Io;
using static SharpNT.Kernel.Ddi.Wdm;
using static SharpNT.Kernel.Io.DO_FLAGS;
using static SharpNT.Kernel.Io.IRP_MJ;
using static SharpNT.Kernel.NTSTATUS;

namespace SharpNT.Benchmarks;

/// <summary>
/// One IRP's round trip: IoAllocateIrp, IoCallDriver down four devices that each copy their location to
/// the next and set a completion routine, IoCompleteRequest at the bottom, the four routines back up, the
/// last of which keeps the IRP (STATUS_MORE_PROCESSING_REQUIRED), IoFreeIrp. Beside it, four nested
/// virtual calls doing the same bookkeeping in plain C#. Goal: 100 ns or less, no managed allocation.
/// </summary>
[MemoryDiagnoser]
public class IrpBenchmarks
{
    private Machine _machine = null!;
    private IDisposable _attachment = null!;
    private DEVICE_OBJECT _top;
    private readonly Layer _baseline = new Layer(new Layer(new Layer(new Layer(null))));

    [GlobalSetup]
    public void Setup()
    {
        _machine = Machine.Boot(MachineDescription.Default with { Processors = 1 });
        _attachment = _machine.AttachHostThread();
        _top = IrpRoundTrip.BuildStack(_machine, 4);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _attachment.Dispose();
        _machine.Dispose();
    }

    [Benchmark(Baseline = true, Description = "4 nested virtual calls")]
    public int NestedVirtualCalls() => _baseline.Call(new Request());

    [Benchmark(Description = "IRP round trip through 4 devices")]
    public NTSTATUS IrpRoundTripThrough4Devices() => IrpRoundTrip.Send(_top);

    private sealed class Request
    {
        public int Location = 5;
        public int Status;
    }

    private abstract class LayerBase
    {
        public abstract int Call(Request request);
    }

    private sealed class Layer(LayerBase? lower) : LayerBase
    {
        public override int Call(Request request)
        {
            request.Location--;
            var status = lower?.Call(request) ?? 0;
            request.Location++;
            request.Status = status;
            return status;
        }
    }
}
