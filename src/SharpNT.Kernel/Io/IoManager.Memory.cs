using SharpNT.Kernel.Mm;

namespace SharpNT.Kernel.Io;

internal sealed partial class IoManager
{
    /// <summary>Zeroed nonpaged pool for the I/O manager's own objects; 0 when none is left.</summary>
    private ulong AllocateNonPaged(ulong size, uint tag) => Mm.AllocatePool2(PoolFlags.POOL_FLAG_NON_PAGED, size, tag);

    private void FreePool(ulong address) => Mm.FreePool(address, 0);

    /// <summary>Pool a driver's image allocated and has not freed by the time it unloads.</summary>
    private IReadOnlyList<string> PoolLeftBy(LoadedModule module) => Mm.PoolOwnedBy(module);
}
