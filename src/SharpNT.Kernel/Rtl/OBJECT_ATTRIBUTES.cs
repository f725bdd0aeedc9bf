using System.Diagnostics;

namespace SharpNT.Kernel;

/// <summary>
/// What a create or open routine is told about the object (ntdef.h OBJECT_ATTRIBUTES): its name, the
/// directory the name is relative to, the OBJ_* attributes, and its security. Set it up with
/// InitializeObjectAttributes, which also sets Length, as the Ob routines check.
/// </summary>
[DebuggerDisplay("{ObjectName} attributes {Attributes,h}")]
public struct OBJECT_ATTRIBUTES
{
    /// <summary>sizeof(OBJECT_ATTRIBUTES) on x64: what InitializeObjectAttributes puts in Length.</summary>
    public const uint SizeOf = 0x30;

    // ---- OBJ_* attributes (ntdef.h) -------------------------------------------------------------------

    /// <summary>A handle attribute: the handle cannot be closed (ZwDuplicateObject's HandleAttributes).</summary>
    public const uint OBJ_PROTECT_CLOSE = 0x00000001;
    public const uint OBJ_INHERIT = 0x00000002;

    /// <summary>A handle attribute: closing the handle generates an audit.</summary>
    public const uint OBJ_AUDIT_OBJECT_CLOSE = 0x00000004;
    public const uint OBJ_PERMANENT = 0x00000010;
    public const uint OBJ_EXCLUSIVE = 0x00000020;
    public const uint OBJ_CASE_INSENSITIVE = 0x00000040;
    public const uint OBJ_OPENIF = 0x00000080;
    public const uint OBJ_OPENLINK = 0x00000100;
    public const uint OBJ_KERNEL_HANDLE = 0x00000200;
    public const uint OBJ_FORCE_ACCESS_CHECK = 0x00000400;
    public const uint OBJ_IGNORE_IMPERSONATED_DEVICEMAP = 0x00000800;
    public const uint OBJ_DONT_REPARSE = 0x00001000;
    public const uint OBJ_VALID_ATTRIBUTES = 0x00001FF2;

    public uint Length;
    public HANDLE RootDirectory;
    public UNICODE_STRING? ObjectName;
    public uint Attributes;
    public object? SecurityDescriptor;
    public object? SecurityQualityOfService;

    /// <summary>InitializeObjectAttributes.</summary>
    internal static void Initialize(out OBJECT_ATTRIBUTES attributes, UNICODE_STRING? objectName, uint flags,
        HANDLE rootDirectory, object? securityDescriptor) =>
        attributes = new OBJECT_ATTRIBUTES
        {
            Length = SizeOf,
            RootDirectory = rootDirectory,
            ObjectName = objectName,
            Attributes = flags,
            SecurityDescriptor = securityDescriptor,
            SecurityQualityOfService = null,
        };
}
