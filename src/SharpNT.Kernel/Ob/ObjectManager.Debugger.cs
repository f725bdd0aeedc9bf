namespace SharpNT.Kernel.Ob;

internal sealed partial class ObjectManager
{
    // ---- The debugger's view: lookups that take no reference, parse nothing and never bug check ----------

    /// <summary>
    /// The object named by <paramref name="path"/> as !object finds it: directories are walked without
    /// references or parse procedures; "\??" is \GLOBAL??; symbolic links are not followed (the link itself
    /// is the answer, as !object \??\C: shows the link). Null if nothing has that name.
    /// </summary>
    internal ObjectHeader? LookupForDebugger(string path)
    {
        if (!path.StartsWith('\\'))
        {
            return null;
        }

        lock (_lock)
        {
            var current = RootDirectoryHeader;
            foreach (var component in path.Split('\\', StringSplitOptions.RemoveEmptyEntries))
            {
                if (current.Body is not OBJECT_DIRECTORY directory)
                {
                    return null;
                }

                var next = directory == RootDirectory && component == "??"
                    ? GlobalDosDevicesHeader
                    : directory.Lookup(component, caseInsensitive: true);
                if (next is null)
                {
                    return null;
                }

                current = next;
            }

            return current;
        }
    }

    /// <summary>The live object whose body is at <paramref name="address"/> (or whose header is), or null.</summary>
    internal ObjectHeader? FindObjectForDebugger(ulong address)
    {
        lock (_lock)
        {
            foreach (var type in _types)
            {
                foreach (var header in type.Objects)
                {
                    if (header.Address == address || header.HeaderAddress == address)
                    {
                        return header;
                    }
                }
            }

            return null;
        }
    }

    /// <summary>Every object in the namespace with its full name, directories before their entries.</summary>
    internal IReadOnlyList<(string Path, ObjectHeader Header)> SnapshotNamespace()
    {
        var all = new List<(string, ObjectHeader)>();
        lock (_lock)
        {
            Walk("\\", RootDirectoryHeader);
        }

        return all;

        void Walk(string path, ObjectHeader header)
        {
            all.Add((path, header));
            if (header.Body is OBJECT_DIRECTORY directory)
            {
                foreach (var entry in directory.Snapshot())
                {
                    Walk(path == "\\" ? "\\" + entry.Name : path + "\\" + entry.Name, entry);
                }
            }
        }
    }

    /// <summary>The address of the directory holding the object's name, or 0.</summary>
    internal ulong DirectoryAddressOf(ObjectHeader header)
    {
        lock (_lock)
        {
            return header.Directory is { } d && TryGetHeader(d) is { } dh ? dh.Address : 0;
        }
    }
}
