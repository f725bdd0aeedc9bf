using System.Text;
using SharpNT.Kernel;

namespace SharpNT.Drivers.Fastfat;

/// <summary>
/// FAT name rules: which long names are legal, when a name fits 8.3 (with NT's lowercase flags), how a
/// short name is made for a long one (fatgen103 "basis-name generation" with a numeric tail), and the
/// short-name checksum that binds long-name entries to their short entry.
/// </summary>
internal static class FatNames
{
    /// <summary>Longest legal component: 255 UTF-16 code units (fatgen103, FsRtlIsHpfsDbcsLegal).</summary>
    public const int MaxLongNameLength = 255;

    // Punctuation legal in a short name besides letters and digits (fatgen103, "Short name" rules).
    private const string ShortNameSpecials = "$%'-_@~`!(){}^#&";

    // Legal in long names but not in short names; basis generation maps them to '_' (lossy).
    private const string LongOnlyCharacters = "+,;=[]";

    private static readonly Encoding s_oem = CodePagesEncodingProvider.Instance.GetEncoding(437) ?? Encoding.Latin1;

    /// <summary>
    /// Checks one path component as NT's FAT checks a long name (FsRtlIsHpfsDbcsLegal): no control
    /// characters, none of <c>" * / : &lt; &gt; ? \ |</c>, not ending in a period or space, at most 255
    /// characters, and not "." or "..".
    /// </summary>
    public static NTSTATUS ValidateLongName(ReadOnlySpan<char> name)
    {
        if (name.IsEmpty || name.Length > MaxLongNameLength)
        {
            return NTSTATUS.STATUS_OBJECT_NAME_INVALID;
        }

        if (name is "." or "..")
        {
            return NTSTATUS.STATUS_OBJECT_NAME_INVALID;
        }

        foreach (var c in name)
        {
            if (c < 0x20 || c is '"' or '*' or '/' or ':' or '<' or '>' or '?' or '\\' or '|')
            {
                return NTSTATUS.STATUS_OBJECT_NAME_INVALID;
            }
        }

        var last = name[^1];
        return last is '.' or ' ' ? NTSTATUS.STATUS_OBJECT_NAME_INVALID : NTSTATUS.STATUS_SUCCESS;
    }

    /// <summary>
    /// Whether <paramref name="name"/> can be stored as a short entry alone: it fits 8.3 with legal short
    /// characters, and each of base and extension is all one case. Windows NT then writes no long-name
    /// entries and records a lowercase base or extension in DIR_NTRes (0x08, 0x10).
    /// </summary>
    public static bool TryMakeShortName(string name, out string rawName, out byte ntFlags)
    {
        rawName = string.Empty;
        ntFlags = 0;
        var dot = name.IndexOf('.', StringComparison.Ordinal);
        var baseName = dot < 0 ? name : name[..dot];
        var extension = dot < 0 ? string.Empty : name[(dot + 1)..];
        if (baseName.Length is 0 or > 8 || extension.Length > 3 || (dot >= 0 && extension.Length == 0)
            || extension.Contains('.', StringComparison.Ordinal))
        {
            return false;
        }

        if (!TryCase(baseName, out var baseLower) || !TryCase(extension, out var extensionLower))
        {
            return false;
        }

        ntFlags = (byte)((baseLower ? FatDirent.NtLowercaseBase : 0) | (extensionLower ? FatDirent.NtLowercaseExtension : 0));
        rawName = baseName.ToUpperInvariant().PadRight(8) + extension.ToUpperInvariant().PadRight(3);
        return true;
    }

