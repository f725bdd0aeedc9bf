namespace SharpNT.Kernel.Cm;

internal sealed partial class ConfigurationManager
{
    /// <summary>
    /// ZwCreateKey: opens the key <paramref name="path"/> names relative to <paramref name="parent"/> (null:
    /// an absolute \REGISTRY\... path), creating its last component if it does not exist.
    /// <paramref name="createOptions"/> are the REG_OPTION_* bits (any other bit is
    /// STATUS_INVALID_PARAMETER); <paramref name="disposition"/> receives REG_CREATED_NEW_KEY or
    /// REG_OPENED_EXISTING_KEY. An existing key keeps its class and volatility; a non-volatile key under a
    /// volatile one is STATUS_CHILD_MUST_BE_VOLATILE; REG_OPTION_CREATE_LINK where a key exists is
    /// STATUS_OBJECT_NAME_COLLISION.
    /// </summary>
    internal NTSTATUS CreateKey(CmKey? parent, string path, string? @class, uint createOptions, out CmKey? key, out uint disposition)
    {
        key = null;
        disposition = 0;
        if ((createOptions & ~RegConstants.REG_LEGAL_OPTION) != 0)
        {
            return NTSTATUS.STATUS_INVALID_PARAMETER;
        }

        lock (_lock)
        {
            return ParseLocked(parent, path, create: true, createOptions, @class, undo: null, mountHive: false, out key, out disposition);
        }
    }

    /// <summary>
    /// ZwOpenKey / ZwOpenKeyEx: opens an existing key. A missing key, anywhere along the path, is
    /// STATUS_OBJECT_NAME_NOT_FOUND (an absolute path outside \REGISTRY is STATUS_OBJECT_PATH_NOT_FOUND);
    /// <paramref name="openLink"/> (OBJ_OPENLINK, REG_OPTION_OPEN_LINK) opens a symbolic link key itself.
    /// </summary>
    internal NTSTATUS OpenKey(CmKey? parent, string path, bool openLink, out CmKey? key)
    {
        lock (_lock)
        {
            var options = openLink ? RegConstants.REG_OPTION_OPEN_LINK : 0;
            return ParseLocked(parent, path, create: false, options, null, undo: null, mountHive: false, out key, out _);
        }
    }

    /// <summary>Opens a key by its absolute NT path, following links; null if there is none.</summary>
    internal CmKey? OpenKey(string absolutePath) =>
        OpenKey(null, absolutePath, openLink: false, out var key).IsSuccess() ? key : null;

    /// <summary>
    /// ZwDeleteKey: removes a key that has no subkeys from the namespace at once; every handle to it then
    /// gets STATUS_KEY_DELETED. A key with subkeys, or the root of a hive, is STATUS_CANNOT_DELETE.
    /// </summary>
    internal NTSTATUS DeleteKey(CmKey key)
    {
        lock (_lock)
        {
            if (key.IsDeleted)
            {
                return NTSTATUS.STATUS_KEY_DELETED;
            }

            if (key.IsNoDelete || key.SubkeyCount > 0 || key.Parent is null)
            {
                return NTSTATUS.STATUS_CANNOT_DELETE;
            }

            var parent = key.Parent;
            parent.RemoveSubkey(key);
            parent.LastWriteTime = Now();
            key.IsDeleted = true;
            parent.AssertInvariants();
            return NTSTATUS.STATUS_SUCCESS;
        }
    }

    /// <summary>
    /// ZwQueryKey: KeyBasicInformation, KeyNodeInformation, KeyFullInformation, KeyNameInformation (the full
    /// NT path), KeyCachedInformation or KeyVirtualizationInformation about the key itself.
    /// </summary>
    internal NTSTATUS QueryKey(CmKey key, KEY_INFORMATION_CLASS infoClass, Span<byte> buffer, out uint resultLength)
    {
        lock (_lock)
        {
            if (key.IsDeleted)
            {
                resultLength = 0;
                return NTSTATUS.STATUS_KEY_DELETED;
            }

            return CmInformation.WriteKey(key, infoClass, buffer, out resultLength);
        }
    }

    /// <summary>
    /// ZwEnumerateKey: the subkey at <paramref name="index"/> in NT's order (non-volatile subkeys sorted by
    /// upcased name, then volatile ones), as KeyBasicInformation, KeyNodeInformation or KeyFullInformation;
    /// STATUS_NO_MORE_ENTRIES past the last one.
    /// </summary>
    internal NTSTATUS EnumerateKey(CmKey key, uint index, KEY_INFORMATION_CLASS infoClass, Span<byte> buffer, out uint resultLength)
    {
        resultLength = 0;
        lock (_lock)
        {
            if (key.IsDeleted)
            {
                return NTSTATUS.STATUS_KEY_DELETED;
            }

            if (infoClass is not (KEY_INFORMATION_CLASS.KeyBasicInformation or KEY_INFORMATION_CLASS.KeyNodeInformation
                or KEY_INFORMATION_CLASS.KeyFullInformation))
            {
                return NTSTATUS.STATUS_INVALID_PARAMETER;
            }

            if (index > int.MaxValue || key.SubkeyAt((int)index) is not { } subkey)
            {
                return NTSTATUS.STATUS_NO_MORE_ENTRIES;
            }

            return CmInformation.WriteSubkey(subkey, infoClass, buffer, out resultLength);
        }
    }

    /// <summary>A snapshot of a key's subkeys in enumeration order (for kernel code and the debugger).</summary>
    internal IReadOnlyList<CmKey> GetSubkeys(CmKey key)
    {
        lock (_lock)
        {
            return [.. key.Subkeys];
        }
    }

    /// <summary>
    /// Deletes a key and everything below it (a .reg [-KEY] line, like RegDeleteTree): refused with
    /// STATUS_CANNOT_DELETE if the subtree holds the root of a hive.
    /// </summary>
    private NTSTATUS DeleteTreeLocked(CmKey key, CmUndoLog undo)
    {
        var subtree = new List<CmKey>();
        var stack = new Stack<CmKey>();
        stack.Push(key);
        while (stack.Count > 0)
        {
            var k = stack.Pop();
            if (k.IsNoDelete || k.Parent is null)
            {
                return NTSTATUS.STATUS_CANNOT_DELETE;
            }

            subtree.Add(k);
            foreach (var child in k.Subkeys)
            {
                stack.Push(child);
            }
        }

        var parent = key.Parent!;
        undo.SaveTime(parent);
        parent.RemoveSubkey(key);
        parent.LastWriteTime = Now();
        foreach (var k in subtree)
        {
            k.IsDeleted = true;
        }

        undo.Record(() =>
        {
            foreach (var k in subtree)
            {
                k.IsDeleted = false;
            }

            parent.AddSubkey(key);
        });
        return NTSTATUS.STATUS_SUCCESS;
    }
}
