using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using SharpNT.Kernel.Mm;

namespace SharpNT.Kernel.Io;

/// <summary>
/// Code addresses for managed routines. A driver's routine gets an address inside its image when it is
/// stored into a kernel structure (MajorFunction, DriverUnload, a completion routine); the I/O manager
/// reads the address back from memory and calls the routine it stands for. So the structures hold what
/// they hold on NT (addresses), and a native driver can later share a stack with managed ones.
/// </summary>
internal sealed class ThunkTable
{
    private readonly ConcurrentDictionary<ulong, Entry> _byAddress = new();
    private readonly Dictionary<Delegate, ulong> _byDelegate = [];
    private readonly object _lock = new();

    /// <summary>
    /// A direct-mapped cache of recent registrations by delegate identity: drivers register the same
    /// (compiler-cached) delegate on every request, so the common lookup is one array read.
    /// </summary>
    private readonly Recent?[] _recent = new Recent?[64];

    private sealed record Recent(Delegate Routine, ulong Address);

    /// <summary>
    /// One routine's address, with the routine already typed for the two calls on the IRP path (IoCallDriver's
    /// dispatch and IoCompleteRequest's completion routine), so that calling it needs no type test.
    /// </summary>
    internal sealed record Entry(Delegate Routine, LoadedModule Module, string Name, ulong Address)
    {
        internal DRIVER_DISPATCH? Dispatch { get; } = Routine as DRIVER_DISPATCH;

        internal IO_COMPLETION_ROUTINE? Completion { get; } = Routine as IO_COMPLETION_ROUTINE;

        /// <summary>The call frame of this routine, pushed while it runs so that a bug check names its driver.</summary>
        internal Ke.CallFrame Frame => new(Module, Address, Name);
    }

    /// <summary>
    /// The address already standing for <paramref name="routine"/>, from the recent-registration cache only;
    /// 0 if it is not there (the caller then registers it with its module).
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    internal ulong RecentAddress(Delegate routine) =>
        Volatile.Read(ref _recent[RecentSlot(routine)]) is { } recent && ReferenceEquals(recent.Routine, routine) ? recent.Address : 0;

    private int RecentSlot(Delegate routine) => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(routine) & (_recent.Length - 1);

    /// <summary>The address standing for <paramref name="routine"/> as code of <paramref name="module"/>; 0 for null.</summary>
    internal ulong Register(LoadedModule module, Delegate? routine, string? name = null)
    {
        if (routine is null)
        {
            return 0;
        }

        var recentAddress = RecentAddress(routine);
        if (recentAddress != 0)
        {
            return recentAddress;
        }

        var slot = RecentSlot(routine);
        lock (_lock)
        {
            if (_byDelegate.TryGetValue(routine, out var known))
            {
                Volatile.Write(ref _recent[slot], new Recent(routine, known));
                return known;
            }

            var baseName = name ?? RoutineName(routine);
            var candidate = baseName;
            for (var n = 2; ; n++)
            {
                var address = module.RoutineAddress(candidate);
                if (!_byAddress.TryGetValue(address, out var taken))
                {
                    _byAddress[address] = new Entry(routine, module, candidate, address);
                    _byDelegate[routine] = address;
                    return address;
                }

                if (taken.Routine.Equals(routine))
                {
                    _byDelegate[routine] = address;
                    return address;
                }

                candidate = $"{baseName}_{n}";
            }
        }
    }

    internal T? Resolve<T>(ulong address)
        where T : Delegate =>
        address == 0 ? null : Describe(address)?.Routine as T;

    /// <summary>The routine at a code address: a direct-mapped cache in front of the table (entries never change).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal Entry? Describe(ulong address)
    {
        // Routine addresses are 0x40 apart inside 64 KiB-aligned images: mix the image bits in.
        var slot = (int)(((address >> 6) ^ (address >> 16) ^ (address >> 26)) & (ulong)(_byAddressCache.Length - 1));
        if (Volatile.Read(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_byAddressCache), slot)) is { } cached && cached.Address == address)
        {
            return cached;
        }

        if (!_byAddress.TryGetValue(address, out var e))
        {
            return null;
        }

        Volatile.Write(ref _byAddressCache[slot], e);
        return e;
    }

    /// <summary>Entries by a hash of their address; the slot index is masked to the array's (power-of-two) length.</summary>
    private readonly Entry?[] _byAddressCache = new Entry?[1024];

    /// <summary>A readable routine name: the method's name, or for a lambda the method that contains it.</summary>
    private static string RoutineName(Delegate routine)
    {
        var name = routine.Method.Name;
        if (name.StartsWith('<'))
        {
            var end = name.IndexOf('>', StringComparison.Ordinal);
            var local = name.LastIndexOf('|');
            if (local > 0 && name.IndexOf("__", StringComparison.Ordinal) < local)
            {
                // A local function: <Outer>g__Name|n_m
                var start = name.IndexOf("g__", StringComparison.Ordinal);
                if (start > 0)
                {
                    return name[(start + 3)..local];
                }
            }

            return end > 1 ? name[1..end] + "_lambda" : "lambda";
        }

        return name;
    }
}
