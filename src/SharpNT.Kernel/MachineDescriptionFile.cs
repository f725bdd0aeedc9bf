using System.Globalization;
using SharpNT.Kernel.Ke;
using Tomlyn;
using Tomlyn.Model;

namespace SharpNT.Kernel;


/// <summary>
/// Reads and writes machine descriptions as TOML, a format a person can read and edit:
/// <code>
/// name = "default"
/// processors = 2
/// memory_mib = 64
/// pagefile_mib = 64
/// scheduling = "deterministic"   # or "parallel"
/// seed = 1
/// verifier = "/flags 0x3B /driver sample.sys"   # optional: Driver Verifier, as `verifier` takes it
/// disks = ["disk0.raw"]          # raw images, one NVMe controller each
/// plugged = ["MsToaster"]        # optional: devices plugged into the toaster bus at boot
/// </code>
/// </summary>
public static class MachineDescriptionFile
{
    private static readonly string[] s_keys = ["name", "processors", "memory_mib", "pagefile_mib", "scheduling", "seed", "registry", "verifier", "disks", "plugged"];

    public static MachineDescription Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new MachineDescriptionException($"{path}: cannot read the machine description ({e.Message}).", e);
        }

        return Parse(text, path, Path.GetDirectoryName(Path.GetFullPath(path)));
    }

    public static MachineDescription Parse(string text, string sourceName = "<machine>") => Parse(text, sourceName, null);

    /// <summary>Parses a description; a relative registry path is resolved against <paramref name="directory"/>.</summary>
    public static MachineDescription Parse(string text, string sourceName, string? directory)
    {
        TomlTable table;
        try
        {
            table = TomlSerializer.Deserialize<TomlTable>(text, new TomlSerializerOptions()) ?? new TomlTable();
        }
        catch (TomlException e)
        {
            throw new MachineDescriptionException($"{sourceName}({e.Line},{e.Column}): {FirstLine(e.Message)}", e);
        }

        RejectDuplicateKeys(text, sourceName);
        var d = MachineDescription.Default;
        foreach (var (key, value) in table)
        {
            var line = LineOf(text, key);
            string Where() => $"{sourceName}({line},1)";
            d = key switch
            {
                "name" => d with { Name = value as string ?? throw new MachineDescriptionException($"{Where()}: 'name' is a string.") },
                "processors" => d with { Processors = (int)Integer(value, key, Where) },
                "memory_mib" => d with { MemoryMiB = (int)Integer(value, key, Where) },
                "pagefile_mib" => d with { PagefileMiB = (int)Integer(value, key, Where) },
                "seed" => d with { Seed = (ulong)Integer(value, key, Where) },
                "registry" => d with { RegistryFile = value is string path
                    ? Path.GetFullPath(path, directory ?? Directory.GetCurrentDirectory())
                    : throw new MachineDescriptionException($"{Where()}: 'registry' is the path of a .reg file.") },
                "plugged" => d with { PluggedDevices = value is TomlArray array && array.All(v => v is string { Length: > 0 } s && !s.Contains(' ', StringComparison.Ordinal))
                    ? new DeviceIdList(array.Cast<string>())
                    : throw new MachineDescriptionException($"{Where()}: 'plugged' is a list of hardware IDs such as [\"MsToaster\"].") },
                "verifier" => d with { Verifier = value is string v ? CheckVerifier(v, Where) : throw new MachineDescriptionException($"{Where()}: 'verifier' is a string such as \"/flags 0x3B /driver NAME.sys\".") },
                "disks" => d with { Disks = Disks(value, directory, Where) },
                "scheduling" => d with
                {
                    Scheduling = value switch
                    {
                        "deterministic" => SchedulingMode.Deterministic,
                        "parallel" => SchedulingMode.Parallel,
                        _ => throw new MachineDescriptionException($"{Where()}: 'scheduling' is \"deterministic\" or \"parallel\", not {Show(value)}."),
                    }
                },
                _ => throw new MachineDescriptionException(
                    $"{Where()}: unknown key '{key}' (known: {string.Join(", ", s_keys)})."),
            };
        }

        if (d.Validate() is { } problem)
        {
            throw new MachineDescriptionException($"{sourceName}: {problem}.");
        }

        return d;
    }

    /// <summary>The description as a file that <see cref="Parse(string, string)"/> reads back to the same value.</summary>
    public static string Format(MachineDescription d) => string.Create(CultureInfo.InvariantCulture, $"""
        # SharpNT machine description
        name = "{d.Name}"
        processors = {d.Processors}
        memory_mib = {d.MemoryMiB}
        pagefile_mib = {d.PagefileMiB}
        scheduling = "{(d.Scheduling == SchedulingMode.Deterministic ? "deterministic" : "parallel")}"
        seed = {d.Seed}
        {(d.RegistryFile is null ? "" : $"registry = \"{d.RegistryFile.Replace("\\", "\\\\", StringComparison.Ordinal)}\"\n")}{(d.Verifier is null ? "" : $"verifier = \"{d.Verifier}\"\n")}{(d.PluggedDevices.Count == 0 ? "" : $"plugged = [{string.Join(", ", d.PluggedDevices.Select(p => $"\"{p.Replace("\\", "\\\\", StringComparison.Ordinal)}\""))}]\n")}
        {(d.Disks.Count == 0 ? "" : $"disks = [{string.Join(", ", d.Disks.Select(p => $"\"{p.Replace("\\", "\\\\", StringComparison.Ordinal)}\""))}]\n")}
        """);

    private static string CheckVerifier(string text, Func<string> where)
    {
        try
        {
            Vf.VerifierSettings.Parse(text);
            return text;
        }
        catch (FormatException e)
        {
            throw new MachineDescriptionException($"{where()}: {e.Message}", e);
        }
    }

    /// <summary>disks = ["a.raw", ...]: image paths, relative ones resolved against the description's directory.</summary>
    private static string[] Disks(object value, string? directory, Func<string> where)
    {
        if (value is not TomlArray array || array.Any(v => v is not string))
        {
            throw new MachineDescriptionException($"{where()}: 'disks' is a list of image paths, such as [\"disk.raw\"].");
        }

        return [.. array.Cast<string>().Select(p => Path.GetFullPath(p, directory ?? Directory.GetCurrentDirectory()))];
    }

    private static long Integer(object value, string key, Func<string> where) => value switch
    {
        long l when l >= 0 => l,
        _ => throw new MachineDescriptionException($"{where()}: '{key}' is a non-negative integer, not {Show(value)}."),
    };

    private static string Show(object value) => value is string s ? $"\"{s}\"" : Convert.ToString(value, CultureInfo.InvariantCulture) ?? "nothing";

    /// <summary>Tomlyn's message without its own "(line,col) : error :" prefix (the caller adds the place).</summary>
    private static string FirstLine(string message)
    {
        var line = message.Split('\n')[0].Trim();
        var marker = line.IndexOf(": error :", StringComparison.Ordinal);
        return marker >= 0 ? line[(marker + 9)..].Trim() : line;
    }

    /// <summary>TOML forbids defining a key twice; say where the second one is.</summary>
    private static void RejectDuplicateKeys(string text, string sourceName)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var t = lines[i].Trim();
            if (t.Length == 0 || t[0] is '#' or '[')
            {
                continue;
            }

            var eq = t.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0 && !seen.Add(t[..eq].Trim()))
            {
                throw new MachineDescriptionException($"{sourceName}({i + 1},1): '{t[..eq].Trim()}' is defined twice.");
            }
        }
    }

    private static int LineOf(string text, string key)
    {
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var t = lines[i].TrimStart();
            if (t.StartsWith(key, StringComparison.Ordinal) && t.AsSpan(key.Length).TrimStart().StartsWith("="))
            {
                return i + 1;
            }
        }

        return 1;
    }
}
