using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text;

namespace SharpNT.Kernel.Tests.Io.Layout;

/// <summary>
/// Compiles native/layout.c once with mingw-w64 (<c>-S</c>: the numbers are read from the assembly, since
/// a Windows binary cannot run here) and offers the values it emits, keyed by symbol
/// (<c>Class__Constant</c>), plus the comparison of C# constants against them.
/// </summary>
public sealed class MingwLayoutFixture
{
    internal const string Compiler = "x86_64-w64-mingw32-gcc";
    internal const string FactPrefix = "Fact__";

    private static readonly string InstallHint =
        $"{Compiler} is needed to check the I/O structure layouts: install the Debian package " +
        "gcc-mingw-w64-x86-64 (apt-get install gcc-mingw-w64-x86-64).";

    private readonly Dictionary<string, ulong>? _values;
    private readonly string? _error;

    public MingwLayoutFixture()
    {
        SourcePath = Path.Combine(AppContext.BaseDirectory, "Io", "Layout", "native", "layout.c");
        SourceLines = File.Exists(SourcePath) ? File.ReadAllLines(SourcePath) : [];
        try
        {
            _values = Compile();
        }
        catch (InvalidOperationException e)
        {
            _error = e.Message;
        }
    }

    internal string SourcePath { get; }

    internal string[] SourceLines { get; }

    /// <summary>Every value layout.c emits; fails the calling test, with the reason, when it could not be compiled.</summary>
    internal IReadOnlyDictionary<string, ulong> Values
    {
        get
        {
            if (_error is not null)
            {
                Assert.Fail(_error);
            }

            return _values!;
        }
    }

    internal ulong Fact(string name) =>
        Values.TryGetValue(FactPrefix + name, out var value)
            ? value
            : throw new KeyNotFoundException($"layout.c emits no {FactPrefix}{name}");

