using System.Buffers.Binary;

namespace SharpNT.Kernel.Hal;

internal sealed partial class HalCore
{
    /// <summary>BUS_DATA_TYPE PCIConfiguration (wdm.h).</summary>
    internal const int PCIConfiguration = 4;

    /// <summary>INTERFACE_TYPE PCIBus (wdm.h).</summary>
    internal const int PCIBus = 5;

    /// <summary>PCI_INVALID_VENDORID: what an empty slot's vendor ID reads as.</summary>
    internal const ushort PCI_INVALID_VENDORID = 0xFFFF;

    /// <summary>PCI_COMMON_CONFIG is 256 bytes (the header and the device-specific area).</summary>
    internal const int PciConfigSize = 256;

    /// <summary>
    /// HalGetBusDataByOffset for PCIConfiguration on bus 0: copies configuration space of the device in
    /// <paramref name="slot"/> (PCI_SLOT_NUMBER: device in bits 0-4, function in bits 5-7). Returns the bytes
    /// copied; 0 for a bus that does not exist; for an empty slot 2, with the vendor ID PCI_INVALID_VENDORID.
    /// </summary>
    internal uint GetBusDataByOffset(int busDataType, uint busNumber, uint slot, Span<byte> buffer, uint offset)
    {
        if (busDataType != PCIConfiguration || busNumber != 0)
        {
            return 0;
        }

        var deviceNumber = (int)(slot & 0x1F);
        var function = (slot >> 5) & 0x7;
        if (function != 0 || deviceNumber >= _deviceArray.Length)
        {
            if (offset == 0 && buffer.Length >= 2)
            {
                BinaryPrimitives.WriteUInt16LittleEndian(buffer, PCI_INVALID_VENDORID);
                return 2;
            }

            return 0;
        }

        if (offset >= PciConfigSize)
        {
            return 0;
        }

        var count = (int)Math.Min((uint)buffer.Length, PciConfigSize - offset);
        _deviceArray[deviceNumber].ConfigurationSpace.Slice((int)offset, count).CopyTo(buffer);
        return (uint)count;
    }

    /// <summary>
    /// HalGetInterruptVector: the system vector, DIRQL and affinity for a bus interrupt. On the PCI bus the
    /// level is the InterruptLine a device's configuration space reports. 0 when the bus has no such line.
    /// </summary>
    internal uint GetInterruptVector(int interfaceType, uint busNumber, uint busInterruptLevel, out byte irql, out ulong affinity)
    {
        CheckIrql(Ke.Irql.PASSIVE_LEVEL);
        irql = 0;
        affinity = 0;
        if (interfaceType != PCIBus || busNumber != 0 || busInterruptLevel >= InterruptController.LineCount)
        {
            return 0;
        }

        var vector = InterruptController.VectorOfLine((int)busInterruptLevel);
        irql = InterruptController.IrqlOfVector(vector);
        var processors = _machine.Ke.Processors.Length;
        affinity = processors >= 64 ? ulong.MaxValue : (1UL << processors) - 1;
        return vector;
    }
}
