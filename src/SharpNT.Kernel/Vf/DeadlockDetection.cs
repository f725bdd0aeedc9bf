using SharpNT.Kernel.Ke;

namespace SharpNT.Kernel.Vf;

/// <summary>
/// Driver Verifier's deadlock detection (0x20): a graph of the order in which verified drivers take spin
/// locks and mutexes. Taking lock B while holding A records the edge A -> B; a later acquisition that
/// would close a cycle (taking A while holding B) is a lock hierarchy violation, 0xC4 subcode 0x1001, even
/// if the two threads never actually meet. Also: recursive acquisition of a spin lock (0x1000), acquiring
/// a spin lock never initialized (0x1002), and releasing a raised spin lock while a later one is still held
/// (0x1003), which would lower the IRQL under the later lock.
/// </summary>
internal sealed class DeadlockDetection(Machine machine)
{
    internal const ulong SelfDeadlock = 0x1000;
    internal const ulong HierarchyViolation = 0x1001;
    internal const ulong UninitializedResource = 0x1002;
    internal const ulong UnexpectedRelease = 0x1003;

    private readonly Lock _lock = new();

    /// <summary>Lock -> the locks that have been taken while it was held.</summary>
    private readonly Dictionary<ulong, HashSet<ulong>> _after = [];

    /// <summary>The locks each thread holds (verified acquisitions), in acquisition order.</summary>
    private readonly Dictionary<KTHREAD, List<ulong>> _held = [];

    /// <summary>
    /// Before <paramref name="thread"/> acquires <paramref name="resource"/>: checks the acquisition against
    /// the graph, then records it. <paramref name="recursive"/>: the lock may be taken again by its owner
    /// (a KMUTEX); a recursive acquisition then changes nothing.
    /// </summary>
    internal void OnAcquire(KTHREAD thread, ulong resource, bool recursive)
    {
        if (resource == 0)
        {
            machine.BugCheck.Raise(BugCheckCode.DRIVER_VERIFIER_DETECTED_VIOLATION, UninitializedResource, resource, 0, 0);
        }

        lock (_lock)
        {
            if (!_held.TryGetValue(thread, out var held))
            {
                held = [];
                _held[thread] = held;
            }

            if (held.Contains(resource))
            {
                if (recursive)
                {
                    return;
                }

                machine.BugCheck.Raise(BugCheckCode.DRIVER_VERIFIER_DETECTED_VIOLATION, SelfDeadlock, resource, 0, 0);
            }

            foreach (var h in held)
            {
                if (Reaches(resource, h))
                {
                    // Somewhere resource was held while h was taken; now h is held while resource is taken.
                    machine.BugCheck.Raise(BugCheckCode.DRIVER_VERIFIER_DETECTED_VIOLATION, HierarchyViolation, resource, 0, 0);
                }
            }

            foreach (var h in held)
            {
                if (!_after.TryGetValue(h, out var next))
                {
                    next = [];
                    _after[h] = next;
                }

                next.Add(resource);
            }

            held.Add(resource);
        }
    }

    /// <summary>
    /// <paramref name="thread"/> releases <paramref name="resource"/>. <paramref name="restoresIrql"/>: the
    /// release lowers the IRQL to what it was before the acquisition (KeReleaseSpinLock), which is wrong
    /// while a lock taken later is still held.
    /// </summary>
    internal void OnRelease(KTHREAD thread, ulong resource, bool restoresIrql)
    {
        lock (_lock)
        {
            if (!_held.TryGetValue(thread, out var held))
            {
                return;
            }

            var index = held.LastIndexOf(resource);
            if (index < 0)
            {
                return;
            }

            if (restoresIrql && index != held.Count - 1)
            {
                machine.BugCheck.Raise(BugCheckCode.DRIVER_VERIFIER_DETECTED_VIOLATION, UnexpectedRelease, resource, held[^1], 0);
            }

            // The emptied list stays with its thread: the next acquisition allocates nothing.
            held.RemoveAt(index);
        }
    }

    /// <summary>Whether the graph has a path from <paramref name="from"/> to <paramref name="to"/> (caller holds the lock).</summary>
    private bool Reaches(ulong from, ulong to)
    {
        var seen = new HashSet<ulong>();
        var work = new Stack<ulong>();
        work.Push(from);
        while (work.TryPop(out var node))
        {
            if (node == to)
            {
                return true;
            }

            if (seen.Add(node) && _after.TryGetValue(node, out var next))
            {
                foreach (var n in next)
                {
                    work.Push(n);
                }
            }
        }

        return false;
    }
}
