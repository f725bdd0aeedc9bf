using System.Collections.Immutable;
using System.Globalization;
using System.Text;

namespace SharpNT.Kernel.Cm;

/// <summary>
/// Reads the Windows Registry Editor 5.00 (.reg) format into sections, checking everything before the
/// registry is touched. Besides what regedit writes ("text", dword:, hex:, hex(N): with lines continued by
/// a trailing backslash, @ for the default value, [-KEY] and "name"=- deletions, ; comments) it reads
/// qword:N and str(N):"text" (Wine's spelling of string types, with \0 between REG_MULTI_SZ elements), so a
/// person can write an ImagePath or a filter list as text.
/// </summary>
internal static class RegFileParser
{
    internal const string Header = "Windows Registry Editor Version 5.00";

    /// <summary>The hive roots a .reg file may name, with the NT paths they stand for.</summary>
    internal static readonly ImmutableArray<(string RegName, string NtPath)> Roots =
    [
        ("HKEY_LOCAL_MACHINE", ConfigurationManager.MachinePath),
        ("HKEY_USERS", ConfigurationManager.UserPath),
    ];

    /// <summary>
    /// Decodes a file's bytes: UTF-16 with its byte order mark (as regedit saves), UTF-8 with or without
    /// one. Bytes that are not valid text are refused with the line they are on.
    /// </summary>
    internal static RegFileError? Decode(byte[] bytes, string fileName, out string text)
    {
        text = string.Empty;
        Encoding encoding;
        var skip = 0;
        var unit = 1;
        var bigEndian = false;
        if (bytes is [0xFF, 0xFE, ..])
        {
            encoding = new UnicodeEncoding(bigEndian: false, byteOrderMark: false, throwOnInvalidBytes: true);
            skip = 2;
            unit = 2;
        }
        else if (bytes is [0xFE, 0xFF, ..])
        {
            encoding = new UnicodeEncoding(bigEndian: true, byteOrderMark: false, throwOnInvalidBytes: true);
            skip = 2;
            unit = 2;
            bigEndian = true;
        }
        else
        {
            encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
            skip = bytes is [0xEF, 0xBB, 0xBF, ..] ? 3 : 0;
        }

        try
        {
            text = encoding.GetString(bytes, skip, bytes.Length - skip);
            return null;
        }
        catch (DecoderFallbackException e)
        {
            var end = Math.Clamp(skip + Math.Max(e.Index, 0), skip, bytes.Length);
            var line = 1;
            for (var i = skip; i + unit <= end; i += unit)
            {
                var isNewLine = unit == 1
                    ? bytes[i] == '\n'
                    : (bigEndian ? bytes[i] == 0 && bytes[i + 1] == '\n' : bytes[i] == '\n' && bytes[i + 1] == 0);
                if (isNewLine)
                {
                    line++;
                }
            }

            return new RegFileError(fileName, line, unit == 1
                ? "the file is not valid UTF-8 text: expected UTF-8, or UTF-16 with a byte order mark"
                : "the file is not valid UTF-16 text");
        }
    }

    /// <summary>Parses the whole file; on the first problem returns it (with its line) and no sections.</summary>
    internal static RegFileError? Parse(string text, string fileName, out List<RegFileSection> sections)
    {
        sections = [];
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            lines[i] = lines[i].TrimEnd('\r');
        }

        var header = lines[0].TrimStart('\uFEFF').TrimEnd();
        if (header != Header)
        {
            var found = header.Length == 0 ? "an empty line" : $"'{Shorten(header)}'";
            var hint = header.Equals("REGEDIT4", StringComparison.OrdinalIgnoreCase) ? " (REGEDIT4 files are not supported)" : string.Empty;
            sections = [];
            return new RegFileError(fileName, 1, $"expected the header '{Header}' on the first line, found {found}{hint}");
        }

