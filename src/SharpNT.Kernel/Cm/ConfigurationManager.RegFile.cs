using System.Text;

namespace SharpNT.Kernel.Cm;

internal sealed partial class ConfigurationManager
{
    /// <summary>
    /// Merges a .reg file into the registry. The file is read and checked whole first, then applied under the
    /// registry lock; if any section cannot be applied (a key that may not be created or deleted) everything
    /// it changed is undone. Throws <see cref="RegFileException"/>, naming the file and line, on refusal.
    /// </summary>
    internal void LoadRegFile(string path)
    {
        var error = RegFileParser.Decode(File.ReadAllBytes(path), path, out var text) ?? LoadRegText(text, path);
        if (error is not null)
        {
            throw new RegFileException(error);
        }
    }

    /// <summary>Merges .reg text (see <see cref="LoadRegFile"/>); returns why it was refused, or null.</summary>
    internal RegFileError? LoadRegText(string text, string fileName)
    {
        var problem = RegFileParser.Parse(text, fileName, out var sections);
        if (problem is not null)
        {
            return problem;
        }

        lock (_lock)
        {
            var undo = new CmUndoLog();
            foreach (var section in sections)
            {
                var error = ApplySectionLocked(section, undo);
                if (error is not null)
                {
                    undo.Rollback();
                    return new RegFileError(fileName, section.Line, error);
                }
            }

            return null;
        }
    }

