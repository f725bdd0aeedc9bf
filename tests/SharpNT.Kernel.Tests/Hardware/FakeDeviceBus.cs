using SharpNT.Kernel.Hal;

namespace SharpNT.Kernel.Tests.Hardware;

/// <summary>A bus for driving a device at register level: its own physical frames, an interrupt line to watch, service on demand.</summary>
internal sealed class FakeDeviceBus(int frames) : IDeviceBus
{
    private readonly byte[] _memory = new byte[frames * 4096];

    public int FrameCount => frames;

    public bool Deterministic => true;

    public bool Halted { get; set; }

    public bool Line { get; private set; }

    public int ServiceRequests { get; private set; }

    public Span<byte> Frame(ulong pfn) => _memory.AsSpan((int)pfn * 4096, 4096);

    public void SetInterruptLine(int line, bool asserted) => Line = asserted;

    public void RequestService(IHardwareDevice device) => ServiceRequests++;

    public Span<byte> Physical(ulong address, int length) => _memory.AsSpan((int)address, length);
}