    /// <summary>
    /// Makes the short name for a long name (fatgen103 basis-name generation): upper-case, drop spaces and
    /// leading periods, map characters a short name cannot hold to '_', keep 8 characters of the part before
    /// the last period and 3 after it; then, if the name did not survive intact or the basis is taken, add
    /// the first free numeric tail ~1, ~2, ... that <paramref name="isTaken"/> does not refuse.
    /// </summary>
    /// <returns>The raw 11-byte name, or null when every tail up to ~999999 is taken.</returns>
    public static string? GenerateShortName(string longName, Func<string, bool> isTaken)
    {
        var upper = longName.ToUpperInvariant();
        var lossy = false;
        var lastDot = upper.LastIndexOf('.');
        var leadingDots = 0;
        while (leadingDots < upper.Length && upper[leadingDots] is '.' or ' ')
        {
            leadingDots++;
        }

        if (lastDot < leadingDots)
        {
            lastDot = -1;
        }

        lossy |= leadingDots > 0;

        var baseBuilder = new StringBuilder(8);
        var extensionBuilder = new StringBuilder(3);
        var truncated = false;
        for (var i = leadingDots; i < upper.Length; i++)
        {
            var c = upper[i];
            var inExtension = lastDot >= 0 && i > lastDot;
            if (i == lastDot || c == ' ' || (c == '.' && !inExtension))
            {
                lossy |= c != '.' || i != lastDot;
                continue;
            }

            if (!IsShortNameCharacter(c))
            {
                c = '_';
                lossy = true;
            }

            var target = inExtension ? extensionBuilder : baseBuilder;
            if (target.Length < (inExtension ? 3 : 8))
            {
                target.Append(c);
            }
            else
            {
                truncated = true;
            }
        }

        if (baseBuilder.Length == 0)
        {
            baseBuilder.Append('_');
            lossy = true;
        }

        var basis = baseBuilder.ToString();
        var extension = extensionBuilder.ToString().PadRight(3);

        // A name that is a legal 8.3 name apart from case keeps its basis when the basis is free.
        var exact = !lossy && !truncated && TryMakeShortName(upper, out _, out _);
        if (exact && !isTaken(basis.PadRight(8) + extension))
        {
            return basis.PadRight(8) + extension;
        }

        // Like Windows: ~1 to ~4 on the basis; past that, two characters of the basis, four hex digits of a
        // hash of the long name and ~1 to ~9, so a directory of many similar names does not probe every tail.
        for (var n = 1; n <= 4; n++)
        {
            var candidate = WithTail(basis, n, extension);
            if (!isTaken(candidate))
            {
                return candidate;
            }
        }

        var hashed = basis[..Math.Min(basis.Length, 2)] + NameHash(longName).ToString("X4", System.Globalization.CultureInfo.InvariantCulture);
        for (var n = 1; n <= 9; n++)
        {
            var candidate = WithTail(hashed, n, extension);
            if (!isTaken(candidate))
            {
                return candidate;
            }
        }

        for (var n = 5; n <= 999999; n++)
        {
            var candidate = WithTail(basis, n, extension);
            if (!isTaken(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static string WithTail(string basis, int number, string extension)
    {
        var tail = "~" + number.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return (basis[..Math.Min(basis.Length, 8 - tail.Length)] + tail).PadRight(8) + extension;
    }

    /// <summary>A 16-bit hash of the upper-cased long name (FNV-1a folded); Windows' own hash is undocumented.</summary>
    private static ushort NameHash(string longName)
    {
        var hash = 2166136261u;
        foreach (var c in longName.ToUpperInvariant())
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (ushort)(hash ^ (hash >> 16));
    }

    /// <summary>The name a short entry shows: "NAME.EXT" with DIR_NTRes lowercase flags applied, OEM bytes decoded.</summary>
    public static string ShortNameToDisplay(string rawName, byte ntFlags)
    {
        var baseName = DecodeOem(rawName.AsSpan(0, 8).TrimEnd(' '));
        var extension = DecodeOem(rawName.AsSpan(8, 3).TrimEnd(' '));
        if ((ntFlags & FatDirent.NtLowercaseBase) != 0)
        {
            baseName = LowerAscii(baseName);
        }

        if ((ntFlags & FatDirent.NtLowercaseExtension) != 0)
        {
            extension = LowerAscii(extension);
        }

        return extension.Length == 0 ? baseName : baseName + "." + extension;
    }

    /// <summary>The short name as stored, "NAME.EXT" (what FILE_BOTH_DIR_INFORMATION.ShortName carries).</summary>
    public static string ShortNameToCanonical(string rawName) => ShortNameToDisplay(rawName, 0);

    /// <summary>fatgen103 ChkSum: rotate right by one and add, over the 11 name bytes.</summary>
    public static byte Checksum(string rawName)
    {
        byte sum = 0;
        for (var i = 0; i < 11; i++)
        {
            sum = (byte)(((sum & 1) << 7) + (sum >> 1) + (byte)rawName[i]);
        }

        return sum;
    }

    /// <summary>The case-insensitive key NT compares names by (RtlUpcaseUnicodeString).</summary>
    public static string UpcaseKey(string name) => name.ToUpperInvariant();

    private static bool IsShortNameCharacter(char c) =>
        c is (>= 'A' and <= 'Z') or (>= '0' and <= '9') || ShortNameSpecials.Contains(c, StringComparison.Ordinal);

    /// <summary>All short-name characters, and letters all one case; says whether that case is lower.</summary>
    private static bool TryCase(string part, out bool lower)
    {
        var hasLower = false;
        var hasUpper = false;
        foreach (var c in part)
        {
            if (c is >= 'a' and <= 'z')
            {
                hasLower = true;
            }
            else if (c is >= 'A' and <= 'Z')
            {
                hasUpper = true;
            }
            else if (!IsShortNameCharacter(c) || LongOnlyCharacters.Contains(c, StringComparison.Ordinal))
            {
                lower = false;
                return false;
            }
        }

        lower = hasLower;
        return !(hasLower && hasUpper);
    }

    private static string DecodeOem(ReadOnlySpan<char> raw)
    {
        var plain = raw.IsEmpty || raw[0] != '\u0005';
        foreach (var c in raw)
        {
            plain &= c < 0x80;
        }

        if (plain)
        {
            return raw.ToString();
        }

        // fatgen103: a first byte of 0x05 stands for 0xE5, which would otherwise mark the entry deleted.
        Span<byte> bytes = stackalloc byte[raw.Length];
        for (var i = 0; i < raw.Length; i++)
        {
            bytes[i] = i == 0 && raw[i] == '\u0005' ? (byte)0xE5 : (byte)raw[i];
        }

        return s_oem.GetString(bytes);
    }

    private static string LowerAscii(string text) =>
        string.Create(text.Length, text, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                span[i] = source[i] is >= 'A' and <= 'Z' ? (char)(source[i] + 32) : source[i];
            }
        });
}
