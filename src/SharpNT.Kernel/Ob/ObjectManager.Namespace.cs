using System.Diagnostics;
using System.Globalization;
using System.Text;
using SharpNT.Kernel.Ke;

namespace SharpNT.Kernel.Ob;

internal sealed partial class ObjectManager
{
    /// <summary>
    /// OBJ_MAX_REPARSE_ATTEMPTS (ntobapi.h, 32): how many times one lookup may reparse (symbolic links,
    /// parse procedures) before it gives up.
    /// </summary>
    internal const int MaxReparse = 32;

    /// <summary>
    /// ObOpenObjectByName: looks the name up (following symbolic links and calling parse procedures) and
    /// opens a handle to what it finds. Returns the status NT gives: STATUS_OBJECT_NAME_NOT_FOUND,
    /// STATUS_OBJECT_PATH_NOT_FOUND, STATUS_OBJECT_NAME_INVALID, STATUS_OBJECT_PATH_SYNTAX_BAD,
    /// STATUS_OBJECT_TYPE_MISMATCH, or what a parse procedure returned.
    /// </summary>
    internal NTSTATUS OpenObjectByName(in OBJECT_ATTRIBUTES attributes, OBJECT_TYPE? objectType, KPROCESSOR_MODE accessMode,
        ACCESS_STATE? accessState, uint desiredAccess, object? parseContext, out HANDLE handle)
    {
        handle = HANDLE.NULL;
        var status = ValidateAttributes(attributes, null);
        if (!status.IsSuccess())
        {
            return status;
        }

        if (attributes.ObjectName is not { } objectName)
        {
            return NTSTATUS.STATUS_OBJECT_NAME_INVALID;
        }

        status = CaptureName(objectName, out var name);
        if (!status.IsSuccess())
        {
            return status;
        }

        ObjectHeader? root = null;
        if (!attributes.RootDirectory.IsNull)
        {
            status = ReferenceObjectByHandle(attributes.RootDirectory, 0, null, accessMode, out var rootBody, out _);
            if (!status.IsSuccess())
            {
                return status;
            }

            root = GetHeader(rootBody!);
        }

        accessState ??= NewAccessState(desiredAccess, objectType, name);

        // OBJ_FORCE_ACCESS_CHECK: a kernel-mode open is checked as if it came from user mode.
        var checkMode = (attributes.Attributes & OBJECT_ATTRIBUTES.OBJ_FORCE_ACCESS_CHECK) != 0 ? KPROCESSOR_MODE.UserMode : accessMode;
        status = LookupObjectName(root, name ?? string.Empty, attributes.Attributes, objectType, checkMode, accessState,
            parseContext, attributes.SecurityQualityOfService, null, out var found, out _);
        if (root is not null)
        {
            Dereference(root);
        }

        if (!status.IsSuccess())
        {
            return status;
        }

        var header = GetHeader(found!);
        if (objectType is not null && header.Type != objectType)
        {
            Dereference(header);
            return NTSTATUS.STATUS_OBJECT_TYPE_MISMATCH;
        }

        var handleStatus = CreateHandle(header, desiredAccess, attributes.Attributes, accessMode, transferReference: true, out handle);
        if (!handleStatus.IsSuccess())
        {
            Dereference(header);
            return handleStatus;
        }

        return status;
    }

    /// <summary>
    /// ObReferenceObjectByName: the object a name refers to, referenced, without a handle. An empty name
    /// is STATUS_OBJECT_NAME_INVALID.
    /// </summary>
    internal NTSTATUS ReferenceObjectByName(UNICODE_STRING objectName, uint attributes, ACCESS_STATE? accessState,
        uint desiredAccess, OBJECT_TYPE? objectType, KPROCESSOR_MODE accessMode, object? parseContext, out object? obj)
    {
        obj = null;
        if (objectName.Length == 0 || objectName.Buffer is null)
        {
            return NTSTATUS.STATUS_OBJECT_NAME_INVALID;
        }

        var status = CaptureName(objectName, out var name);
        if (!status.IsSuccess())
        {
            return status;
        }

        accessState ??= NewAccessState(desiredAccess, objectType, name);
        status = LookupObjectName(null, name!, attributes, objectType, accessMode, accessState, parseContext, null, null,
            out var found, out _);
        if (!status.IsSuccess())
        {
            return status;
        }

        var header = GetHeader(found!);
        if (objectType is not null && header.Type != objectType)
        {
            Dereference(header);
            return NTSTATUS.STATUS_OBJECT_TYPE_MISMATCH;
        }

        obj = found;
        return status;
    }

