using System.Globalization;
using System.Text;

namespace SharpNT.Kernel.Kd;

/// <summary>Output helpers shared by the command families: invariant formatting and the common messages.</summary>
internal static class KdText
{
    /// <summary>Appends one formatted line (invariant culture) and a newline.</summary>
    internal static StringBuilder Line(this StringBuilder sb, FormattableString text) =>
        sb.Append(text.ToString(CultureInfo.InvariantCulture)).Append('\n');

    internal static StringBuilder Line(this StringBuilder sb) => sb.Append('\n');

    /// <summary>What a command says when the dump it reads was written without the data it needs.</summary>
    internal static string NotInDump(DebugTarget target, string what) =>
        $"This {target.Kind} does not record {what} (it was written before SharpNT dumps carried them).\n";

    /// <summary>The argument words of a command line.</summary>
    internal static string[] Words(string arguments) =>
        arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>A flags argument: hexadecimal, as the extensions read it.</summary>
    internal static bool TryParseFlags(string text, out uint flags)
    {
        var ok = KdSymbols.TryParseAddress(text, out var value) && value <= uint.MaxValue;
        flags = (uint)value;
        return ok;
    }
}
