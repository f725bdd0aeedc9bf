namespace SharpNT.Kernel.Hal;

/// <summary>
/// DEVICE_DESCRIPTION (wdm.h): what a driver tells IoGetDmaAdapter about its device's DMA: a bus master
/// with scatter/gather and 64-bit addresses is what this HAL serves (system DMA controllers are not modelled).
/// </summary>
public sealed class DEVICE_DESCRIPTION
{
    /// <summary>DEVICE_DESCRIPTION_VERSION (0), _VERSION1, _VERSION2 or _VERSION3.</summary>
    public uint Version { get; set; }

    public bool Master { get; set; }

    public bool ScatterGather { get; set; }

    public bool Dma32BitAddresses { get; set; }

    public bool Dma64BitAddresses { get; set; }

    /// <summary>INTERFACE_TYPE of the bus (PCIBus = 5).</summary>
    public int InterfaceType { get; set; }

    /// <summary>The largest transfer, in bytes, the driver asks one scatter/gather list for.</summary>
    public uint MaximumLength { get; set; }
}
