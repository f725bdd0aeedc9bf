namespace SharpNT.Kernel.Mm;

/// <summary>The memory manager (Mm): physical frames, address spaces, pools, paging and MDLs.</summary>
internal sealed partial class MemoryManager
{
    private readonly Machine _machine;

    internal MemoryManager(Machine machine, MachineDescription description)
    {
        _machine = machine;
        _ = description;
    }

    internal IReadOnlyList<PoolTagUsage> QueryPoolUsage() => [];
}