    /// <summary>
    /// ObpLookupObjectName: walks <paramref name="objectName"/> from the root (or from
    /// <paramref name="rootDirectory"/>, which the caller keeps referenced), component by component.
    /// Reaching an object whose type has a parse procedure hands the rest of the name to it; a reparse
    /// starts over with the new name, at most <see cref="MaxReparse"/> times (then STATUS_OBJECT_NAME_NOT_FOUND,
    /// as a lookup that ends in a reparse finds nothing). With <paramref name="insertObject"/>, a final
    /// component that does not exist is created as that object's name (<paramref name="inserted"/>);
    /// symbolic links along the way are still followed. The object found comes back referenced.
    /// </summary>
    private NTSTATUS LookupObjectName(ObjectHeader? rootDirectory, string objectName, uint attributes, OBJECT_TYPE? objectType,
        KPROCESSOR_MODE accessMode, ACCESS_STATE accessState, object? parseContext, object? securityQos,
        ObjectHeader? insertObject, out object? foundObject, out bool inserted)
    {
        foundObject = null;
        inserted = false;

        // With ObCaseInsensitive on, a type that asks for it (or no type) is looked up ignoring case.
        if (ObCaseInsensitive && (objectType is null || objectType.CaseInsensitive))
        {
            attributes |= OBJECT_ATTRIBUTES.OBJ_CASE_INSENSITIVE;
        }

        var caseInsensitive = (attributes & OBJECT_ATTRIBUTES.OBJ_CASE_INSENSITIVE) != 0;
        var name = objectName;
        var root = rootDirectory;
        var reparses = 0;
        while (true)
        {
            NTSTATUS status;
            ObjectHeader? parseObject;
            string remaining;
            lock (_lock)
            {
                status = WalkLocked(root, name, caseInsensitive, objectType, insertObject, out foundObject, out inserted,
                    out parseObject, out remaining);
            }

            if (parseObject is null)
            {
                return status;
            }

            var completeName = new UNICODE_STRING(name);
            var remainingName = new UNICODE_STRING(remaining);
            status = parseObject.Type.ParseProcedure!(parseObject.Body, objectType, accessState, accessMode, attributes,
                ref completeName, ref remainingName, parseContext, securityQos, out var parsed);
            Dereference(parseObject);
            if (status == NTSTATUS.STATUS_REPARSE)
            {
                if (parsed is not null)
                {
                    DereferenceObject(parsed);
                }

                if ((attributes & OBJECT_ATTRIBUTES.OBJ_DONT_REPARSE) != 0)
                {
                    return NTSTATUS.STATUS_REPARSE_POINT_ENCOUNTERED;
                }

                if (++reparses > MaxReparse)
                {
                    return NTSTATUS.STATUS_OBJECT_NAME_NOT_FOUND;
                }

                name = completeName.Value;
                if (name.Length > 0 && name[0] == '\\')
                {
                    // A name from the root: the caller's root directory no longer applies.
                    root = null;
                }
                else if (root is null)
                {
                    return NTSTATUS.STATUS_OBJECT_NAME_NOT_FOUND;
                }

                continue;
            }

            if (!status.IsSuccess())
            {
                if (parsed is not null)
                {
                    DereferenceObject(parsed);
                }

                return status;
            }

            if (parsed is null)
            {
                return NTSTATUS.STATUS_OBJECT_NAME_NOT_FOUND;
            }

            foundObject = parsed;
            return status;
        }
    }

