namespace SharpNT.Kernel.Hal;

/// <summary>What a simulated device reaches of the machine: physical memory by frame (bus-master DMA) and its interrupt line.</summary>
internal interface IDeviceBus
{
    /// <summary>Number of physical page frames; a DMA address beyond them is a bus error.</summary>
    int FrameCount { get; }

    /// <summary>The 4 KiB of one physical frame.</summary>
    Span<byte> Frame(ulong pfn);

    /// <summary>Drives the device's interrupt line (level-sensitive): asserted or not.</summary>
    void SetInterruptLine(int line, bool asserted);

    /// <summary>
    /// The device has work (a doorbell rang): in parallel mode it is called back at once on the writer's
    /// processor; in deterministic mode when the scheduler decides.
    /// </summary>
    void RequestService(IHardwareDevice device);

    /// <summary>Whether the machine runs deterministically: then devices work only when the scheduler lets them.</summary>
    bool Deterministic { get; }

    /// <summary>Whether the machine has stopped (a bug check): devices stop at the next sector boundary.</summary>
    bool Halted { get; }
}
