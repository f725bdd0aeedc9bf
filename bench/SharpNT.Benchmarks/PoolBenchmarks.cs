using System.Buffers;
using BenchmarkDotNet.Attributes;
using SharpNT.Kernel;
using SharpNT.Kernel.Mm;
using static SharpNT.Kernel.Ddi.Wdm;

namespace SharpNT.Benchmarks;

/// <summary>
/// A 64-byte nonpaged pool allocation and free (ExAllocatePool2 + ExFreePoolWithTag, inside a booted machine)
/// against the plain .NET equivalent, renting and returning a buffer from the shared ArrayPool.
/// </summary>
[MemoryDiagnoser]
public class PoolBenchmarks
{
    private Machine _machine = null!;
    private IDisposable _attachment = null!;
    private uint _tag;

    [GlobalSetup]
    public void Setup()
    {
        _machine = Machine.Boot();
        _attachment = _machine.AttachHostThread();
        _tag = PoolTags.FromString("Bnch");
        ExFreePoolWithTag(ExAllocatePool2(POOL_FLAG_NON_PAGED, 64, _tag), _tag);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _attachment.Dispose();
        _machine.Dispose();
    }

    [Benchmark(Baseline = true)]
    public int ArrayPoolRentReturn()
    {
        var buffer = ArrayPool<byte>.Shared.Rent(64);
        ArrayPool<byte>.Shared.Return(buffer);
        return buffer.Length;
    }

    [Benchmark]
    public ulong ExAllocatePool2AndExFreePoolWithTag()
    {
        var p = ExAllocatePool2(POOL_FLAG_NON_PAGED, 64, _tag);
        ExFreePoolWithTag(p, _tag);
        return p;
    }
}
