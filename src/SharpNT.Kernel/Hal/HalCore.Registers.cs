using SharpNT.Kernel.Ke;

namespace SharpNT.Kernel.Hal;

internal sealed partial class HalCore
{
    /// <summary>Where MmMapIoSpace maps device registers: a system range of its own, 64 KiB per mapping.</summary>
    internal const ulong IoSpaceBase = 0xFFFFF8FF_00000000UL;

    private readonly Lock _mapLock = new();
    private IoMapping[] _mappings = [];
    private ulong _nextIoVa = IoSpaceBase;

    private sealed record IoMapping(ulong VirtualAddress, ulong Length, IHardwareDevice Device, uint Offset);

    /// <summary>
    /// MmMapIoSpace: IRQL &lt;= DISPATCH_LEVEL. A system virtual address for a device's registers at a
    /// physical address; 0 if no device decodes the whole range.
    /// </summary>
    internal ulong MapIoSpace(ulong physicalAddress, ulong numberOfBytes)
    {
        CheckIrql(Irql.DISPATCH_LEVEL);
        foreach (var device in _deviceArray)
        {
            if (physicalAddress >= device.RegisterBase && numberOfBytes > 0
                && physicalAddress + numberOfBytes <= device.RegisterBase + device.RegisterLength)
            {
                lock (_mapLock)
                {
                    var va = _nextIoVa + (physicalAddress & 0xFFF);
                    _nextIoVa += (numberOfBytes + (physicalAddress & 0xFFF) + 0xFFFF) & ~0xFFFFUL;
                    _mappings = [.. _mappings, new IoMapping(va, numberOfBytes, device, (uint)(physicalAddress - device.RegisterBase))];
                    return va;
                }
            }
        }

        return 0;
    }

    /// <summary>MmUnmapIoSpace: the mapping goes; a later access through it faults.</summary>
    internal void UnmapIoSpace(ulong baseAddress)
    {
        CheckIrql(Irql.DISPATCH_LEVEL);
        lock (_mapLock)
        {
            _mappings = [.. _mappings.Where(m => m.VirtualAddress != baseAddress)];
        }
    }

    /// <summary>READ_REGISTER_UCHAR/USHORT/ULONG/ULONG64: a read of a mapped device register.</summary>
    internal ulong ReadRegister(ulong register, int size)
    {
        var (device, offset) = Resolve(register, size, write: false);
        var value = device.ReadRegister(offset, size);
        AfterRegisterAccess();
        return value;
    }

    /// <summary>WRITE_REGISTER_UCHAR/USHORT/ULONG/ULONG64: a write of a mapped device register.</summary>
    internal void WriteRegister(ulong register, int size, ulong value)
    {
        var (device, offset) = Resolve(register, size, write: true);
        device.WriteRegister(offset, size, value);
        AfterRegisterAccess();
    }

    private (IHardwareDevice Device, uint Offset) Resolve(ulong register, int size, bool write)
    {
        foreach (var m in _mappings)
        {
            if (register >= m.VirtualAddress && register + (ulong)size <= m.VirtualAddress + m.Length)
            {
                if ((register & (ulong)(size - 1)) != 0)
                {
                    break;
                }

                return (m.Device, m.Offset + (uint)(register - m.VirtualAddress));
            }
        }

        // Nothing is mapped there (or the access is misaligned): the access faults in nonpaged space.
        var thread = _machine.Ke.CurrentThread;
        _machine.BugCheck.Raise(BugCheckCode.PAGE_FAULT_IN_NONPAGED_AREA, register, write ? 1UL : 0UL,
            thread.InnermostFrame()?.Address ?? 0, 0);
        throw new System.Diagnostics.UnreachableException();
    }

    /// <summary>An interrupt raised by the access is taken right after it, if the processor's IRQL allows.</summary>
    private void AfterRegisterAccess()
    {
        if (Interrupts.PendingIrql > 0 && KTHREAD.Current is { Processor: { } prcb } && prcb.Irql < Interrupts.PendingIrql)
        {
            _machine.Ke.TakePendingInterrupts(prcb);
        }
    }
}
