namespace SharpNT.Win32;

/// <summary>
/// RtlDosPathNameToNtPathName_U: a Win32 path as the object manager names it. `\\.\X` and `\\?\X` are
/// `\??\X` (devices and verbatim paths); `C:\a\..\b` is `\??\C:\b` (dots resolved); a path without a drive
/// takes the current directory's; `\\server\share` is `\??\UNC\server\share`.
/// </summary>
public static class DosPath
{
    /// <summary>The current directory every process starts in.</summary>
    public const string DefaultCurrentDirectory = @"C:\";

    public static string ToNtPath(string path, string currentDirectory = DefaultCurrentDirectory)
    {
        if (path.StartsWith(@"\\.\", StringComparison.Ordinal) || path.StartsWith(@"\\?\", StringComparison.Ordinal))
        {
            return @"\??\" + path[4..];
        }

        if (path.StartsWith(@"\\", StringComparison.Ordinal))
        {
            return @"\??\UNC\" + Normalize(path[2..]);
        }

        string full;
        if (path.Length >= 2 && path[1] == ':' && char.IsAsciiLetter(path[0]))
        {
            full = path.Length >= 3 && path[2] is '\\' or '/' ? path : path[..2] + @"\" + path[2..];
        }
        else if (path.StartsWith('\\') || path.StartsWith('/'))
        {
            full = currentDirectory[..2] + path;
        }
        else
        {
            full = currentDirectory.TrimEnd('\\') + @"\" + path;
        }

        return @"\??\" + full[..2].ToUpperInvariant() + Normalize(full[2..]);
    }

    /// <summary>Forward slashes become backslashes, `.` goes, `..` climbs (never above the root), trailing dots and spaces of a component go.</summary>
    private static string Normalize(string rest)
    {
        var parts = new List<string>();
        foreach (var raw in rest.Replace('/', '\\').Split('\\'))
        {
            var part = raw.TrimEnd('.', ' ');
            if (raw == "." || raw.Length == 0)
            {
                continue;
            }

            if (raw == "..")
            {
                if (parts.Count > 0)
                {
                    parts.RemoveAt(parts.Count - 1);
                }

                continue;
            }

            parts.Add(part);
        }

        var trailing = rest.EndsWith('\\') || rest.EndsWith('/');
        var joined = @"\" + string.Join('\\', parts);
        return trailing && parts.Count > 0 ? joined + @"\" : joined;
    }
}
