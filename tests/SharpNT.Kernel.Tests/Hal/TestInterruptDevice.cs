using SharpNT.Kernel.Hal;

namespace SharpNT.Kernel.Tests.Hal;

/// <summary>
/// A minimal device for HAL tests: register 0 drives the interrupt line (write 1 to assert, 0 to dismiss),
/// register 4 counts writes.
/// </summary>
internal sealed class TestInterruptDevice(IDeviceBus bus, ulong registerBase, int line) : IHardwareDevice
{
    private readonly byte[] _config = new byte[256];
    private uint _writes;

    public string Name => "testdev";

    public Span<byte> ConfigurationSpace => _config;

    public ulong RegisterBase => registerBase;

    public uint RegisterLength => 0x1000;

    public bool NeedsService => false;

    public ulong ReadRegister(uint offset, int size) => offset == 4 ? _writes : 0;

    public void WriteRegister(uint offset, int size, ulong value)
    {
        _writes++;
        if (offset == 0)
        {
            bus.SetInterruptLine(line, value != 0);
        }
    }

    public void Service()
    {
    }

    public void PowerLoss()
    {
    }

    public void Shutdown()
    {
    }
}
