using SharpNT.Kernel.Ke;
using SharpNT.Kernel.Mm;
using SharpNT.Kernel.Vf;

namespace SharpNT.Kernel.Kd;

/// <summary>
/// What the debugger engine reads: a live machine (<see cref="LiveTarget"/>) or a crash dump
/// (<see cref="DumpTarget"/>). The commands format what a target answers, so both give the same output.
/// A list that is null is data the target does not have (a dump written before it was recorded).
/// </summary>
internal abstract class DebugTarget
{
    /// <summary>"live machine" or "crash dump", for messages.</summary>
    internal abstract string Kind { get; }

    /// <summary>The bug check that stopped the machine, or null if it is running (broken in).</summary>
    internal abstract BugCheckInfo? BugCheck { get; }

    internal abstract IReadOnlyList<ModuleSnapshot> Modules { get; }

    internal abstract IReadOnlyList<ProcessorSnapshot> Processors { get; }

    /// <summary>The current thread's stack, innermost frame first.</summary>
    internal abstract IReadOnlyList<StackFrameSnapshot> Stack { get; }

    /// <summary>The processor the debugger is on (the crashing one after a bug check).</summary>
    internal abstract int CurrentProcessor { get; }

    internal abstract IReadOnlyList<PoolTagUsage> PoolUsage { get; }

    internal abstract IReadOnlyList<KdDriver>? Drivers { get; }

    internal abstract IReadOnlyList<KdDevice>? Devices { get; }

    /// <summary>IRPs allocated and not freed (what !irpfind finds in nonpaged pool).</summary>
    internal abstract IReadOnlyList<KdIrp>? Irps { get; }

    /// <summary>Every object in the namespace.</summary>
    internal abstract IReadOnlyList<KdObject>? Objects { get; }

    /// <summary>Pool pages in use (small-block pages and the first page of each big allocation).</summary>
    internal abstract IReadOnlyList<KdPoolPage>? PoolPages { get; }

    internal abstract VerifierStatus? Verifier { get; }

    /// <summary>The device tree, parents before children (null when the target does not carry it).</summary>
    internal virtual IReadOnlyList<KdDevNode>? DevNodes => null;

    internal virtual KdDevice? Device(ulong address) => Devices?.FirstOrDefault(d => d.Address == address);

    internal virtual KdDriver? Driver(ulong address) => Drivers?.FirstOrDefault(d => d.Address == address);

    internal virtual KdIrp? Irp(ulong address) => Irps?.FirstOrDefault(i => i.Address == address);

    internal virtual KdObject? Object(ulong address) =>
        Objects?.FirstOrDefault(o => o.Address == address || o.HeaderAddress == address);

    /// <summary>The object with this full name ("\??" already turned into "\GLOBAL??").</summary>
    internal virtual KdObject? Object(string path) =>
        Objects?.FirstOrDefault(o => string.Equals(o.Path, path, StringComparison.OrdinalIgnoreCase));

    /// <summary>The pool page holding <paramref name="address"/> (a big allocation answers for each of its pages).</summary>
    internal virtual KdPoolPage? PoolPage(ulong address)
    {
        var page = address & ~(ulong)(MemoryManager.PAGE_SIZE - 1);
        return PoolPages?.FirstOrDefault(p => p.Address == page
            || (p.BigPages > 0 && address >= p.BigStart && address < p.BigStart + ((ulong)p.BigPages << MemoryManager.PAGE_SHIFT)));
    }

    /// <summary>The device with this name (\Device\X, or X alone).</summary>
    internal KdDevice? Device(string name)
    {
        var full = name.StartsWith('\\') ? name : @"\Device\" + name;
        return Devices?.FirstOrDefault(d => string.Equals(d.Name, full, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The driver with this name (\Driver\x, or x alone, as !drvobj assumes the prefix).</summary>
    internal KdDriver? Driver(string name)
    {
        var full = name.StartsWith('\\') ? name : @"\Driver\" + name;
        return Drivers?.FirstOrDefault(d => string.Equals(d.Name, full, StringComparison.OrdinalIgnoreCase));
    }
}
