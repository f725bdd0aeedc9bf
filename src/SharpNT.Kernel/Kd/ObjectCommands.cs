using System.Text;
using static SharpNT.Kernel.Kd.KdSymbols;

namespace SharpNT.Kernel.Kd;

/// <summary>!object: an object's header, type, counts and name; a directory's entries; a link's target.</summary>
internal static class ObjectCommands
{
    /// <summary>NUMBER_HASH_BUCKETS of an object directory.</summary>
    private const uint HashBuckets = 37;

    internal static string Object(DebugTarget target, string arguments)
    {
        var words = KdText.Words(arguments);
        if (words.Length == 0)
        {
            return "Usage: !object <Path | Address>\n";
        }

        if (target.Objects is null)
        {
            return KdText.NotInDump(target, "the object namespace");
        }

        var word = words[0];
        KdObject? found;
        if (word.StartsWith('\\'))
        {
            found = target.Object(NormalizePath(word));
            if (found is null)
            {
                return $"Object {word} not found\n";
            }
        }
        else if (TryParseAddress(word, out var address))
        {
            found = target.Object(address);
            if (found is null)
            {
                return $"{address:x16}: Not a valid object (ObjectType invalid)\n";
            }
        }
        else
        {
            return $"Invalid object '{word}': give a path (\\Device) or an address\n";
        }

        return Format(found);
    }

    internal static string Format(KdObject o)
    {
        var sb = new StringBuilder();
        sb.Line($"Object: {o.Address:x16}  Type: ({o.TypeAddress:x16}) {o.TypeName}");
        sb.Line($"    ObjectHeader: {o.HeaderAddress:x16} (new version)");
        sb.Line($"    HandleCount: {o.HandleCount}  PointerCount: {o.PointerCount}");
        if (o.Path == "\\")
        {
            sb.Line($"    Directory Object: 00000000  Name: \\");
        }
        else
        {
            sb.Line($"    Directory Object: {Ptr(o.DirectoryAddress)}  Name: {o.Name ?? "(null)"}");
        }

        if (o.LinkTarget is { } linkTarget)
        {
            sb.Line($"    Target String is '{linkTarget}'");
        }

        if (o.Entries is { } entries)
        {
            sb.Line();
            sb.Line($"    Hash Address          Type                      Name");
            sb.Line($"    ---- -------          ----                      ----");
            foreach (var (entry, hash) in entries.Select(e => (e, Hash(e.Name))).OrderBy(x => x.Item2).ThenBy(x => x.e.Name, StringComparer.OrdinalIgnoreCase))
            {
                sb.Line($"     {hash:d2}  {entry.Address:x16} {entry.TypeName,-25} {entry.Name}");
            }
        }

        return sb.ToString();
    }

    /// <summary>"\??" is the DOS devices directory, \GLOBAL?? here; a trailing backslash names the same object.</summary>
    internal static string NormalizePath(string path)
    {
        if (path.Length > 1)
        {
            path = path.TrimEnd('\\');
        }

        if (path.Equals(@"\??", StringComparison.Ordinal) || path.StartsWith(@"\??\", StringComparison.Ordinal))
        {
            path = @"\GLOBAL??" + path[3..];
        }

        return path.Length == 0 ? "\\" : path;
    }

    /// <summary>
    /// The directory bucket of a name, as ObpLookupDirectoryEntry hashes it: each character upcased and
    /// folded in with HashIndex += (HashIndex &lt;&lt; 1) + (HashIndex &gt;&gt; 1), modulo 37 buckets.
    /// </summary>
    internal static uint Hash(string name)
    {
        uint hash = 0;
        foreach (var c in name)
        {
            unchecked
            {
                hash += (hash << 1) + (hash >> 1);
                hash += char.ToUpperInvariant(c);
            }
        }

        return hash % HashBuckets;
    }
}
