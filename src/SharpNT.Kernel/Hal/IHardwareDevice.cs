namespace SharpNT.Kernel.Hal;

/// <summary>
/// A simulated device on the machine's PCI bus: its configuration space, the registers of its memory BAR
/// in physical address space, and the work it does between register accesses. Devices see the machine
/// only through <see cref="IDeviceBus"/>: physical memory for DMA and their interrupt line.
/// </summary>
internal interface IHardwareDevice
{
    /// <summary>A name for traces and messages, e.g. "nvme0".</summary>
    string Name { get; }

    /// <summary>The 256 bytes of PCI configuration space (type 0 header).</summary>
    Span<byte> ConfigurationSpace { get; }

    /// <summary>Physical address and length of the memory-mapped registers (BAR0).</summary>
    ulong RegisterBase { get; }

    uint RegisterLength { get; }

    /// <summary>A register read of 1, 2, 4 or 8 bytes at an offset in the BAR.</summary>
    ulong ReadRegister(uint offset, int size);

    /// <summary>A register write of 1, 2, 4 or 8 bytes at an offset in the BAR.</summary>
    void WriteRegister(uint offset, int size, ulong value);

    /// <summary>True while the device has work it has been asked to do (a doorbell rang).</summary>
    bool NeedsService { get; }

    /// <summary>Does the pending work: processes submitted commands, moves data, posts completions.</summary>
    void Service();

    /// <summary>The machine stopped with a bug check: the device stops where it is (power is lost).</summary>
    void PowerLoss();

    /// <summary>A clean shutdown: the device writes back what it holds.</summary>
    void Shutdown();
}
