namespace SharpNT.Kernel.Mm;

/// <summary>
/// The machine's loaded module list. The kernel image sits at the classic x64 base; drivers are placed in
/// the system image range above it in load order.
/// </summary>
internal sealed class ModuleList
{
    internal const ulong KernelImageBase = 0xFFFFF800_00400000UL;
    internal const ulong DriverImageBase = 0xFFFFF880_01000000UL;

    private readonly List<LoadedModule> _modules = [];
    private ulong _nextDriverBase = DriverImageBase;

    public ModuleList()
    {
        Kernel = new LoadedModule("ntoskrnl.exe", KernelImageBase, 0x00800000);
        _modules.Add(Kernel);
        Hal = Load("hal.dll", 0x00080000);
    }

    public LoadedModule Kernel { get; }

    public LoadedModule Hal { get; }

    public LoadedModule Load(string name, uint size = 0x00020000)
    {
        lock (_modules)
        {
            // 64 KiB-aligned image bases, as the memory manager places system images.
            var module = new LoadedModule(name, _nextDriverBase, size);
            _nextDriverBase += (size + 0xFFFFUL) & ~0xFFFFUL;
            _modules.Add(module);
            return module;
        }
    }

    public LoadedModule? Find(ulong address)
    {
        lock (_modules)
        {
            foreach (var module in _modules)
            {
                if (module.Contains(address))
                {
                    return module;
                }
            }

            return null;
        }
    }

    public LoadedModule? Find(string name)
    {
        lock (_modules)
        {
            return _modules.Find(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase));
        }
    }

    public IReadOnlyList<LoadedModule> Snapshot()
    {
        lock (_modules)
        {
            return [.. _modules];
        }
    }

    public string Symbolize(ulong address) =>
        Find(address)?.Symbolize(address) ?? $"0x{address:x16}";
}