        var result = new List<RegFileSection>();
        (int Line, string KeyText, string NtPath, bool Delete, List<RegFileValue> Values)? current = null;
        for (var i = 1; i < lines.Length; i++)
        {
            var lineNumber = i + 1;
            var line = lines[i].Trim();
            if (line.Length == 0 || line[0] == ';')
            {
                continue;
            }

            string? problem;
            if (line[0] == '[')
            {
                if (current is { } done)
                {
                    result.Add(new RegFileSection(done.Line, done.KeyText, done.NtPath, done.Delete, done.Values));
                }

                problem = ParseKeyLine(line, out var keyText, out var ntPath, out var delete);
                if (problem is not null)
                {
                    return Fail(fileName, lineNumber, problem, out sections);
                }

                current = (lineNumber, keyText, ntPath, delete, []);
                continue;
            }

            if (line[0] is not ('"' or '@'))
            {
                return Fail(fileName, lineNumber,
                    $"expected a [KEY] line, a \"name\"=value line, an @=value line or a ; comment, found '{Shorten(line)}'",
                    out sections);
            }

            if (current is not { } section)
            {
                return Fail(fileName, lineNumber, "a value line before any [KEY] line: expected a [KEY] line first", out sections);
            }

            if (section.Delete)
            {
                return Fail(fileName, lineNumber,
                    $"a value line under the key deletion [-{section.KeyText}]: expected a [KEY] line", out sections);
            }

            var valueLine = i;
            problem = ParseValue(lines, ref i, out var value);
            if (problem is not null)
            {
                return Fail(fileName, i + 1, problem, out sections);
            }

            section.Values.Add(value! with { Line = valueLine + 1 });
        }

        if (current is { } last)
        {
            result.Add(new RegFileSection(last.Line, last.KeyText, last.NtPath, last.Delete, last.Values));
        }

