namespace SharpNT.Kernel.Cm;

/// <summary>
/// How NT compares registry key and value names: case-insensitively by upcasing each UTF-16 unit
/// (RtlUpcaseUnicodeChar) and comparing the results ordinally, a shorter name first when it is a prefix.
/// Subkey indexes are kept sorted in this order, which is the order ZwEnumerateKey returns.
/// </summary>
internal sealed class CmNameComparer : IComparer<string>, IEqualityComparer<string>, IAlternateEqualityComparer<ReadOnlySpan<char>, string>
{
    /// <summary>The comparer holds no state, so one instance serves every machine.</summary>
    internal static readonly CmNameComparer Instance = new();

    private CmNameComparer()
    {
    }

    public int Compare(string? x, string? y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }

        if (x is null)
        {
            return -1;
        }

        return y is null ? 1 : Compare(x.AsSpan(), y.AsSpan());
    }

    public static int Compare(ReadOnlySpan<char> x, ReadOnlySpan<char> y)
    {
        var length = Math.Min(x.Length, y.Length);
        for (var i = 0; i < length; i++)
        {
            var a = char.ToUpperInvariant(x[i]);
            var b = char.ToUpperInvariant(y[i]);
            if (a != b)
            {
                return a < b ? -1 : 1;
            }
        }

        return x.Length.CompareTo(y.Length);
    }

    public bool Equals(string? x, string? y) =>
        x is null || y is null ? ReferenceEquals(x, y) : Equals(x.AsSpan(), y);

    public bool Equals(ReadOnlySpan<char> alternate, string other) =>
        alternate.Length == other.Length && Compare(alternate, other.AsSpan()) == 0;

    public int GetHashCode(string obj) => GetHashCode(obj.AsSpan());

    public int GetHashCode(ReadOnlySpan<char> alternate)
    {
        var hash = new HashCode();
        foreach (var c in alternate)
        {
            hash.Add(char.ToUpperInvariant(c));
        }

        return hash.ToHashCode();
    }

    public string Create(ReadOnlySpan<char> alternate) => alternate.ToString();
}
