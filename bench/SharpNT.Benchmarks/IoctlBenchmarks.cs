using BenchmarkDotNet.Attributes;
using SharpNT.Kernel;
using SharpNT.Kernel.Io;
using SharpNT.Win32;

namespace SharpNT.Benchmarks;

/// <summary>
/// DeviceIoControl from a user-mode thread: METHOD_BUFFERED, 64 bytes in and 64 out, through the system
/// call (probe and capture, IRP, system buffer) and a stack of three drivers, back to the program's
/// buffer. Beside it, the same work as plain method calls: copy 64 bytes in, three nested virtual calls,
/// copy 64 bytes out. Goal: 1 µs or less a call (one million a second) and no managed allocation.
/// </summary>
[MemoryDiagnoser]
public class IoctlBenchmarks
{
    private static readonly uint Code = WinIoCtl.CTL_CODE(0x22, 0x800, WinIoCtl.METHOD_BUFFERED, WinIoCtl.FILE_ANY_ACCESS);
    private readonly byte[] _input = new byte[64];
    private readonly byte[] _output = new byte[64];
    private readonly byte[] _system = new byte[64];
    private readonly Layer _baseline = new(new Layer(new Layer(null)));
    private Machine _machine = null!;
    private IDisposable _attachment = null!;
    private nint _device;
    private ulong _buffer;

    [GlobalSetup]
    public void Setup()
    {
        _machine = Machine.Boot(MachineDescription.Default with { Processors = 1 });
        _attachment = IrpRoundTrip.AttachUserRequester(_machine, 3);
        _device = Kernel32.CreateFile(@"\\.\IoctlBench", WinBase.GENERIC_READ | WinBase.GENERIC_WRITE, 0, 0, WinBase.OPEN_EXISTING, 0, 0);
        _buffer = Kernel32.VirtualAlloc(0, 0x1000, WinBase.MEM_COMMIT | WinBase.MEM_RESERVE, WinBase.PAGE_READWRITE);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _attachment.Dispose();
        _machine.Dispose();
    }

    [Benchmark(Baseline = true, Description = "copy in, 3 nested virtual calls, copy out")]
    public int PlainMethodCalls()
    {
        _input.CopyTo(_system, 0);
        var n = _baseline.Call(_system);
        _system.CopyTo(_output, 0);
        return n;
    }

    [Benchmark(Description = "DeviceIoControl through the system call and 3 drivers")]
    public bool DeviceIoControl() => Kernel32.DeviceIoControl(_device, Code, _buffer, 64, _buffer + 0x100, 64, out _, 0);

    private abstract class LayerBase
    {
        public abstract int Call(byte[] buffer);
    }

    private sealed class Layer(LayerBase? lower) : LayerBase
    {
        public override int Call(byte[] buffer) => lower?.Call(buffer) ?? buffer.Length;
    }
}
