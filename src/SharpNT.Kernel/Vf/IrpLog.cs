namespace SharpNT.Kernel.Vf;

/// <summary>The IRP log of one device: a ring of the last <see cref="Capacity"/> IRPs it was sent.</summary>
internal sealed class IrpLog
{
    /// <summary>Entries kept per device; older ones are overwritten.</summary>
    internal const int Capacity = 32;

    private readonly IrpLogEntry?[] _entries = new IrpLogEntry?[Capacity];
    private long _count;

    /// <summary>Appends an entry (caller holds the verifier's I/O lock); returns its sequence number.</summary>
    internal long Add(IrpLogEntry entry)
    {
        _entries[_count % Capacity] = entry;
        return _count++;
    }

    /// <summary>Records the status the dispatch routine returned in entry <paramref name="sequence"/>, if the ring still holds it.</summary>
    internal void SetStatus(long sequence, NTSTATUS status)
    {
        if (sequence >= 0 && sequence >= _count - Capacity && _entries[sequence % Capacity] is { } old)
        {
            _entries[sequence % Capacity] = old with { Status = status };
        }
    }

    /// <summary>The entries, oldest first.</summary>
    internal IReadOnlyList<IrpLogEntry> Snapshot()
    {
        var first = Math.Max(0, _count - Capacity);
        var list = new List<IrpLogEntry>((int)(_count - first));
        for (var i = first; i < _count; i++)
        {
            list.Add(_entries[i % Capacity]!);
        }

        return list;
    }
}
