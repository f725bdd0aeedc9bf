using System.Diagnostics;

namespace SharpNT.Kernel.Mm;

/// <summary>
/// One entry of the loaded module list (PsLoadedModuleList's KLDR_DATA_TABLE_ENTRY): a driver or the
/// kernel image, with the range of system address space its code is said to occupy. Managed routines get
/// addresses inside that range so that a faulting instruction address names its driver, as on NT.
/// </summary>
[DebuggerDisplay("{Name} {Base:X16} size {Size:X}")]
public sealed class LoadedModule
{
    private readonly Dictionary<string, ulong> _routines = new(StringComparer.Ordinal);
    private ulong _nextRoutine;

    internal LoadedModule(string name, ulong @base, uint size)
    {
        Name = name;
        Base = @base;
        Size = size;
        // Routines start past the headers, 16-byte aligned like compiled functions.
        _nextRoutine = @base + 0x1000;
    }

    /// <summary>The image name, e.g. "ntoskrnl.exe" or "sample.sys".</summary>
    public string Name { get; }

    public ulong Base { get; }

    public uint Size { get; }

    /// <summary>True once the driver has been unloaded; the entry stays for the debugger's unloaded list.</summary>
    public bool Unloaded { get; internal set; }

    public bool Contains(ulong address) => address >= Base && address < Base + Size;

    /// <summary>
    /// The address of a named routine of this image; the same name always gets the same address, so a
    /// crash names the same instruction on every run with the same seed.
    /// </summary>
    internal ulong RoutineAddress(string routine)
    {
        lock (_routines)
        {
            if (_routines.TryGetValue(routine, out var address))
            {
                return address;
            }

            address = _nextRoutine;
            _nextRoutine += 0x40;
            if (_nextRoutine >= Base + Size)
            {
                _nextRoutine = Base + 0x1000;
            }

            _routines.Add(routine, address);
            return address;
        }
    }

    /// <summary>The symbolic form the debugger prints: module!routine+offset.</summary>
    internal string Symbolize(ulong address)
    {
        lock (_routines)
        {
            string? best = null;
            ulong bestAddress = 0;
            foreach (var (name, routine) in _routines)
            {
                if (routine <= address && routine >= bestAddress)
                {
                    best = name;
                    bestAddress = routine;
                }
            }

            var module = Path.GetFileNameWithoutExtension(Name);
            return best is null
                ? $"{module}+0x{address - Base:x}"
                : address == bestAddress ? $"{module}!{best}" : $"{module}!{best}+0x{address - bestAddress:x}";
        }
    }
}
