using BenchmarkDotNet.Attributes;
using SharpNT.Kernel;
using SharpNT.Kernel.Mm;
using static SharpNT.Kernel.Ddi.Wdm;

namespace SharpNT.Benchmarks;

/// <summary>
/// A checked 4 KiB read from nonpaged pool into a host buffer (translation through the software TLB, then
/// one span copy) against a plain span copy of 4 KiB.
/// </summary>
public class CheckedReadBenchmarks
{
    private readonly byte[] _source = new byte[PAGE_SIZE];
    private readonly byte[] _destination = new byte[PAGE_SIZE];
    private Machine _machine = null!;
    private IDisposable _attachment = null!;
    private ulong _buffer;

    [GlobalSetup]
    public void Setup()
    {
        _machine = Machine.Boot();
        _attachment = _machine.AttachHostThread();
        _buffer = ExAllocatePool2(POOL_FLAG_NON_PAGED, PAGE_SIZE, PoolTags.FromString("Bnch"));
        Random.Shared.NextBytes(_source);
        CopyFromHost(_buffer, _source);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _attachment.Dispose();
        _machine.Dispose();
    }

    [Benchmark(Baseline = true)]
    public void SpanCopy4K() => _source.AsSpan().CopyTo(_destination);

    [Benchmark]
    public void CheckedRead4K() => CopyToHost(_buffer, _destination);
}
