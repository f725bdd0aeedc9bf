using System.Diagnostics;
using SharpNT.Kernel.Ps;

namespace SharpNT.Kernel.Ob;

/// <summary>
/// A process's handle table (HANDLE_TABLE). Handle values are multiples of 4 starting at 4; the low two
/// bits are ignored on lookup (OBJ_HANDLE_TAGBITS). Freed values are reused oldest first, so a stale
/// handle does not at once name the next object opened. The System process's table is the kernel handle
/// table: kernel handles index it with the kernel bits set.
/// </summary>
[DebuggerDisplay("HandleTable {Owner} handles {Count}")]
internal sealed class HandleTable
{
    /// <summary>The most entries a table holds (NT's limit of 2^24 handles per table).</summary>
    internal const int MaxEntries = 1 << 24;

    private readonly Lock _lock = new();
    private readonly Queue<int> _free = new();
    private HandleTableEntry?[] _entries = new HandleTableEntry?[64];
    private int _next = 1;
    private int _count;

    internal HandleTable(EPROCESS owner, ulong address)
    {
        Owner = owner;
        Address = address;
    }

    internal EPROCESS Owner { get; }

    /// <summary>The table's kernel address (INVALID_KERNEL_HANDLE's second parameter names it).</summary>
    internal ulong Address { get; }

    internal int Count
    {
        get
        {
            lock (_lock)
            {
                return _count;
            }
        }
    }

    /// <summary>Adds an entry and returns its handle value (without kernel bits), or 0 when the table is full.</summary>
    internal ulong Create(HandleTableEntry entry)
    {
        lock (_lock)
        {
            int index;
            if (_free.Count > 0)
            {
                index = _free.Dequeue();
            }
            else
            {
                if (_next >= MaxEntries)
                {
                    return 0;
                }

                index = _next++;
                if (index >= _entries.Length)
                {
                    Array.Resize(ref _entries, _entries.Length * 2);
                }
            }

            _entries[index] = entry;
            _count++;
            return (ulong)index << 2;
        }
    }

    /// <summary>
    /// Looks a handle up and adds a pointer reference to its object while the entry cannot go away, as
    /// ExMapHandleToPointer locks the entry; the caller owns the reference.
    /// </summary>
    internal HandleTableEntry? Reference(ulong value)
    {
        lock (_lock)
        {
            var entry = Find(value);
            if (entry is not null)
            {
                Interlocked.Increment(ref entry.Object.PointerCount);
            }

            return entry;
        }
    }

    internal HandleTableEntry? Lookup(ulong value)
    {
        lock (_lock)
        {
            return Find(value);
        }
    }

    /// <summary>
    /// Removes a handle. A handle with OBJ_PROTECT_CLOSE stays, and <paramref name="protectedFromClose"/>
    /// says so. Returns the removed entry, or null.
    /// </summary>
    internal HandleTableEntry? Remove(ulong value, out bool protectedFromClose)
    {
        lock (_lock)
        {
            protectedFromClose = false;
            var entry = Find(value);
            if (entry is null)
            {
                return null;
            }

            if ((entry.Attributes & OBJECT_ATTRIBUTES.OBJ_PROTECT_CLOSE) != 0)
            {
                protectedFromClose = true;
                return null;
            }

            var index = Index(value);
            _entries[index] = null;
            _free.Enqueue(index);
            _count--;
            return entry;
        }
    }

    /// <summary>ObSetHandleAttributes: replaces a handle's attributes; false if the handle is not valid.</summary>
    internal bool SetAttributes(ulong value, uint attributes)
    {
        lock (_lock)
        {
            var entry = Find(value);
            if (entry is null)
            {
                return false;
            }

            _entries[Index(value)] = entry with { Attributes = attributes };
            return true;
        }
    }

    /// <summary>Every open handle with its value, in handle order (the debugger's !handle).</summary>
    internal List<(ulong Handle, HandleTableEntry Entry)> Snapshot()
    {
        lock (_lock)
        {
            var list = new List<(ulong, HandleTableEntry)>(_count);
            for (var i = 1; i < _next; i++)
            {
                if (_entries[i] is { } e)
                {
                    list.Add(((ulong)i << 2, e));
                }
            }

            return list;
        }
    }

    private static int Index(ulong value) => (int)((value & ~HANDLE.OBJ_HANDLE_TAGBITS) >> 2);

    private HandleTableEntry? Find(ulong value)
    {
        var raw = value & ~HANDLE.OBJ_HANDLE_TAGBITS;
        if (raw == 0 || raw >= (ulong)_next << 2)
        {
            return null;
        }

        return _entries[Index(value)];
    }
}
