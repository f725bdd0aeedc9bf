using System.Runtime.CompilerServices;
using SharpNT.Kernel.Hal;
using SharpNT.Kernel.Ke;

namespace SharpNT.Kernel.Ddi;

/// <summary>
/// The HAL DDIs of the WDM facade: interrupts (IoConnectInterrupt, KeSynchronizeExecution), device
/// registers (MmMapIoSpace, READ_REGISTER_*, WRITE_REGISTER_*), the PCI bus (HalGetBusDataByOffset,
/// HalGetInterruptVector), DMA (IoGetDmaAdapter, MmGetPhysicalAddress) and the HAL's clock.
/// </summary>
public static partial class Wdm
{
    public const KINTERRUPT_MODE LevelSensitive = KINTERRUPT_MODE.LevelSensitive;
    public const KINTERRUPT_MODE Latched = KINTERRUPT_MODE.Latched;

    /// <summary>BUS_DATA_TYPE PCIConfiguration.</summary>
    public const int PCIConfiguration = HalCore.PCIConfiguration;

    /// <summary>INTERFACE_TYPE PCIBus.</summary>
    public const int PCIBus = HalCore.PCIBus;

    public const ushort PCI_INVALID_VENDORID = HalCore.PCI_INVALID_VENDORID;

    /// <summary>PCI_COMMON_CONFIG offsets (wdm.h PCI_COMMON_HEADER, type 0).</summary>
    public const int PCI_VENDOR_ID_OFFSET = 0x00;
    public const int PCI_DEVICE_ID_OFFSET = 0x02;
    public const int PCI_COMMAND_OFFSET = 0x04;
    public const int PCI_PROGIF_OFFSET = 0x09;
    public const int PCI_SUBCLASS_OFFSET = 0x0A;
    public const int PCI_BASE_CLASS_OFFSET = 0x0B;
    public const int PCI_BAR0_OFFSET = 0x10;
    public const int PCI_INTERRUPT_LINE_OFFSET = 0x3C;
    public const int PCI_INTERRUPT_PIN_OFFSET = 0x3D;

    /// <summary>MEMORY_CACHING_TYPE MmNonCached: device registers are mapped uncached.</summary>
    public const int MmNonCached = 0;

    public const uint DEVICE_DESCRIPTION_VERSION = 0;
    public const uint DEVICE_DESCRIPTION_VERSION3 = 3;

    internal static HalCore Hal => CurrentMachine.Hal;

    // ---- Interrupts ----------------------------------------------------------------------------------

    /// <summary>
    /// IoConnectInterrupt: IRQL PASSIVE_LEVEL. Connects ServiceRoutine to Vector at Irql (from
    /// HalGetInterruptVector); SpinLock null means the interrupt object's own lock. STATUS_INVALID_PARAMETER
    /// for a bad IRQL pair or processor mask, or a vector already connected without sharing.
    /// </summary>
    public static NTSTATUS IoConnectInterrupt(out KINTERRUPT? InterruptObject, KSERVICE_ROUTINE ServiceRoutine, object? ServiceContext,
        KSPIN_LOCK? SpinLock, uint Vector, byte Irql, byte SynchronizeIrql, KINTERRUPT_MODE InterruptMode, bool ShareVector,
        ulong ProcessorEnableMask, bool FloatingSave, [CallerArgumentExpression(nameof(ServiceRoutine))] string routineName = "")
    {
        Hal.CheckIrql(PASSIVE_LEVEL);
        return Ke.ConnectInterrupt(out InterruptObject, ServiceRoutine, ServiceContext, SpinLock, Vector, Irql, SynchronizeIrql,
            InterruptMode, ShareVector, ProcessorEnableMask, routineName);
    }

    /// <summary>IoDisconnectInterrupt: IRQL PASSIVE_LEVEL; the ISR is called no more.</summary>
    public static void IoDisconnectInterrupt(KINTERRUPT InterruptObject)
    {
        Hal.CheckIrql(PASSIVE_LEVEL);
        Hal.Interrupts.Disconnect(InterruptObject);
    }

    /// <summary>KeSynchronizeExecution: IRQL &lt;= DIRQL; runs the routine at SynchronizeIrql under the interrupt spin lock.</summary>
    public static bool KeSynchronizeExecution(KINTERRUPT Interrupt, KSYNCHRONIZE_ROUTINE SynchronizeRoutine, object? SynchronizeContext,
        [CallerArgumentExpression(nameof(SynchronizeRoutine))] string routineName = "") =>
        Ke.SynchronizeExecution(Interrupt, SynchronizeRoutine, SynchronizeContext, routineName);

    /// <summary>KeAcquireInterruptSpinLock: IRQL &lt;= SynchronizeIrql; returns the previous IRQL.</summary>
    public static byte KeAcquireInterruptSpinLock(KINTERRUPT Interrupt) => Ke.AcquireInterruptSpinLock(Interrupt);

    /// <summary>KeReleaseInterruptSpinLock: back to the IRQL the acquire returned.</summary>
    public static void KeReleaseInterruptSpinLock(KINTERRUPT Interrupt, byte OldIrql) => Ke.ReleaseInterruptSpinLock(Interrupt, OldIrql);

