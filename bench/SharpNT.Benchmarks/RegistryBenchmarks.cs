using BenchmarkDotNet.Attributes;
using SharpNT.Kernel;
using SharpNT.Kernel.Cm;

namespace SharpNT.Benchmarks;

/// <summary>
/// What a driver does with the registry at load time: open its service key by its full path (through the
/// CurrentControlSet link) and read a REG_DWORD as KEY_VALUE_PARTIAL_INFORMATION; and a value query on a key
/// already open. Beside a case-insensitive Dictionary lookup of the whole path and a copy of the value.
/// </summary>
[MemoryDiagnoser]
public class RegistryBenchmarks
{
    private const string ServicePath = @"\REGISTRY\MACHINE\SYSTEM\CurrentControlSet\Services\sample";
    private const string StartPath = ServicePath + @"\Start";
    private readonly byte[] _buffer = new byte[64];
    private readonly Dictionary<string, byte[]> _dictionary = new(StringComparer.OrdinalIgnoreCase);
    private Machine _machine = null!;
    private CmKey _serviceKey = null!;

    [GlobalSetup]
    public void Setup()
    {
        _machine = Machine.Boot(MachineDescription.Default with { Processors = 1 });
        var cm = _machine.Cm;
        cm.RegisterService(new CmServiceEntry
        {
            Name = "sample",
            Start = SERVICE_LOAD_TYPE.SERVICE_DEMAND_START,
            Type = SERVICE_NODE_TYPE.SERVICE_KERNEL_DRIVER,
            ImagePath = @"\SystemRoot\System32\drivers\sample.sys",
        });
        for (var i = 0; i < 100; i++)
        {
            cm.RegisterService(new CmServiceEntry
            {
                Name = $"other{i:D3}",
                Start = SERVICE_LOAD_TYPE.SERVICE_DISABLED,
                Type = SERVICE_NODE_TYPE.SERVICE_KERNEL_DRIVER,
            });
        }

        _serviceKey = cm.OpenKey(ServicePath)!;
        _dictionary[StartPath] = RegData.Dword(3);
        for (var i = 0; i < 100; i++)
        {
            _dictionary[$@"\REGISTRY\MACHINE\SYSTEM\CurrentControlSet\Services\other{i:D3}\Start"] = RegData.Dword(4);
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _machine.Dispose();

    [Benchmark(Baseline = true, Description = "Dictionary path lookup + copy")]
    public int DictionaryLookup()
    {
        var data = _dictionary[StartPath];
        data.CopyTo(_buffer, 12);
        return data.Length;
    }

    [Benchmark(Description = "OpenKey (via CurrentControlSet) + QueryValueKey")]
    public uint OpenAndQuery()
    {
        _machine.Cm.OpenKey(null, ServicePath, openLink: false, out var key);
        _machine.Cm.QueryValueKey(key!, "Start", KEY_VALUE_INFORMATION_CLASS.KeyValuePartialInformation, _buffer, out var length);
        return length;
    }

    [Benchmark(Description = "QueryValueKey on an open key")]
    public uint Query()
    {
        _machine.Cm.QueryValueKey(_serviceKey, "Start", KEY_VALUE_INFORMATION_CLASS.KeyValuePartialInformation, _buffer, out var length);
        return length;
    }
}
