using System.Diagnostics;

namespace SharpNT.Kernel.Ob;

/// <summary>
/// An object directory's body (OBJECT_DIRECTORY): named entries. Lookups are case-insensitive or not as
/// each lookup asks; two names that differ only in case can both exist if created case-sensitively.
/// Guarded by the Object Manager's lock.
/// </summary>
[DebuggerDisplay("OBJECT_DIRECTORY {Count} entries")]
internal sealed class OBJECT_DIRECTORY
{
    // Keyed case-insensitively (as NT hashes upcased names); each bucket keeps insertion order.
    private readonly Dictionary<string, List<ObjectHeader>> _entries = new(StringComparer.OrdinalIgnoreCase);
    private int _count;

    internal int Count => _count;

    /// <summary>
    /// ObpLookupEntryDirectory: the entry named <paramref name="name"/>; case-insensitive lookups return the
    /// first entry inserted among those that match.
    /// </summary>
    internal ObjectHeader? Lookup(ReadOnlySpan<char> name, bool caseInsensitive)
    {
        var lookup = _entries.GetAlternateLookup<ReadOnlySpan<char>>();
        if (!lookup.TryGetValue(name, out var bucket))
        {
            return null;
        }

        if (caseInsensitive)
        {
            return bucket[0];
        }

        foreach (var header in bucket)
        {
            if (name.SequenceEqual(header.Name))
            {
                return header;
            }
        }

        return null;
    }

    internal void Insert(ObjectHeader header)
    {
        Debug.Assert(header.Name is not null);
        if (!_entries.TryGetValue(header.Name, out var bucket))
        {
            bucket = new List<ObjectHeader>(1);
            _entries.Add(header.Name, bucket);
        }

        bucket.Add(header);
        _count++;
    }

    internal bool Remove(ObjectHeader header)
    {
        if (header.Name is null || !_entries.TryGetValue(header.Name, out var bucket) || !bucket.Remove(header))
        {
            return false;
        }

        if (bucket.Count == 0)
        {
            _entries.Remove(header.Name);
        }

        _count--;
        return true;
    }

    /// <summary>The entries sorted by name (ordinal, case-insensitive first), as the debugger lists them.</summary>
    internal List<ObjectHeader> Snapshot()
    {
        var all = new List<ObjectHeader>(_count);
        foreach (var bucket in _entries.Values)
        {
            all.AddRange(bucket);
        }

        all.Sort(static (a, b) =>
        {
            var c = StringComparer.OrdinalIgnoreCase.Compare(a.Name, b.Name);
            return c != 0 ? c : StringComparer.Ordinal.Compare(a.Name, b.Name);
        });
        return all;
    }
}
