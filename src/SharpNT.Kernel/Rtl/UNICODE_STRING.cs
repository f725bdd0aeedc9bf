using System.Diagnostics;

namespace SharpNT.Kernel;

/// <summary>
/// A counted UTF-16 string as NT passes names (ntdef.h UNICODE_STRING). Length and MaximumLength count
/// bytes; Buffer holds the characters (a managed string here), of which the first Length / 2 are the
/// value. MaximumLength is the capacity the owner of the buffer gave: routines that write into the string
/// (RtlCopyUnicodeString, RtlAppendUnicodeToString) respect it as they would a real buffer.
/// </summary>
[DebuggerDisplay("{ToString()}")]
public struct UNICODE_STRING : IEquatable<UNICODE_STRING>
{
    /// <summary>The largest byte count a USHORT holds in whole WCHARs.</summary>
    internal const ushort MaxLength = 0xFFFE;

    /// <summary>RtlInitUnicodeString's limit: UNICODE_STRING_MAX_CHARS (32767) characters, less the terminator.</summary>
    internal const ushort MaxInitLength = 0xFFFC;

    /// <summary>The length of the value, in bytes, not counting any terminating NUL.</summary>
    public ushort Length;

    /// <summary>The capacity of the buffer, in bytes.</summary>
    public ushort MaximumLength;

    /// <summary>The characters; null for an empty string with no buffer.</summary>
    public string? Buffer;

    /// <summary>RtlInitUnicodeString: the whole of <paramref name="value"/>, MaximumLength counting the NUL.</summary>
    public UNICODE_STRING(string? value)
    {
        Init(out this, value);
    }

    /// <summary>The value: the first Length / 2 characters of Buffer.</summary>
    public readonly string Value
    {
        get
        {
            if (Buffer is null || Length == 0)
            {
                return string.Empty;
            }

            var chars = Length / 2;
            return chars >= Buffer.Length ? Buffer : Buffer[..chars];
        }
    }

    /// <summary>The value as a span, without copying.</summary>
    internal readonly ReadOnlySpan<char> AsSpan()
    {
        if (Buffer is null)
        {
            return [];
        }

        return Buffer.AsSpan(0, Math.Min(Length / 2, Buffer.Length));
    }

    /// <summary>RtlInitUnicodeString: Length is the string's size; MaximumLength adds the terminating NUL.</summary>
    internal static void Init(out UNICODE_STRING destination, string? source)
    {
        if (source is null)
        {
            destination = default;
            return;
        }

        var bytes = Math.Min(source.Length * 2, MaxInitLength);
        destination = new UNICODE_STRING
        {
            Buffer = source,
            Length = (ushort)bytes,
            MaximumLength = (ushort)(bytes + 2),
        };
    }

    /// <summary>RtlInitEmptyUnicodeString: an empty string with a buffer of <paramref name="bufferSize"/> bytes.</summary>
    internal static void InitEmpty(out UNICODE_STRING destination, ushort bufferSize) =>
        destination = new UNICODE_STRING { Buffer = string.Empty, Length = 0, MaximumLength = bufferSize };

    /// <summary>
    /// RtlCopyUnicodeString: copies as much of <paramref name="source"/> as the destination's buffer holds
    /// (MaximumLength); a null source makes the destination empty.
    /// </summary>
    internal static void Copy(ref UNICODE_STRING destination, UNICODE_STRING? source)
    {
        if (source is not { } s)
        {
            destination.Length = 0;
            return;
        }

        var bytes = Math.Min(s.Length, destination.MaximumLength) & ~1;
        destination.Buffer = s.AsSpan()[..(bytes / 2)].ToString();
        destination.Length = (ushort)bytes;
    }

    /// <summary>
    /// RtlAppendUnicodeToString: appends a NUL-terminated string; STATUS_BUFFER_TOO_SMALL when the
    /// destination's MaximumLength cannot hold the result, and then the destination is unchanged.
    /// </summary>
    internal static NTSTATUS Append(ref UNICODE_STRING destination, ReadOnlySpan<char> source)
    {
        var newLength = destination.Length + (source.Length * 2);
        if (newLength > destination.MaximumLength)
        {
            return NTSTATUS.STATUS_BUFFER_TOO_SMALL;
        }

        destination.Buffer = string.Concat(destination.AsSpan(), source);
        destination.Length = (ushort)newLength;
        return NTSTATUS.STATUS_SUCCESS;
    }

    /// <summary>
    /// RtlCompareUnicodeString: negative, zero or positive as <paramref name="string1"/> sorts before,
    /// equal to or after <paramref name="string2"/>, comparing upcased characters when asked; a string
    /// that is a prefix of the other sorts first.
    /// </summary>
    internal static int Compare(UNICODE_STRING string1, UNICODE_STRING string2, bool caseInSensitive)
    {
        var a = string1.AsSpan();
        var b = string2.AsSpan();
        var n = Math.Min(a.Length, b.Length);
        for (var i = 0; i < n; i++)
        {
            var x = a[i];
            var y = b[i];
            if (caseInSensitive)
            {
                x = char.ToUpperInvariant(x);
                y = char.ToUpperInvariant(y);
            }

            if (x != y)
            {
                return x - y;
            }
        }

        return a.Length - b.Length;
    }

    /// <summary>RtlEqualUnicodeString: equal lengths and equal characters (upcased when asked).</summary>
    internal static bool AreEqual(UNICODE_STRING string1, UNICODE_STRING string2, bool caseInSensitive) =>
        string1.Length == string2.Length && Compare(string1, string2, caseInSensitive) == 0;

    /// <summary>RtlPrefixUnicodeString: whether <paramref name="string1"/> is a prefix of <paramref name="string2"/>.</summary>
    internal static bool IsPrefix(UNICODE_STRING string1, UNICODE_STRING string2, bool caseInSensitive)
    {
        var prefix = string1.AsSpan();
        var whole = string2.AsSpan();
        if (prefix.Length > whole.Length)
        {
            return false;
        }

        return caseInSensitive
            ? whole[..prefix.Length].Equals(prefix, StringComparison.OrdinalIgnoreCase)
            : whole[..prefix.Length].SequenceEqual(prefix);
    }

    public static implicit operator UNICODE_STRING(string? value) => new(value);

    public static UNICODE_STRING FromString(string? value) => new(value);

    /// <summary>Value equality of the counted characters (case-sensitive), as RtlEqualUnicodeString(FALSE).</summary>
    public readonly bool Equals(UNICODE_STRING other) => AreEqual(this, other, caseInSensitive: false);

    public override readonly bool Equals(object? obj) => obj is UNICODE_STRING other && Equals(other);

    public override readonly int GetHashCode() => string.GetHashCode(AsSpan(), StringComparison.Ordinal);

    public static bool operator ==(UNICODE_STRING left, UNICODE_STRING right) => left.Equals(right);

    public static bool operator !=(UNICODE_STRING left, UNICODE_STRING right) => !left.Equals(right);

    public override readonly string ToString() => Value;
}