        sections = result;
        return null;
    }

    /// <summary>The .reg spelling of an NT key path (HKEY_LOCAL_MACHINE\...), or null outside the two roots.</summary>
    internal static string? ToRegPath(string ntPath)
    {
        foreach (var (regName, rootPath) in Roots)
        {
            if (ntPath.Equals(rootPath, StringComparison.OrdinalIgnoreCase))
            {
                return regName;
            }

            if (ntPath.Length > rootPath.Length && ntPath[rootPath.Length] == '\\'
                && ntPath.StartsWith(rootPath, StringComparison.OrdinalIgnoreCase))
            {
                return regName + ntPath[rootPath.Length..];
            }
        }

        return null;
    }

    private static RegFileError Fail(string fileName, int line, string problem, out List<RegFileSection> sections)
    {
        sections = [];
        return new RegFileError(fileName, line, problem);
    }

    /// <summary>[ROOT\KEY\SUBKEY] or [-ROOT\KEY]: the key text runs to the last ']' (key names may hold ']').</summary>
    private static string? ParseKeyLine(string line, out string keyText, out string ntPath, out bool delete)
    {
        keyText = string.Empty;
        ntPath = string.Empty;
        delete = false;
        if (line.Length < 2 || line[^1] != ']')
        {
            return "unterminated key bracket: expected ']' at the end of the line";
        }

        var content = line[1..^1];
        if (content.StartsWith('-'))
        {
            delete = true;
            content = content[1..];
        }

        keyText = content;
        var parts = content.Split('\\');
        string? rootPath = null;
        foreach (var (regName, path) in Roots)
        {
            if (parts[0].Equals(regName, StringComparison.OrdinalIgnoreCase))
            {
                rootPath = path;
            }
        }

        if (rootPath is null)
        {
            return $"unknown root key '{Shorten(parts[0])}': expected HKEY_LOCAL_MACHINE or HKEY_USERS";
        }

        var sb = new StringBuilder(rootPath);
        for (var p = 1; p < parts.Length; p++)
        {
            if (parts[p].Length == 0)
            {
                return "an empty key name (two backslashes together, or one at the end): expected ROOT\\KEY\\SUBKEY";
            }

            if (parts[p].Length > RegConstants.MaxKeyNameLength)
            {
                return $"the key name '{Shorten(parts[p])}' is longer than {RegConstants.MaxKeyNameLength} characters";
            }

            sb.Append('\\').Append(parts[p]);
        }

        ntPath = sb.ToString();
        return null;
    }

    /// <summary>
    /// "name"=data or @=data. Hex data may continue on following lines (a trailing backslash);
    /// <paramref name="index"/> moves to the last line used, and on a problem names the line it is on.
    /// </summary>
    private static string? ParseValue(string[] lines, ref int index, out RegFileValue? value)
    {
        value = null;
        var line = lines[index].Trim();
        var pos = 0;
        string name;
        if (line[0] == '@')
        {
            name = string.Empty;
            pos = 1;
        }
        else
        {
            var problem = ParseQuoted(line, ref pos, allowNul: false, out name);
            if (problem is not null)
            {
                return problem + " in the value name";
            }

            if (name.Length > RegConstants.MaxValueNameLength)
            {
                return $"the value name is longer than {RegConstants.MaxValueNameLength} characters";
            }
        }

        pos = SkipBlanks(line, pos);
        if (pos >= line.Length || line[pos] != '=')
        {
            return "expected '=' after the value name";
        }

        var data = line[SkipBlanks(line, pos + 1)..];
        if (data == "-")
        {
            value = new RegFileValue(index + 1, name, RegConstants.REG_NONE, null);
            return null;
        }

        if (data.StartsWith('"'))
        {
            var p = 0;
            var problem = ParseQuoted(data, ref p, allowNul: false, out var text) ?? ExpectEnd(data, p);
            value = problem is null ? new RegFileValue(index + 1, name, RegConstants.REG_SZ, RegData.String(text)) : null;
            return problem;
        }

        if (StartsWithWord(data, "dword:"))
        {
            var digits = data["dword:".Length..];
            if (!TryParseHex(digits, 8, out var number))
            {
                return $"bad dword value '{Shorten(digits)}': expected 1 to 8 hex digits, as in dword:0000000a";
            }

            value = new RegFileValue(index + 1, name, RegConstants.REG_DWORD, RegData.Dword((uint)number));
            return null;
        }

        if (StartsWithWord(data, "qword:"))
        {
            var digits = data["qword:".Length..];
            if (!TryParseHex(digits, 16, out var number))
            {
                return $"bad qword value '{Shorten(digits)}': expected 1 to 16 hex digits, as in qword:000000000000000a";
            }

            value = new RegFileValue(index + 1, name, RegConstants.REG_QWORD, RegData.Qword(number));
            return null;
        }

        if (StartsWithWord(data, "hex:"))
        {
            var problem = ParseHexBytes(lines, ref index, data["hex:".Length..], out var bytes);
            value = problem is null ? new RegFileValue(index + 1, name, RegConstants.REG_BINARY, bytes) : null;
            return problem;
        }

        if (StartsWithWord(data, "hex(") || StartsWithWord(data, "str("))
        {
            var isString = StartsWithWord(data, "str(");
            var close = data.IndexOf(')', StringComparison.Ordinal);
            if (close < 0 || close + 1 >= data.Length || data[close + 1] != ':'
                || !TryParseHex(data[4..close], 8, out var typeNumber))
            {
                var form = isString ? "str(N):\"text\"" : "hex(N):";
                return $"bad type in '{Shorten(data)}': expected {form} with N the type in hex, as in {(isString ? "str(7):\"a\\0b\\0\"" : "hex(7):")}";
            }

            var type = (uint)typeNumber;
            var rest = data[(close + 2)..];
            if (!isString)
            {
                var problem = ParseHexBytes(lines, ref index, rest, out var bytes);
                value = problem is null ? new RegFileValue(index + 1, name, type, bytes) : null;
                return problem;
            }

            var q = 0;
            if (!rest.StartsWith('"'))
            {
                return $"expected a quoted string after str({data[4..close]}):";
            }

            var stringProblem = ParseQuoted(rest, ref q, allowNul: true, out var text) ?? ExpectEnd(rest, q);
            if (stringProblem is not null)
            {
                return stringProblem;
            }

            // REG_LINK data is the target path without a terminating NUL; every other string type has one.
            var stringData = type == RegConstants.REG_LINK ? RegData.Link(text) : RegData.String(text);
            value = new RegFileValue(index + 1, name, type, stringData);
            return null;
        }

        return $"unknown value type in '{Shorten(data)}': expected \"text\", dword:, qword:, hex:, hex(N):, str(N):\"text\" or - to delete";
    }

    /// <summary>
    /// Comma-separated two-digit hex bytes; a line ending in a backslash continues on the next one.
    /// </summary>
    private static string? ParseHexBytes(string[] lines, ref int index, string first, out byte[] bytes)
    {
        var result = new List<byte>();
        bytes = [];
        var segment = first;
        while (true)
        {
            var s = segment.TrimEnd();
            var continues = s.EndsWith('\\');
            if (continues)
            {
                s = s[..^1];
            }

            var tokens = s.Split(',');
            for (var t = 0; t < tokens.Length; t++)
            {
                var token = tokens[t].Trim();
                var lastToken = t == tokens.Length - 1;
                if (token.Length == 0)
                {
                    // Allowed: nothing at all (hex: with no bytes, or a line that only continues), and the
                    // empty piece after a trailing comma on a line that continues.
                    if (tokens.Length == 1 || (lastToken && continues))
                    {
                        continue;
                    }

                    return lastToken
                        ? "the data ends with ',': expected another hex byte, or a '\\' to continue on the next line"
                        : "expected a hex byte between two commas";
                }

                if (token.Length > 2 || !TryParseHex(token, 2, out var b))
                {
                    return $"bad hex byte '{Shorten(token)}': expected two hex digits, as in 0a";
                }

                result.Add((byte)b);
            }

            if (!continues)
            {
                break;
            }

            if (index + 1 >= lines.Length)
            {
                return "the data ends with '\\' but the file ends: expected more hex bytes on the next line";
            }

            index++;
            segment = lines[index].Trim();
        }

        bytes = [.. result];
        return null;
    }

    /// <summary>
    /// A quoted string starting at <paramref name="pos"/>: \\ is a backslash and \" a quote; in str(N) data
    /// \0 is a NUL. Leaves <paramref name="pos"/> after the closing quote.
    /// </summary>
    private static string? ParseQuoted(string line, ref int pos, bool allowNul, out string text)
    {
        text = string.Empty;
        var sb = new StringBuilder();
        var i = pos + 1;
        while (i < line.Length)
        {
            var c = line[i];
            if (c == '"')
            {
                text = sb.ToString();
                pos = i + 1;
                return null;
            }

            if (c == '\\')
            {
                if (i + 1 >= line.Length)
                {
                    break;
                }

                var next = line[i + 1];
                if (next is '\\' or '"')
                {
                    sb.Append(next);
                }
                else if (next == '0' && allowNul)
                {
                    sb.Append('\0');
                }
                else
                {
                    var expected = allowNul ? "\\\\, \\\" or \\0" : "\\\\ or \\\"";
                    return $"bad escape '\\{next}' in a quoted string: expected {expected} (write a backslash as \\\\)";
                }

                i += 2;
                continue;
            }

            sb.Append(c);
            i++;
        }

        return "unterminated string: expected a closing '\"'";
    }

    private static string? ExpectEnd(string text, int pos) =>
        SkipBlanks(text, pos) < text.Length ? $"unexpected text '{Shorten(text[pos..].Trim())}' after the closing quote: expected the end of the line" : null;

    private static int SkipBlanks(string text, int pos)
    {
        while (pos < text.Length && char.IsWhiteSpace(text[pos]))
        {
            pos++;
        }

        return pos;
    }

    private static bool StartsWithWord(string text, string word) => text.StartsWith(word, StringComparison.OrdinalIgnoreCase);

    private static bool TryParseHex(string digits, int maxDigits, out ulong value)
    {
        value = 0;
        return digits.Length >= 1 && digits.Length <= maxDigits && digits.All(char.IsAsciiHexDigit)
            && ulong.TryParse(digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
    }

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..57] + "...";
}
