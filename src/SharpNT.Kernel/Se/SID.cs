using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace SharpNT.Kernel.Se;

/// <summary>
/// A security identifier (winnt.h SID): revision 1, a 48-bit identifier authority and up to
/// SID_MAX_SUB_AUTHORITIES 32-bit sub-authorities, the last of which is the relative identifier (RID).
/// Immutable and compared by value, as RtlEqualSid compares.
/// </summary>
[DebuggerDisplay("{ToString(),nq}")]
public sealed class SID : IEquatable<SID>
{
    /// <summary>SID_REVISION: the only revision NT knows.</summary>
    public const byte SID_REVISION = 1;

    /// <summary>SID_MAX_SUB_AUTHORITIES.</summary>
    public const int SID_MAX_SUB_AUTHORITIES = 15;

    /// <summary>The largest identifier authority (six bytes).</summary>
    public const ulong MaxIdentifierAuthority = 0xFFFF_FFFF_FFFFUL;

    private readonly uint[] _subAuthorities;

    /// <summary>
    /// Builds a SID (RtlInitializeSid plus the sub-authorities). Throws for more than 15 sub-authorities or an
    /// authority wider than 48 bits: that is a caller's programming error, not input to validate.
    /// </summary>
    public SID(ulong identifierAuthority, params uint[] subAuthorities)
    {
        ArgumentNullException.ThrowIfNull(subAuthorities);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(identifierAuthority, MaxIdentifierAuthority);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(subAuthorities.Length, SID_MAX_SUB_AUTHORITIES);
        IdentifierAuthority = identifierAuthority;
        _subAuthorities = (uint[])subAuthorities.Clone();
    }

    /// <summary>SID.Revision.</summary>
    public byte Revision => SID_REVISION;

    /// <summary>SID.IdentifierAuthority as a number (SECURITY_NT_AUTHORITY is 5).</summary>
    public ulong IdentifierAuthority { get; }

    /// <summary>SID.SubAuthorityCount.</summary>
    public int SubAuthorityCount => _subAuthorities.Length;

    /// <summary>SID.SubAuthority.</summary>
    public IReadOnlyList<uint> SubAuthorities => _subAuthorities;

    /// <summary>The relative identifier: the last sub-authority (0 when there is none).</summary>
    public uint Rid => _subAuthorities.Length == 0 ? 0 : _subAuthorities[^1];

    /// <summary>RtlLengthSid: 8 bytes of header and authority, four per sub-authority.</summary>
    public int Length => 8 + (4 * _subAuthorities.Length);

    /// <summary>Builds the SID of an account in this domain: this SID with <paramref name="rid"/> appended.</summary>
    public SID WithRid(uint rid) => new(IdentifierAuthority, [.. _subAuthorities, rid]);

    /// <summary>
    /// Parses the "S-1-authority-sub1-sub2..." form ConvertStringSidToSid accepts: revision 1, the authority
    /// in decimal (or 0x and hex for values of 2^32 and up), 0 to 15 decimal 32-bit sub-authorities.
    /// </summary>
    public static bool TryParse(string? text, out SID? sid)
    {
        sid = null;
        if (string.IsNullOrEmpty(text) || text.Length < 4 || (text[0] != 'S' && text[0] != 's') || text[1] != '-')
        {
            return false;
        }

        var parts = text[2..].Split('-');
        if (parts.Length < 2 || parts.Length > 2 + SID_MAX_SUB_AUTHORITIES || parts[0] != "1")
        {
            return false;
        }

        if (!TryParseAuthority(parts[1], out var authority))
        {
            return false;
        }

        var subs = new uint[parts.Length - 2];
        for (var i = 0; i < subs.Length; i++)
        {
            if (!IsDecimal(parts[i + 2])
                || !uint.TryParse(parts[i + 2], NumberStyles.None, CultureInfo.InvariantCulture, out subs[i]))
            {
                return false;
            }
        }

        sid = new SID(authority, subs);
        return true;
    }

    /// <summary>Parses a SID string; <see cref="FormatException"/> when it is malformed.</summary>
    public static SID Parse(string text) =>
        TryParse(text, out var sid) ? sid! : throw new FormatException($"'{text}' is not a SID string");

    /// <summary>The "S-1-..." form (RtlConvertSidToUnicodeString).</summary>
    public override string ToString()
    {
        var sb = new StringBuilder("S-1-");
        if (IdentifierAuthority > uint.MaxValue)
        {
            sb.Append(CultureInfo.InvariantCulture, $"0x{IdentifierAuthority:X12}");
        }
        else
        {
            sb.Append(IdentifierAuthority.ToString(CultureInfo.InvariantCulture));
        }

        foreach (var sub in _subAuthorities)
        {
            sb.Append('-').Append(sub.ToString(CultureInfo.InvariantCulture));
        }

        return sb.ToString();
    }

    /// <summary>RtlEqualSid.</summary>
    public bool Equals(SID? other) =>
        other is not null && IdentifierAuthority == other.IdentifierAuthority
        && _subAuthorities.AsSpan().SequenceEqual(other._subAuthorities);

    /// <summary>RtlEqualPrefixSid: the same authority and the same sub-authorities but the last.</summary>
    public bool EqualPrefix(SID other) =>
        IdentifierAuthority == other.IdentifierAuthority && SubAuthorityCount == other.SubAuthorityCount
        && _subAuthorities.AsSpan(0, Math.Max(0, SubAuthorityCount - 1))
            .SequenceEqual(other._subAuthorities.AsSpan(0, Math.Max(0, SubAuthorityCount - 1)));

    public override bool Equals(object? obj) => Equals(obj as SID);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(IdentifierAuthority);
        foreach (var sub in _subAuthorities)
        {
            hash.Add(sub);
        }

        return hash.ToHashCode();
    }

    public static bool operator ==(SID? left, SID? right) => left?.Equals(right) ?? right is null;

    public static bool operator !=(SID? left, SID? right) => !(left == right);

    private static bool TryParseAuthority(string text, out ulong authority)
    {
        authority = 0;
        if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            var hex = text[2..];
            return hex.Length is > 0 and <= 12 && hex.All(Uri.IsHexDigit)
                && ulong.TryParse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out authority);
        }

        return IsDecimal(text) && ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out authority)
            && authority <= MaxIdentifierAuthority;
    }

    private static bool IsDecimal(string text) => text.Length > 0 && text.All(char.IsAsciiDigit);
}
