using System.Diagnostics;
using System.Text;

namespace SharpNT.Kernel.Cm;

/// <summary>
/// A registry key: the object a key handle refers to (the object manager's "Key" type). It keeps its
/// subkeys in two name-sorted indexes, stable then volatile, as NT's key node does, and its values in the
/// order they were first set. Every member is read and changed only under the owning
/// <see cref="ConfigurationManager"/>'s lock.
/// </summary>
[DebuggerDisplay("Key {FullPath,nq}{IsDeleted ? \" (deleted)\" : \"\",nq}")]
internal sealed class CmKey
{
    private readonly SortedList<string, CmKey> _stableSubkeys = new(CmNameComparer.Instance);
    private readonly SortedList<string, CmKey> _volatileSubkeys = new(CmNameComparer.Instance);
    private readonly List<CmValue> _values = [];
    private readonly Dictionary<string, CmKey> _subkeysByName = new(CmNameComparer.Instance);
    private readonly Dictionary<string, CmKey>.AlternateLookup<ReadOnlySpan<char>> _subkeysBySpan;

    internal CmKey(ConfigurationManager owner, CmKey? parent, string name, CmKeyFlags flags, string? @class, long lastWriteTime)
    {
        Owner = owner;
        Parent = parent;
        Name = name;
        Flags = flags;
        Class = string.IsNullOrEmpty(@class) ? null : @class;
        LastWriteTime = lastWriteTime;
        _subkeysBySpan = _subkeysByName.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>The registry this key belongs to.</summary>
    internal ConfigurationManager Owner { get; }

    /// <summary>The parent key; null for \REGISTRY. A deleted key keeps it, so its name can still be shown.</summary>
    internal CmKey? Parent { get; }

    /// <summary>The last component of the key's path, in the case it was created with.</summary>
    internal string Name { get; }

    internal CmKeyFlags Flags { get; }

    /// <summary>The class string given to ZwCreateKey, if any.</summary>
    internal string? Class { get; }

    /// <summary>When the key, its values or its list of subkeys last changed (system time, 100 ns since 1601).</summary>
    internal long LastWriteTime { get; set; }

    /// <summary>Set by ZwDeleteKey: every operation through a handle to it then fails with STATUS_KEY_DELETED.</summary>
    internal bool IsDeleted { get; set; }

    internal bool IsVolatile => (Flags & CmKeyFlags.Volatile) != 0;

    internal bool IsSymbolicLink => (Flags & CmKeyFlags.SymbolicLink) != 0;

    internal bool IsNoDelete => (Flags & CmKeyFlags.NoDelete) != 0;

    internal bool IsMaster => (Flags & CmKeyFlags.Master) != 0;

    /// <summary>The key's full NT path, e.g. \REGISTRY\MACHINE\SYSTEM\ControlSet001.</summary>
    internal string FullPath
    {
        get
        {
            var names = new List<string>();
            for (var k = this; k is not null; k = k.Parent)
            {
                names.Add(k.Name);
            }

            var sb = new StringBuilder();
            for (var i = names.Count - 1; i >= 0; i--)
            {
                sb.Append('\\').Append(names[i]);
            }

            return sb.ToString();
        }
    }

    internal int SubkeyCount => _stableSubkeys.Count + _volatileSubkeys.Count;

    internal int StableSubkeyCount => _stableSubkeys.Count;

    internal IReadOnlyList<CmValue> Values => _values;

    /// <summary>The subkeys in enumeration order: the stable ones sorted by name, then the volatile ones.</summary>
    internal IEnumerable<CmKey> Subkeys => _stableSubkeys.Values.Concat(_volatileSubkeys.Values);

    /// <summary>The non-volatile subkeys sorted by name: what a save writes.</summary>
    internal IList<CmKey> StableSubkeys => _stableSubkeys.Values;

    /// <summary>The subkey with this name (compared as NT compares names), or null.</summary>
    internal CmKey? FindSubkey(ReadOnlySpan<char> name) => _subkeysBySpan.TryGetValue(name, out var k) ? k : null;

    /// <summary>The subkey at an enumeration index (ZwEnumerateKey's Index), or null past the end.</summary>
    internal CmKey? SubkeyAt(int index)
    {
        if (index < 0)
        {
            return null;
        }

        if (index < _stableSubkeys.Count)
        {
            return _stableSubkeys.Values[index];
        }

        index -= _stableSubkeys.Count;
        return index < _volatileSubkeys.Count ? _volatileSubkeys.Values[index] : null;
    }

    internal void AddSubkey(CmKey child)
    {
        Debug.Assert(child.Parent == this && FindSubkey(child.Name) is null);
        (child.IsVolatile ? _volatileSubkeys : _stableSubkeys).Add(child.Name, child);
        _subkeysByName.Add(child.Name, child);
    }

    internal void RemoveSubkey(CmKey child)
    {
        var removed = (child.IsVolatile ? _volatileSubkeys : _stableSubkeys).Remove(child.Name);
        removed &= _subkeysByName.Remove(child.Name);
        Debug.Assert(removed);
    }

    /// <summary>The position of the value named <paramref name="name"/> (case-insensitive), or -1.</summary>
    internal int FindValueIndex(ReadOnlySpan<char> name)
    {
        for (var i = 0; i < _values.Count; i++)
        {
            if (CmNameComparer.Instance.Equals(name, _values[i].Name))
            {
                return i;
            }
        }

        return -1;
    }

    internal CmValue? FindValue(ReadOnlySpan<char> name) => FindValueIndex(name) is var i and >= 0 ? _values[i] : null;

    internal void ReplaceValueAt(int index, CmValue value) => _values[index] = value;

    internal void InsertValueAt(int index, CmValue value) => _values.Insert(index, value);

    internal void RemoveValueAt(int index) => _values.RemoveAt(index);

    /// <summary>The target path of a symbolic link key, if its SymbolicLinkValue is a REG_LINK.</summary>
    internal string? LinkTarget =>
        FindValue(RegConstants.SymbolicLinkValueName) is { Type: RegConstants.REG_LINK } v ? v.AsString() : null;

    [Conditional("DEBUG")]
    internal void AssertInvariants()
    {
        Debug.Assert(!_stableSubkeys.Values.Any(k => k.IsVolatile), "a stable index holds a volatile key");
        Debug.Assert(_volatileSubkeys.Values.All(k => k.IsVolatile), "a volatile index holds a stable key");
        Debug.Assert(!IsVolatile || IsMaster || _stableSubkeys.Count == 0, "a volatile key has a stable child");
        Debug.Assert(_values.Select(v => v.Name).Distinct(CmNameComparer.Instance).Count() == _values.Count, "duplicate value names");
    }
}
