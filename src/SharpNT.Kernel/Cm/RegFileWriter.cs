using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace SharpNT.Kernel.Cm;

/// <summary>
/// Writes keys and values in the Windows Registry Editor 5.00 (.reg) format, deterministically: the same
/// registry always gives the same text, and reading that text back gives the same bytes. Hex data wraps
/// as regedit wraps it (a trailing ",\" and two spaces of indent, lines under 80 columns).
/// </summary>
internal static class RegFileWriter
{
    private const int WrapColumn = 78;

    internal static void WriteHeader(StringBuilder sb) => sb.Append(RegFileParser.Header).Append('\n').Append('\n');

    /// <summary>One section: [path], its values in order, then a blank line.</summary>
    internal static void WriteSection(StringBuilder sb, string regPath, IReadOnlyList<CmValue> values, RegFileStyle style)
    {
        if (!IsWritable(regPath))
        {
            throw new NotSupportedException(
                $"The key {Printable(regPath)} has a name with a line break or an unpaired surrogate, which a .reg file cannot hold.");
        }

        sb.Append('[').Append(regPath).Append(']').Append('\n');
        foreach (var value in values)
        {
            WriteValue(sb, regPath, value, style);
        }

        sb.Append('\n');
    }

    private static void WriteValue(StringBuilder sb, string regPath, CmValue value, RegFileStyle style)
    {
        if (!IsWritable(value.Name))
        {
            throw new NotSupportedException(
                $"The value {Printable(value.Name)} of {Printable(regPath)} has a line break or an unpaired surrogate in its name, which a .reg file cannot hold.");
        }

        var lineStart = sb.Length;
        if (value.Name.Length == 0)
        {
            sb.Append('@');
        }
        else
        {
            AppendQuoted(sb, value.Name, escapeNul: false);
        }

        sb.Append('=');
        var data = value.Data;
        var readable = style == RegFileStyle.Readable;
        switch (value.Type)
        {
            case RegConstants.REG_SZ when TerminatedText(data, allowInnerNul: false) is { } text:
                AppendQuoted(sb, text, escapeNul: false);
                break;
            case RegConstants.REG_EXPAND_SZ when readable && TerminatedText(data, allowInnerNul: false) is { } text:
                sb.Append("str(2):");
                AppendQuoted(sb, text, escapeNul: false);
                break;
            case RegConstants.REG_MULTI_SZ when readable && TerminatedText(data, allowInnerNul: true) is { } text:
                sb.Append("str(7):");
                AppendQuoted(sb, text, escapeNul: true);
                break;
            case RegConstants.REG_LINK when readable && LinkText(data) is { } text:
                sb.Append("str(6):");
                AppendQuoted(sb, text, escapeNul: false);
                break;
            case RegConstants.REG_DWORD when data.Length == 4:
                sb.Append("dword:").Append(BinaryPrimitives.ReadUInt32LittleEndian(data).ToString("x8", CultureInfo.InvariantCulture));
                break;
            case RegConstants.REG_QWORD when readable && data.Length == 8:
                sb.Append("qword:").Append(BinaryPrimitives.ReadUInt64LittleEndian(data).ToString("x16", CultureInfo.InvariantCulture));
                break;
            case RegConstants.REG_BINARY:
                sb.Append("hex:");
                AppendHex(sb, lineStart, data);
                break;
            default:
                sb.Append("hex(").Append(value.Type.ToString("x", CultureInfo.InvariantCulture)).Append("):");
                AppendHex(sb, lineStart, data);
                break;
        }

        sb.Append('\n');
    }

    /// <summary>
    /// The text of string data that reads back byte for byte from "text": whole UTF-16 units ending in one
    /// NUL, no other NUL (unless <paramref name="allowInnerNul"/>, for REG_MULTI_SZ's \0 separators), no
    /// line breaks, no unpaired surrogates. Null when the data must be written as hex.
    /// </summary>
    private static string? TerminatedText(ReadOnlySpan<byte> data, bool allowInnerNul)
    {
        if (data.Length < 2 || data.Length % 2 != 0 || BinaryPrimitives.ReadUInt16LittleEndian(data[^2..]) != 0)
        {
            return null;
        }

        var text = RegData.ReadUtf16(data[..^2]);
        return (allowInnerNul || !text.Contains('\0')) && IsWritable(text) ? text : null;
    }

    /// <summary>REG_LINK data as text: whole UTF-16 units, no NUL at all, nothing a line cannot hold.</summary>
    private static string? LinkText(ReadOnlySpan<byte> data)
    {
        if (data.Length % 2 != 0)
        {
            return null;
        }

        var text = RegData.ReadUtf16(data);
        return !text.Contains('\0') && IsWritable(text) ? text : null;
    }

    /// <summary>True if the text can stand on one line of a UTF-8 file: no CR or LF, no unpaired surrogate.</summary>
    private static bool IsWritable(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is '\r' or '\n')
            {
                return false;
            }

            if (char.IsHighSurrogate(c))
            {
                if (i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1]))
                {
                    return false;
                }

                i++;
            }
            else if (char.IsLowSurrogate(c))
            {
                return false;
            }
        }

        return true;
    }

    private static void AppendQuoted(StringBuilder sb, string text, bool escapeNul)
    {
        sb.Append('"');
        foreach (var c in text)
        {
            switch (c)
            {
                case '\\':
                    sb.Append(@"\\");
                    break;
                case '"':
                    sb.Append("\\\"");
                    break;
                case '\0' when escapeNul:
                    sb.Append(@"\0");
                    break;
                default:
                    sb.Append(c);
                    break;
            }
        }

        sb.Append('"');
    }

    /// <summary>Bytes as xx,xx,...; a line that would pass the wrap column ends with ",\" and the next starts with two spaces.</summary>
    private static void AppendHex(StringBuilder sb, int lineStart, ReadOnlySpan<byte> data)
    {
        var column = sb.Length - lineStart;
        for (var i = 0; i < data.Length; i++)
        {
            var last = i == data.Length - 1;
            var width = last ? 2 : 3;
            if (column + width > WrapColumn && column > 2)
            {
                sb.Append('\\').Append('\n').Append("  ");
                column = 2;
            }

            sb.Append(data[i].ToString("x2", CultureInfo.InvariantCulture));
            if (!last)
            {
                sb.Append(',');
            }

            column += width;
        }
    }

    private static string Printable(string text) =>
        "'" + text.Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal) + "'";
}
