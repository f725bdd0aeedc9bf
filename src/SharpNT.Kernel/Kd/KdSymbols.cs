using System.Globalization;

namespace SharpNT.Kernel.Kd;

/// <summary>How the debugger writes symbols, pointers and addresses, and how it reads addresses typed at it.</summary>
internal static class KdSymbols
{
    /// <summary>The kernel image's module name as WinDbg shows it: nt, not ntoskrnl.</summary>
    internal static string ModuleName(string imageName)
    {
        var name = Path.GetFileNameWithoutExtension(imageName);
        return string.Equals(name, "ntoskrnl", StringComparison.OrdinalIgnoreCase) ? "nt" : name;
    }

    /// <summary>A module!routine symbol with the kernel's module written nt.</summary>
    internal static string Normalize(string symbol) =>
        symbol.StartsWith("ntoskrnl!", StringComparison.OrdinalIgnoreCase) || symbol.StartsWith("ntoskrnl+", StringComparison.OrdinalIgnoreCase)
            ? "nt" + symbol["ntoskrnl".Length..]
            : symbol;

    /// <summary>A pointer as the I/O extensions print it: 16 digits, NULL as 00000000.</summary>
    internal static string Ptr(ulong value) =>
        value == 0 ? "00000000" : value.ToString("x16", CultureInfo.InvariantCulture);

    /// <summary>A ULONG_PTR argument: 8 digits when it fits in 32 bits, else 16.</summary>
    internal static string Arg(ulong value) =>
        value <= uint.MaxValue ? value.ToString("x8", CultureInfo.InvariantCulture) : value.ToString("x16", CultureInfo.InvariantCulture);

    /// <summary>
    /// Parses an address as WinDbg takes one: hexadecimal by default, with or without 0x, with the
    /// ` separator between the halves of a 64-bit value (fffffa80`04000000).
    /// </summary>
    internal static bool TryParseAddress(string text, out ulong address)
    {
        var t = text.Replace("`", "", StringComparison.Ordinal);
        if (t.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            t = t[2..];
        }

        return ulong.TryParse(t, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out address) && t.Length > 0;
    }

    /// <summary>The documented names of the bits set in <paramref name="value"/>, with any unnamed rest in hex.</summary>
    internal static string FlagNames(uint value, IReadOnlyList<(uint Bit, string Name)> names, string separator = ", ")
    {
        var parts = new List<string>();
        var rest = value;
        foreach (var (bit, name) in names)
        {
            if ((value & bit) == bit && bit != 0)
            {
                parts.Add(name);
                rest &= ~bit;
            }
        }

        if (rest != 0)
        {
            parts.Add(rest.ToString("x8", CultureInfo.InvariantCulture));
        }

        return string.Join(separator, parts);
    }
}
