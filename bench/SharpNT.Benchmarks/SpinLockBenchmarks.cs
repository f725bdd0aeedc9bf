using BenchmarkDotNet.Attributes;
using SharpNT.Kernel;
using SharpNT.Kernel.Ke;
using static SharpNT.Kernel.Ddi.Wdm;

namespace SharpNT.Benchmarks;

/// <summary>
/// KeAcquireSpinLock + KeReleaseSpinLock (with the IRQL raise to DISPATCH_LEVEL and the lower back,
/// including the DPC-queue check and the scheduling point) beside Monitor.Enter/Exit.
/// Goal: within 3x of the baseline.
/// </summary>
[MemoryDiagnoser]
public class SpinLockBenchmarks
{
    private readonly object _monitor = new();
    private readonly KSPIN_LOCK _spinLock = new();
    private Machine _machine = null!;
    private IDisposable _attachment = null!;

    [GlobalSetup]
    public void Setup()
    {
        _machine = Machine.Boot(MachineDescription.Default with { Processors = 1 });
        _attachment = _machine.AttachHostThread();
        KeInitializeSpinLock(_spinLock);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _attachment.Dispose();
        _machine.Dispose();
    }

    [Benchmark(Baseline = true, Description = "Monitor.Enter + Exit")]
    public void MonitorEnterExit()
    {
        Monitor.Enter(_monitor);
        Monitor.Exit(_monitor);
    }

    [Benchmark(Description = "KeAcquireSpinLock + KeReleaseSpinLock")]
    public void AcquireRelease()
    {
        KeAcquireSpinLock(_spinLock, out var old);
        KeReleaseSpinLock(_spinLock, old);
    }
}
