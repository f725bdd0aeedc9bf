using BenchmarkDotNet.Attributes;
using SharpNT.Kernel;
using SharpNT.Kernel.Ke;
using static SharpNT.Kernel.Ddi.Wdm;

namespace SharpNT.Benchmarks.Ob;

/// <summary>
/// The Object Manager's hot paths: a reference and dereference pair by pointer, the same by handle, and an
/// open by name through a symbolic link; each beside the plain .NET operation it stands on.
/// </summary>
[MemoryDiagnoser]
public class ObjectReferenceBenchmarks
{
    private readonly Dictionary<ulong, object> _plainHandles = [];
    private readonly Dictionary<string, object> _plainNames = new(StringComparer.OrdinalIgnoreCase);
    private Machine _machine = null!;
    private IDisposable _attachment = null!;
    private KEVENT _event = null!;
    private HANDLE _handle;
    private OBJECT_ATTRIBUTES _byLink;
    private long _plainCount;

    [GlobalSetup]
    public void Setup()
    {
        _machine = Machine.Boot();
        _attachment = _machine.AttachHostThread();
        InitializeObjectAttributes(out var named, @"\BaseNamedObjects\Bench", OBJ_KERNEL_HANDLE, null, null);
        ZwCreateEvent(out _handle, EVENT_ALL_ACCESS, named, NotificationEvent, false);
        ObReferenceObjectByHandle(_handle, 0, ExEventObjectType, KernelMode, out var obj, out _);
        _event = (KEVENT)obj!;
        IoCreateSymbolicLink(@"\??\BenchLink", @"\BaseNamedObjects");
        InitializeObjectAttributes(out _byLink, @"\??\BenchLink\Bench", OBJ_KERNEL_HANDLE, null, null);
        _plainHandles[_handle.Value] = _event;
        _plainNames[@"\BaseNamedObjects\Bench"] = _event;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        ObDereferenceObject(_event);
        ZwClose(_handle);
        _attachment.Dispose();
        _machine.Dispose();
    }

    [Benchmark(Baseline = true, Description = "plain: Interlocked increment + decrement")]
    public long PlainReferencePair()
    {
        Interlocked.Increment(ref _plainCount);
        return Interlocked.Decrement(ref _plainCount);
    }

    [Benchmark(Description = "ObReferenceObject + ObDereferenceObject")]
    public void ReferencePair()
    {
        ObReferenceObject(_event);
        ObDereferenceObject(_event);
    }

    [Benchmark(Description = "plain: Dictionary handle lookup + Interlocked pair")]
    public object PlainHandleLookup()
    {
        var o = _plainHandles[_handle.Value];
        Interlocked.Increment(ref _plainCount);
        Interlocked.Decrement(ref _plainCount);
        return o;
    }

    [Benchmark(Description = "ObReferenceObjectByHandle + ObDereferenceObject")]
    public object? ReferenceByHandle()
    {
        ObReferenceObjectByHandle(_handle, EVENT_MODIFY_STATE, ExEventObjectType, KernelMode, out var obj, out _);
        ObDereferenceObject(obj!);
        return obj;
    }

    [Benchmark(Description = "plain: case-insensitive Dictionary name lookup")]
    public object PlainNameLookup() => _plainNames[@"\BaseNamedObjects\Bench"];

    [Benchmark(Description = "ZwOpenEvent through \\??\\ link + ZwClose")]
    public NTSTATUS OpenByNameThroughLink()
    {
        var status = ZwOpenEvent(out var h, EVENT_ALL_ACCESS, _byLink);
        ZwClose(h);
        return status;
    }
}
