namespace SharpNT.Kernel.Cm;

internal sealed partial class ConfigurationManager
{
    /// <summary>
    /// OBJ_MAX_REPARSE_ATTEMPTS: how many symbolic links one lookup follows before it gives up (a loop of
    /// links ends here instead of spinning).
    /// </summary>
    internal const int MaxLinkReparses = 32;

    /// <summary>
    /// CmpParseKey: walks <paramref name="path"/> from <paramref name="parent"/> (or, when it is null, from the
    /// namespace root, where the path must start with \REGISTRY), following symbolic link keys, and opens
    /// the key it names or, when <paramref name="create"/> is set, creates its last component. Only the last
    /// component is ever created: a missing key before it is STATUS_OBJECT_NAME_NOT_FOUND.
    /// <paramref name="mountHive"/> lets a .reg load create a hive root directly under HKEY_USERS.
    /// </summary>
    private NTSTATUS ParseLocked(
        CmKey? parent,
        string path,
        bool create,
        uint options,
        string? @class,
        CmUndoLog? undo,
        bool mountHive,
        out CmKey? key,
        out uint disposition)
    {
        key = null;
        disposition = 0;
        var status = StartPath(parent, path, out var current, out var position);
        if (!status.IsSuccess())
        {
            return status;
        }

        if (current.IsDeleted)
        {
            return NTSTATUS.STATUS_KEY_DELETED;
        }

        // A link is opened itself, not followed, when it is the last component and the caller asked for the
        // link (REG_OPTION_OPEN_LINK / OBJ_OPENLINK) or is creating one.
        var openLink = (options & (RegConstants.REG_OPTION_OPEN_LINK | RegConstants.REG_OPTION_CREATE_LINK)) != 0;
        var reparses = 0;
        while (NextComponent(path, ref position, out var name))
        {
            // CmpGetNextName: a component longer than a key name can be is an invalid name.
            if (name.Length > RegConstants.MaxKeyNameLength)
            {
                return NTSTATUS.STATUS_OBJECT_NAME_INVALID;
            }

            var last = IsEnd(path, position);
            var child = current.FindSubkey(name);
            if (child is null)
            {
                if (!last || !create)
                {
                    return NTSTATUS.STATUS_OBJECT_NAME_NOT_FOUND;
                }

                status = CreateChildLocked(current, name.ToString(), options, @class, undo, mountHive, out key);
                if (status.IsSuccess())
                {
                    disposition = RegConstants.REG_CREATED_NEW_KEY;
                }

                return status;
            }

            if (child.IsSymbolicLink && !(last && openLink))
            {
                // The object manager's reparse: continue with the link's target and what is left of the path.
                if (++reparses > MaxLinkReparses || child.LinkTarget is not { } target)
                {
                    return NTSTATUS.STATUS_OBJECT_NAME_NOT_FOUND;
                }

                path = last ? target : string.Concat(target, "\\", path.AsSpan(position));
                if (!StartPath(null, path, out current, out position).IsSuccess())
                {
                    return NTSTATUS.STATUS_OBJECT_NAME_NOT_FOUND;
                }

                continue;
            }

            current = child;
        }

        if (create && (options & RegConstants.REG_OPTION_CREATE_LINK) != 0)
        {
            // A link is created only where no key exists.
            return NTSTATUS.STATUS_OBJECT_NAME_COLLISION;
        }

        key = current;
        disposition = RegConstants.REG_OPENED_EXISTING_KEY;
        return NTSTATUS.STATUS_SUCCESS;
    }

    /// <summary>
    /// Where a lookup starts. A path relative to a key must not start with a separator. An absolute path is
    /// looked up in the object namespace as the object manager does: \REGISTRY is the registry's root key,
    /// anything else is not in the registry.
    /// </summary>
    private NTSTATUS StartPath(CmKey? parent, string path, out CmKey start, out int position)
    {
        start = parent ?? Root;
        position = 0;
        var absolute = path.StartsWith('\\');
        if (parent is not null)
        {
            return absolute ? NTSTATUS.STATUS_OBJECT_PATH_SYNTAX_BAD : NTSTATUS.STATUS_SUCCESS;
        }

        if (!absolute)
        {
            return NTSTATUS.STATUS_OBJECT_PATH_SYNTAX_BAD;
        }

        if (!NextComponent(path, ref position, out var first))
        {
            // "\" is the object manager's root directory, which is not a key.
            return NTSTATUS.STATUS_OBJECT_TYPE_MISMATCH;
        }

        if (!CmNameComparer.Instance.Equals(first, Root.Name))
        {
            return IsEnd(path, position) ? NTSTATUS.STATUS_OBJECT_NAME_NOT_FOUND : NTSTATUS.STATUS_OBJECT_PATH_NOT_FOUND;
        }

        return NTSTATUS.STATUS_SUCCESS;
    }

    /// <summary>The next key name of a path; repeated separators are skipped, as CmpGetNextName does.</summary>
    private static bool NextComponent(string path, ref int position, out ReadOnlySpan<char> name)
    {
        while (position < path.Length && path[position] == '\\')
        {
            position++;
        }

        var start = position;
        while (position < path.Length && path[position] != '\\')
        {
            position++;
        }

        name = path.AsSpan(start, position - start);
        return name.Length > 0;
    }

    /// <summary>True if nothing but separators is left of the path.</summary>
    private static bool IsEnd(string path, int position) => path.AsSpan(position).TrimStart('\\').IsEmpty;

    /// <summary>CmpDoCreate: makes <paramref name="name"/> a new subkey of <paramref name="parent"/>.</summary>
    private NTSTATUS CreateChildLocked(CmKey parent, string name, uint options, string? @class, CmUndoLog? undo, bool mountHive, out CmKey? key)
    {
        key = null;
        var volatileKey = (options & RegConstants.REG_OPTION_VOLATILE) != 0;
        var hiveRoot = false;
        if (parent.IsMaster)
        {
            // Keys directly under \REGISTRY, \REGISTRY\MACHINE and \REGISTRY\USER are hives, mounted by
            // loading one (NtLoadKey), not made by ZwCreateKey. A .reg load mounts a user hive under
            // HKEY_USERS the way loading a profile does.
            if (!(mountHive && parent == UserKey && !volatileKey))
            {
                return NTSTATUS.STATUS_ACCESS_DENIED;
            }

            hiveRoot = true;
        }
        else if (parent.IsVolatile && !volatileKey)
        {
            return NTSTATUS.STATUS_CHILD_MUST_BE_VOLATILE;
        }

        var flags = (volatileKey ? CmKeyFlags.Volatile : CmKeyFlags.None)
            | ((options & RegConstants.REG_OPTION_CREATE_LINK) != 0 ? CmKeyFlags.SymbolicLink : CmKeyFlags.None)
            | (hiveRoot ? CmKeyFlags.NoDelete : CmKeyFlags.None);
        var now = Now();
        key = new CmKey(this, parent, name, flags, @class, now);
        undo?.SaveTime(parent);
        parent.AddSubkey(key);
        parent.LastWriteTime = now;
        if (undo is not null)
        {
            var created = key;
            undo.Record(() => parent.RemoveSubkey(created));
        }

        parent.AssertInvariants();
        return NTSTATUS.STATUS_SUCCESS;
    }
}