    /// <summary>
    /// One pass of the lookup, under the namespace lock: either finds (or inserts) the object, or stops at
    /// an object with a parse procedure, referenced, with the rest of the name.
    /// </summary>
    private NTSTATUS WalkLocked(ObjectHeader? root, string path, bool caseInsensitive, OBJECT_TYPE? objectType,
        ObjectHeader? insertObject, out object? foundObject, out bool inserted, out ObjectHeader? parseObject, out string remaining)
    {
        Debug.Assert(Monitor.IsEntered(_lock));
        foundObject = null;
        inserted = false;
        parseObject = null;
        remaining = string.Empty;

        OBJECT_DIRECTORY directory;
        int position;
        if (root is null)
        {
            // A name from the root must start with a backslash.
            if (path.Length == 0 || path[0] != '\\')
            {
                return NTSTATUS.STATUS_OBJECT_PATH_SYNTAX_BAD;
            }

            if (path.Length == 1)
            {
                Interlocked.Increment(ref RootDirectoryHeader.PointerCount);
                foundObject = RootDirectory;
                return NTSTATUS.STATUS_SUCCESS;
            }

            directory = RootDirectory;
            position = 1;
        }
        else
        {
            // Relative to a root: the name cannot start with a backslash, unless the root is a file
            // (relative file opens go to the file system with the name as given).
            if (path.Length > 0 && path[0] == '\\' && root.Type != FileType)
            {
                return NTSTATUS.STATUS_OBJECT_PATH_SYNTAX_BAD;
            }

            if (root.Type != DirectoryType)
            {
                if (root.Type.ParseProcedure is null)
                {
                    return NTSTATUS.STATUS_INVALID_HANDLE;
                }

                Interlocked.Increment(ref root.PointerCount);
                parseObject = root;
                remaining = path;
                return NTSTATUS.STATUS_SUCCESS;
            }

            if (path.Length == 0)
            {
                Interlocked.Increment(ref root.PointerCount);
                foundObject = root.Body;
                return NTSTATUS.STATUS_SUCCESS;
            }

            directory = (OBJECT_DIRECTORY)root.Body;
            position = 0;
        }

        while (true)
        {
            var end = path.IndexOf('\\', position);
            if (end < 0)
            {
                end = path.Length;
            }

            var component = path.AsSpan(position, end - position);
            if (component.IsEmpty)
            {
                return NTSTATUS.STATUS_OBJECT_NAME_INVALID;
            }

            var last = end == path.Length;

            // "\??" is the DOS devices directory: the caller's device map, which is \GLOBAL?? (per-session
            // device maps are not modelled).
            var entry = directory == RootDirectory && component is "??"
                ? GlobalDosDevicesHeader
                : directory.Lookup(component, caseInsensitive);
            if (entry is null)
            {
                if (!last)
                {
                    return NTSTATUS.STATUS_OBJECT_PATH_NOT_FOUND;
                }

                if (insertObject is null)
                {
                    return NTSTATUS.STATUS_OBJECT_NAME_NOT_FOUND;
                }

                InsertEntryLocked(directory, insertObject, component.ToString());
                inserted = true;
                foundObject = insertObject.Body;
                return NTSTATUS.STATUS_SUCCESS;
            }

            // A parse procedure takes over, except that an insert does not parse through the final name
            // (it collides with it), and that opening a symbolic link as a symbolic link opens the link.
            var isLink = entry.Type == SymbolicLinkType;
            var parse = entry.Type.ParseProcedure is not null && (insertObject is null
                ? !(isLink && last && objectType == SymbolicLinkType)
                : isLink && !last);
            if (parse)
            {
                Interlocked.Increment(ref entry.PointerCount);
                parseObject = entry;
                remaining = last ? string.Empty : path[end..];
                return NTSTATUS.STATUS_SUCCESS;
            }

            if (last)
            {
                Interlocked.Increment(ref entry.PointerCount);
                foundObject = entry.Body;
                return NTSTATUS.STATUS_SUCCESS;
            }

            if (entry.Type != DirectoryType)
            {
                return NTSTATUS.STATUS_OBJECT_TYPE_MISMATCH;
            }

            directory = (OBJECT_DIRECTORY)entry.Body;
            position = end + 1;
        }
    }

    // ---- Names, for the debugger and ObQueryNameString --------------------------------------------------

    /// <summary>
    /// ObQueryNameString: the object's full name ("\Device\Harddisk0"), or null if it has no name in the
    /// namespace.
    /// </summary>
    internal string? QueryName(object body)
    {
        var header = GetHeader(body);
        lock (_lock)
        {
            if (header == RootDirectoryHeader)
            {
                return "\\";
            }

            if (header.Directory is null)
            {
                return null;
            }

            var parts = new List<string>();
            var current = header;
            while (current is not null && current != RootDirectoryHeader)
            {
                parts.Add(current.Name ?? "...");
                current = current.Directory is { } d ? GetHeader(d) : null;
            }

            parts.Reverse();
            return "\\" + string.Join('\\', parts);
        }
    }

    /// <summary>The entries of a directory, sorted as the debugger's !object lists them: (name, type name, object).</summary>
    internal IReadOnlyList<(string Name, string TypeName, object Object)> QueryDirectory(object directoryBody)
    {
        var header = GetHeader(directoryBody);
        if (header.Type != DirectoryType)
        {
            return [];
        }

        lock (_lock)
        {
            var entries = ((OBJECT_DIRECTORY)directoryBody).Snapshot();
            var list = new List<(string, string, object)>(entries.Count);
            foreach (var e in entries)
            {
                list.Add((e.Name!, e.Type.Name, e.Body));
            }

            return list;
        }
    }

    /// <summary>The debugger's !object: address, type, counts, directory and name.</summary>
    internal string DescribeObject(object body)
    {
        var header = GetHeader(body);
        var name = QueryName(body);
        var sb = new StringBuilder();
        lock (_lock)
        {
            sb.Append(CultureInfo.InvariantCulture, $"Object: {header.Address:x16}  Type: ({header.Type.Address:x16}) {header.Type.Name}\n");
            sb.Append(CultureInfo.InvariantCulture, $"    ObjectHeader: {header.HeaderAddress:x16}\n");
            sb.Append(CultureInfo.InvariantCulture, $"    HandleCount: {header.HandleCount}  PointerCount: {Volatile.Read(ref header.PointerCount)}\n");
            if (header.Directory is { } d)
            {
                sb.Append(CultureInfo.InvariantCulture, $"    Directory Object: {GetHeader(d).Address:x16}  Name: {header.Name}\n");
            }
            else if (name is not null)
            {
                sb.Append(CultureInfo.InvariantCulture, $"    Name: {name}\n");
            }

            if (header.Permanent)
            {
                sb.Append("    Permanent\n");
            }
        }

        return sb.ToString();
    }
}