    /// <summary>Writes the registry's non-volatile keys to a .reg file (UTF-8, LF line ends).</summary>
    internal void SaveRegFile(string path, RegFileStyle style = RegFileStyle.Regedit) =>
        File.WriteAllText(path, SaveRegText(style), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));

    /// <summary>
    /// The registry's non-volatile keys as .reg text: HKEY_LOCAL_MACHINE then HKEY_USERS, each key followed
    /// by its subkeys in NT's name order, values in their order. Volatile keys (the HARDWARE hive, the
    /// CurrentControlSet link) are not saved, as NT never writes them to a hive file.
    /// </summary>
    internal string SaveRegText(RegFileStyle style = RegFileStyle.Regedit)
    {
        lock (_lock)
        {
            var sb = new StringBuilder();
            RegFileWriter.WriteHeader(sb);
            foreach (var master in new[] { MachineKey, UserKey })
            {
                foreach (var hive in master.StableSubkeys)
                {
                    WriteTreeLocked(sb, hive, style);
                }
            }

            return sb.ToString();
        }
    }

    /// <summary>One non-volatile key and everything below it, as .reg text with its header.</summary>
    internal string SaveRegText(CmKey key, RegFileStyle style = RegFileStyle.Regedit)
    {
        lock (_lock)
        {
            var sb = new StringBuilder();
            RegFileWriter.WriteHeader(sb);
            if (!key.IsDeleted && !key.IsVolatile)
            {
                WriteTreeLocked(sb, key, style);
            }

            return sb.ToString();
        }
    }

    private static void WriteTreeLocked(StringBuilder sb, CmKey top, RegFileStyle style)
    {
        var stack = new Stack<CmKey>();
        stack.Push(top);
        while (stack.Count > 0)
        {
            var key = stack.Pop();
            var regPath = RegFileParser.ToRegPath(key.FullPath)
                ?? throw new InvalidOperationException($"{key.FullPath} is not under HKEY_LOCAL_MACHINE or HKEY_USERS.");
            RegFileWriter.WriteSection(sb, regPath, key.Values, style);
            var children = key.StableSubkeys;
            for (var i = children.Count - 1; i >= 0; i--)
            {
                stack.Push(children[i]);
            }
        }
    }

    /// <summary>Applies one section; returns what went wrong, or null.</summary>
    private string? ApplySectionLocked(RegFileSection section, CmUndoLog undo)
    {
        if (section.Delete)
        {
            var status = ParseLocked(null, section.NtPath, create: false, RegConstants.REG_OPTION_OPEN_LINK, null, undo,
                mountHive: false, out var doomed, out _);
            if (status is NTSTATUS.STATUS_OBJECT_NAME_NOT_FOUND or NTSTATUS.STATUS_OBJECT_PATH_NOT_FOUND)
            {
                // As regedit: deleting a key that is not there is not an error.
                return null;
            }

            if (status.IsSuccess())
            {
                status = DeleteTreeLocked(doomed!, undo);
            }

            return status.IsSuccess() ? null : $"cannot delete [{section.KeyText}]: {Explain(status)}";
        }

        // A section that sets SymbolicLinkValue to a REG_LINK defines a symbolic link key (how a saved
        // non-volatile link comes back); any other section follows links on its way, as a ZwCreateKey would.
        var isLink = section.Values.Any(v => v.Data is not null && v.Type == RegConstants.REG_LINK
            && CmNameComparer.Instance.Equals(v.Name, RegConstants.SymbolicLinkValueName));
        var problem = EnsureKeyLocked(section, isLink, undo, out var key);
        if (problem is not null)
        {
            return problem;
        }

        foreach (var value in section.Values)
        {
            if (value.Data is null)
            {
                DeleteValueLocked(key!, value.Name, undo);
            }
            else
            {
                SetValueLocked(key!, value.Name, value.Type, value.Data, undo);
            }
        }

        return null;
    }

    /// <summary>Opens the section's key, creating every missing key on the way (non-volatile).</summary>
    private string? EnsureKeyLocked(RegFileSection section, bool isLink, CmUndoLog undo, out CmKey? key)
    {
        key = null;
        var components = section.NtPath.Split('\\', StringSplitOptions.RemoveEmptyEntries);
        var prefix = new StringBuilder();
        for (var i = 0; i < components.Length; i++)
        {
            prefix.Append('\\').Append(components[i]);
            var last = i == components.Length - 1;
            NTSTATUS status;
            if (last && isLink)
            {
                status = ParseLocked(null, prefix.ToString(), create: false, RegConstants.REG_OPTION_OPEN_LINK, null, undo,
                    mountHive: false, out key, out _);
                if (status.IsSuccess() && !key!.IsSymbolicLink)
                {
                    return $"[{section.KeyText}] sets a REG_LINK {RegConstants.SymbolicLinkValueName}, but the key exists and is not a symbolic link";
                }

                if (status == NTSTATUS.STATUS_OBJECT_NAME_NOT_FOUND)
                {
                    status = ParseLocked(null, prefix.ToString(), create: true, RegConstants.REG_OPTION_CREATE_LINK, null, undo,
                        mountHive: true, out key, out _);
                }
            }
            else
            {
                status = ParseLocked(null, prefix.ToString(), create: true, RegConstants.REG_OPTION_NON_VOLATILE, null, undo,
                    mountHive: true, out key, out _);
            }

            if (!status.IsSuccess())
            {
                var at = RegFileParser.ToRegPath(prefix.ToString()) ?? prefix.ToString();
                return $"cannot create the key {at}: {Explain(status)}";
            }
        }

        return null;
    }

    private static string Explain(NTSTATUS status) => status switch
    {
        NTSTATUS.STATUS_CANNOT_DELETE => $"{status.Describe()}, the root of a hive cannot be deleted",
        NTSTATUS.STATUS_ACCESS_DENIED => $"{status.Describe()}, keys directly under HKEY_LOCAL_MACHINE are hives (SYSTEM, SOFTWARE, HARDWARE)",
        NTSTATUS.STATUS_CHILD_MUST_BE_VOLATILE => $"{status.Describe()}, its parent is volatile and is never saved",
        NTSTATUS.STATUS_OBJECT_NAME_NOT_FOUND => $"{status.Describe()}, a symbolic link on the way leads nowhere",
        _ => status.Describe(),
    };
}
