using System.Collections;

namespace SharpNT.Kernel;

/// <summary>
/// A list of device IDs with value equality, so that a <see cref="MachineDescription"/> holding one compares equal to
/// another read from the same file.
/// </summary>
public sealed class DeviceIdList(IEnumerable<string> ids) : IReadOnlyList<string>, IEquatable<DeviceIdList>
{
    private readonly string[] _ids = [.. ids];

    public static DeviceIdList Empty { get; } = new([]);

    public int Count => _ids.Length;

    public string this[int index] => _ids[index];

    public bool Equals(DeviceIdList? other) => other is not null && _ids.AsSpan().SequenceEqual(other._ids);

    public override bool Equals(object? obj) => Equals(obj as DeviceIdList);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var id in _ids)
        {
            hash.Add(id, StringComparer.Ordinal);
        }

        return hash.ToHashCode();
    }

    public IEnumerator<string> GetEnumerator() => ((IEnumerable<string>)_ids).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
