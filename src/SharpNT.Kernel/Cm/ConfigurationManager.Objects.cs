using SharpNT.Kernel.Ke;
using SharpNT.Kernel.Ob;

namespace SharpNT.Kernel.Cm;

internal sealed partial class ConfigurationManager
{
    private Machine? _machine;

    /// <summary>The key body named \REGISTRY in the object namespace, once the registry is in it.</summary>
    internal CmKeyBody? RegistryRootBody { get; private set; }

    /// <summary>The machine whose object namespace holds this registry; set by <see cref="InitializeObjects"/>.</summary>
    private Machine Machine =>
        _machine ?? throw new InvalidOperationException("The registry is not in an object namespace: Machine.Boot puts it there.");

    /// <summary>
    /// CmInitSystem1's object half: installs the Key type's parse procedure (CmpParseKey) and makes \REGISTRY
    /// a permanent Key object in the root directory, so that an open of "\Registry\Machine\..." reaches the
    /// registry at \REGISTRY and the rest of the name is looked up here, and a key handle can be the
    /// RootDirectory of a relative open.
    /// </summary>
    internal void InitializeObjects(Machine machine)
    {
        _machine = machine;
        var ob = machine.Ob;
        ob.KeyType.ParseProcedure = ParseKey;
        var root = new CmKeyBody(Root);
        var status = ob.CreateNamedObject(ob.KeyType, root, RegistryPath,
            OBJECT_ATTRIBUTES.OBJ_PERMANENT | OBJECT_ATTRIBUTES.OBJ_CASE_INSENSITIVE);
        if (status.IsSuccess())
        {
            // No handle: the creator's reference stays with the registry, which lives as long as the machine.
            status = ob.InsertObject(root, KPROCESSOR_MODE.KernelMode, out _);
        }

        if (!status.IsSuccess())
        {
            throw new InvalidOperationException($"The registry could not be named {RegistryPath}: {status}.");
        }

        RegistryRootBody = root;
    }

    /// <summary>
    /// CmpParseKey, the Key type's OB_PARSE_METHOD: <paramref name="parseObject"/> is the key body lookup
    /// reached (\REGISTRY, or the RootDirectory key of a relative open) and <paramref name="remainingName"/>
    /// the path below it. Opens the key the path names, or with a create <see cref="CmParseContext"/> creates
    /// its last component, following symbolic link keys except for the last component when OBJ_OPENLINK
    /// (or REG_OPTION_OPEN_LINK) asks for the link itself. The answer is a new key body, referenced once.
    /// </summary>
    private NTSTATUS ParseKey(object parseObject, OBJECT_TYPE? objectType, ACCESS_STATE accessState, KPROCESSOR_MODE accessMode,
        uint attributes, ref UNICODE_STRING completeName, ref UNICODE_STRING remainingName, object? context, object? securityQos,
        out object? result)
    {
        result = null;
        if (parseObject is not CmKeyBody parent)
        {
            return NTSTATUS.STATUS_OBJECT_TYPE_MISMATCH;
        }

        // Below \REGISTRY the rest of the name starts with a separator; relative to a key handle it does not.
        var path = remainingName.Value.TrimStart('\\');
        var cmContext = context as CmParseContext;
        var openLink = (attributes & OBJECT_ATTRIBUTES.OBJ_OPENLINK) != 0
            || (cmContext is not null && (cmContext.Options & RegConstants.REG_OPTION_OPEN_LINK) != 0);
        NTSTATUS status;
        CmKey? key;
        if (cmContext is { Create: true })
        {
            var options = cmContext.Options | (openLink ? RegConstants.REG_OPTION_OPEN_LINK : 0);
            status = CreateKey(parent.Key, path, cmContext.Class, options, out key, out var disposition);
            cmContext.Disposition = disposition;
        }
        else
        {
            status = OpenKey(parent.Key, path, openLink, out key);
        }

        if (!status.IsSuccess())
        {
            return status;
        }

        var ob = Machine.Ob;
        var body = new CmKeyBody(key!);
        status = ob.CreateObject(ob.KeyType, body, null);
        if (status.IsSuccess())
        {
            result = body;
        }

        return status;
    }
}
