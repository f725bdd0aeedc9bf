using SharpNT.Kernel.Ke;

namespace SharpNT.Kernel.Mm;

internal sealed partial class MemoryManager
{
    /// <summary>Pool allocated by driver code, by address: which image allocated it, so an unload can tell what it left.</summary>
    private readonly Dictionary<ulong, (LoadedModule Module, ulong Bytes, uint Tag)> _driverAllocations = [];

    private volatile int _driverAllocationCount;

    /// <summary>
    /// Records the driver image whose code called the pool DDI (as pool tracking attributes an allocation
    /// to its caller's address; what the kernel allocates on a driver's behalf stays the kernel's).
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    internal ulong NoteDriverAllocation(ulong address, ulong bytes, uint tag, KTHREAD caller)
    {
        var module = caller.InnermostModule();
        if (module is not null && address != 0 && !ReferenceEquals(module, _machine.Modules.Kernel))
        {
            RecordDriverAllocation(address, bytes, tag, module);
        }

        return address;
    }

    private void RecordDriverAllocation(ulong address, ulong bytes, uint tag, LoadedModule module)
    {
        lock (_driverAllocations)
        {
            _driverAllocations[address] = (module, bytes, tag);
            _driverAllocationCount = _driverAllocations.Count;
        }
    }

    private void ForgetOwner(ulong address)
    {
        lock (_driverAllocations)
        {
            if (_driverAllocations.Remove(address))
            {
                _driverAllocationCount = _driverAllocations.Count;
            }
        }
    }

    /// <summary>The allocations a driver image made and has not freed, as "address bytes tag" lines.</summary>
    internal IReadOnlyList<string> PoolOwnedBy(LoadedModule module)
    {
        lock (_driverAllocations)
        {
            return [.. _driverAllocations
                .Where(e => e.Value.Module == module)
                .OrderBy(e => e.Key)
                .Select(e => $"0x{e.Key:x16} {e.Value.Bytes} bytes '{PoolTags.ToString(e.Value.Tag)}'")];
        }
    }

    /// <summary>What a driver image holds now, split by pool: pool tracking's current counts (!verifier).</summary>
    internal (long PagedCount, long PagedBytes, long NonPagedCount, long NonPagedBytes) PoolOwnedTotals(LoadedModule module)
    {
        long pagedCount = 0, pagedBytes = 0, nonPagedCount = 0, nonPagedBytes = 0;
        lock (_driverAllocations)
        {
            foreach (var (address, owner) in _driverAllocations)
            {
                if (owner.Module != module)
                {
                    continue;
                }

                // A special-pool block is paged or not as it was asked for, wherever its page lies.
                if (PagedRegion.Contains(address) || SpecialPoolEntryAt(address) is { Paged: true })
                {
                    pagedCount++;
                    pagedBytes += (long)owner.Bytes;
                }
                else
                {
                    nonPagedCount++;
                    nonPagedBytes += (long)owner.Bytes;
                }
            }
        }

        return (pagedCount, pagedBytes, nonPagedCount, nonPagedBytes);
    }
}