    // ---- Buses and registers -------------------------------------------------------------------------

    /// <summary>HalGetBusDataByOffset: bytes of a slot's configuration space; 2 with PCI_INVALID_VENDORID for an empty slot, 0 for no bus.</summary>
    public static uint HalGetBusDataByOffset(int BusDataType, uint BusNumber, uint SlotNumber, Span<byte> Buffer, uint Offset) =>
        Hal.GetBusDataByOffset(BusDataType, BusNumber, SlotNumber, Buffer, Offset);

    /// <summary>HalGetInterruptVector: IRQL PASSIVE_LEVEL; the system vector for a bus interrupt level, with its DIRQL and affinity.</summary>
    public static uint HalGetInterruptVector(int InterfaceType, uint BusNumber, uint BusInterruptLevel, uint BusInterruptVector,
        out byte Irql, out ulong Affinity) =>
        Hal.GetInterruptVector(InterfaceType, BusNumber, BusInterruptLevel, out Irql, out Affinity);

    /// <summary>MmMapIoSpace: IRQL &lt;= DISPATCH_LEVEL; a system address for device registers, NULL if nothing decodes the range.</summary>
    public static ulong MmMapIoSpace(LARGE_INTEGER PhysicalAddress, ulong NumberOfBytes, int CacheType) =>
        Hal.MapIoSpace((ulong)PhysicalAddress.QuadPart, NumberOfBytes);

    /// <summary>MmUnmapIoSpace: IRQL &lt;= DISPATCH_LEVEL.</summary>
    public static void MmUnmapIoSpace(ulong BaseAddress, ulong NumberOfBytes) => Hal.UnmapIoSpace(BaseAddress);

    /// <summary>READ_REGISTER_UCHAR: a byte register of a mapped device.</summary>
    public static byte READ_REGISTER_UCHAR(ulong Register) => (byte)Hal.ReadRegister(Register, 1);

    /// <summary>READ_REGISTER_USHORT.</summary>
    public static ushort READ_REGISTER_USHORT(ulong Register) => (ushort)Hal.ReadRegister(Register, 2);

    /// <summary>READ_REGISTER_ULONG.</summary>
    public static uint READ_REGISTER_ULONG(ulong Register) => (uint)Hal.ReadRegister(Register, 4);

    /// <summary>READ_REGISTER_ULONG64.</summary>
    public static ulong READ_REGISTER_ULONG64(ulong Register) => Hal.ReadRegister(Register, 8);

    /// <summary>WRITE_REGISTER_UCHAR.</summary>
    public static void WRITE_REGISTER_UCHAR(ulong Register, byte Value) => Hal.WriteRegister(Register, 1, Value);

    /// <summary>WRITE_REGISTER_USHORT.</summary>
    public static void WRITE_REGISTER_USHORT(ulong Register, ushort Value) => Hal.WriteRegister(Register, 2, Value);

    /// <summary>WRITE_REGISTER_ULONG.</summary>
    public static void WRITE_REGISTER_ULONG(ulong Register, uint Value) => Hal.WriteRegister(Register, 4, Value);

    /// <summary>WRITE_REGISTER_ULONG64.</summary>
    public static void WRITE_REGISTER_ULONG64(ulong Register, ulong Value) => Hal.WriteRegister(Register, 8, Value);

    // ---- DMA -----------------------------------------------------------------------------------------

    /// <summary>
    /// IoGetDmaAdapter: IRQL PASSIVE_LEVEL. A bus-master scatter/gather adapter for the device described
    /// (PhysicalDeviceObject may be NULL for a legacy driver, as HalGetAdapter); NULL when not supported.
    /// </summary>
    public static DMA_ADAPTER? IoGetDmaAdapter(Io.DEVICE_OBJECT PhysicalDeviceObject, DEVICE_DESCRIPTION DeviceDescription,
        out uint NumberOfMapRegisters) => Hal.GetDmaAdapter(DeviceDescription, out NumberOfMapRegisters);

    /// <summary>MmGetPhysicalAddress: any IRQL; the physical address of a resident virtual address, 0 otherwise.</summary>
    public static LARGE_INTEGER MmGetPhysicalAddress(ulong BaseAddress) => new((long)Hal.GetPhysicalAddress(BaseAddress));

    // ---- Clock ---------------------------------------------------------------------------------------

    /// <summary>KeQueryPerformanceCounter: any IRQL; the counter, and its frequency (10 MHz).</summary>
    public static LARGE_INTEGER KeQueryPerformanceCounter(out LARGE_INTEGER PerformanceFrequency)
    {
        var value = Hal.QueryPerformanceCounter(out var frequency);
        PerformanceFrequency = new LARGE_INTEGER(frequency);
        return new LARGE_INTEGER(value);
    }

    /// <summary>KeStallExecutionProcessor: any IRQL; busy-waits MicroSeconds (keep it under 50 µs, as documented).</summary>
    public static void KeStallExecutionProcessor(uint MicroSeconds) => Hal.StallExecutionProcessor(MicroSeconds);
}