    /// <summary>The integral constants of <paramref name="type"/>, by name, as the unsigned 64-bit value C would hold.</summary>
    internal static IEnumerable<(string Name, ulong Value)> Constants(Type type) =>
        type.GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType.IsPrimitive && f.FieldType != typeof(bool) && f.FieldType != typeof(char))
            .Select(f => (f.Name, unchecked((ulong)Convert.ToInt64(f.GetRawConstantValue(), CultureInfo.InvariantCulture))));

    /// <summary>
    /// One line per C# constant of <paramref name="types"/> that has no layout.c entry or whose value
    /// differs from mingw-w64's; empty when they all agree.
    /// </summary>
    internal List<string> Mismatches(IEnumerable<Type> types, out int checkedCount)
    {
        var problems = new List<string>();
        checkedCount = 0;
        foreach (var type in types)
        {
            foreach (var (name, value) in Constants(type))
            {
                checkedCount++;
                var symbol = $"{type.Name}__{name}";
                if (!Values.TryGetValue(symbol, out var expected))
                {
                    problems.Add($"{type.Name}.{name} = {Show(value)}: layout.c has no entry {symbol}; add one with the C expression it stands for");
                }
                else if (expected != value)
                {
                    problems.Add($"{type.Name}.{name}: C# {Show(value)}, mingw-w64 {Show(expected)}    {Locate(type.Name, name)}");
                }
            }
        }

        return problems;
    }

    /// <summary>layout.c entries (other than Fact__) that name no C# constant of <paramref name="types"/>.</summary>
    internal List<string> Orphans(IEnumerable<Type> types)
    {
        var known = types
            .SelectMany(t => Constants(t).Select(c => $"{t.Name}__{c.Name}"))
            .ToHashSet(StringComparer.Ordinal);
        return Values.Keys
            .Where(k => !k.StartsWith(FactPrefix, StringComparison.Ordinal) && !known.Contains(k))
            .Order(StringComparer.Ordinal)
            .Select(k => $"{k}    {Locate(k[..k.IndexOf("__", StringComparison.Ordinal)], k[(k.IndexOf("__", StringComparison.Ordinal) + 2)..])}")
            .ToList();
    }

    internal static string Report(string title, List<string> problems) =>
        $"{title} ({problems.Count}):{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", problems);

    private static string Show(ulong value) => $"0x{value:X} ({unchecked((long)value)})";

    /// <summary>The layout.c line that defines Class__Name, so a mismatch shows the C expression it was checked against.</summary>
    private string Locate(string className, string name)
    {
        var needles = new List<string> { $"V({className}, {name},", $"F({className}, {name}," };
        if (name == "Size")
        {
            needles.Add($"SIZE({className},");
        }

        if (name == "SizeField")
        {
            needles.Add($"SIZE_FIELD({className},");
        }

        if (className == "IoStackLocationLayout" && name.StartsWith("Parameters_", StringComparison.Ordinal))
        {
            needles.Add($"P({name["Parameters_".Length..]},");
        }

        for (var i = 0; i < SourceLines.Length; i++)
        {
            var line = SourceLines[i];
            var isMember = line.StartsWith($"M({className},", StringComparison.Ordinal)
                && line.EndsWith($", {name})", StringComparison.Ordinal);
            if (isMember || needles.Any(n => line.StartsWith(n, StringComparison.Ordinal)))
            {
                return $"layout.c:{i + 1}: {line.Trim()}";
            }
        }

        return $"(layout.c: {className}__{name})";
    }

    private Dictionary<string, ulong> Compile()
    {
        if (!File.Exists(SourcePath))
        {
            throw new InvalidOperationException($"{SourcePath} is missing: the test project copies native/layout.c to its output directory.");
        }

        var ddk = FindDdkIncludeDirectory();
        var (exit, assembly, errors) = Run(Compiler, ["-S", "-o", "-", "-I", ddk, SourcePath], standardInput: null);
        if (exit != 0)
        {
            throw new InvalidOperationException($"{Compiler} -S {SourcePath} failed with exit code {exit}:{Environment.NewLine}{errors}");
        }

        return ParseAssembly(assembly);
    }

    /// <summary>
    /// The DDK headers sit in a ddk folder beside the compiler's own include directory and are not on its
    /// default search path; ask the compiler for that path rather than assume a distribution's layout.
    /// </summary>
    private static string FindDdkIncludeDirectory()
    {
        var (_, _, searchList) = Run(Compiler, ["-xc", "-E", "-v", "-"], standardInput: string.Empty);
        var inList = false;
        foreach (var raw in searchList.Split('\n'))
        {
            var line = raw.Trim();
            if (line.StartsWith("#include <...> search starts here", StringComparison.Ordinal))
            {
                inList = true;
            }
            else if (line.StartsWith("End of search list", StringComparison.Ordinal))
            {
                break;
            }
            else if (inList && File.Exists(Path.Combine(line, "ddk", "ntifs.h")))
            {
                return Path.Combine(line, "ddk");
            }
        }

        throw new InvalidOperationException(
            $"{Compiler} is installed but no ddk/ntifs.h was found on its include path:{Environment.NewLine}{searchList}");
    }

    private static (int Exit, string Output, string Errors) Run(string fileName, string[] arguments, string? standardInput)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"{fileName} did not start. {InstallHint}");
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException($"{fileName} could not be run ({e.Message}). {InstallHint}", e);
        }

        using (process)
        {
            if (standardInput is not null)
            {
                process.StandardInput.Write(standardInput);
            }

            process.StandardInput.Close();
            var errors = process.StandardError.ReadToEndAsync();
            var output = process.StandardOutput.ReadToEnd();
            if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
            {
                process.Kill(entireProcessTree: true);
                throw new InvalidOperationException($"{fileName} did not finish within two minutes.");
            }

            return (process.ExitCode, output, errors.GetAwaiter().GetResult());
        }
    }

    /// <summary>
    /// Each constant is a label followed by one data directive: <c>.quad N</c>, or <c>.space 8</c> /
    /// <c>.zero 8</c> for a value of zero.
    /// </summary>
    private static Dictionary<string, ulong> ParseAssembly(string assembly)
    {
        var values = new Dictionary<string, ulong>(StringComparer.Ordinal);
        string? pending = null;
        foreach (var raw in assembly.Split('\n'))
        {
            var line = raw.Trim();
            if (line.EndsWith(':') && line.Contains("__", StringComparison.Ordinal) && !line.StartsWith('.'))
            {
                pending = line[..^1];
                continue;
            }

            if (pending is null || line.Length == 0)
            {
                continue;
            }

            var parts = line.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            values[pending] = parts[0] switch
            {
                ".quad" => ParseInteger(parts[1]),
                ".space" or ".zero" when parts[1] == "8" => 0,
                _ => throw new InvalidOperationException($"Unexpected data for {pending} in the compiler's assembly: '{line}'"),
            };
            pending = null;
        }

        if (values.Count == 0)
        {
            var head = new StringBuilder().AppendJoin('\n', assembly.Split('\n').Take(20)).ToString();
            throw new InvalidOperationException($"No values found in the compiler's assembly; it begins:{Environment.NewLine}{head}");
        }

        return values;
    }

    private static ulong ParseInteger(string text) =>
        text.StartsWith('-')
            ? unchecked((ulong)long.Parse(text, CultureInfo.InvariantCulture))
            : ulong.Parse(text, CultureInfo.InvariantCulture);
}
