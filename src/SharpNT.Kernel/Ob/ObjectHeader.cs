using System.Diagnostics;
using SharpNT.Kernel.Ps;

namespace SharpNT.Kernel.Ob;

/// <summary>
/// The Object Manager's bookkeeping for one object (OBJECT_HEADER with its name and creator information):
/// its type, its pointer and handle counts, its name and directory, and whether it is permanent. Found
/// from the body by reference identity. As on NT, every handle holds one pointer reference, and a name in
/// a directory holds one more.
/// </summary>
[DebuggerDisplay("{Type.Name} {Name} @{Address,h} pointers {PointerCount} handles {HandleCount}")]
internal sealed class ObjectHeader
{
    /// <summary>FIELD_OFFSET(OBJECT_HEADER, Body) on x64: the header sits this far below the body.</summary>
    internal const ulong BodyOffset = 0x30;

    /// <summary>Pointer references, handles' included. Changed with Interlocked; never negative while alive.</summary>
    internal long PointerCount;

    internal ObjectHeader(OBJECT_TYPE type, object body, ulong address, long pointerCount)
    {
        Type = type;
        Body = body;
        Address = address;
        PointerCount = pointerCount;
    }

    internal OBJECT_TYPE Type { get; }

    internal object Body { get; }

    /// <summary>The body's kernel address (what a PVOID to the object holds).</summary>
    internal ulong Address { get; }

    internal ulong HeaderAddress => Address - BodyOffset;

    /// <summary>Open handles to the object, in every handle table. Guarded by the Object Manager's lock.</summary>
    internal long HandleCount { get; set; }

    /// <summary>Handles per process (the per-process handle count the close procedure is told about).</summary>
    internal Dictionary<EPROCESS, long>? ProcessHandleCounts { get; set; }

    /// <summary>The object's name in its directory (OBJECT_HEADER_NAME_INFO.Name); kept after the name is removed.</summary>
    internal string? Name { get; set; }

    /// <summary>The directory holding the name, or null when the object is not in the namespace.</summary>
    internal OBJECT_DIRECTORY? Directory { get; set; }

    /// <summary>OBJ_PERMANENT: the name stays when the last handle closes, until ObMakeTemporaryObject.</summary>
    internal bool Permanent { get; set; }

    /// <summary>OBJ_EXCLUSIVE: the one process allowed to hold handles to the object.</summary>
    internal EPROCESS? ExclusiveProcess { get; set; }

    /// <summary>The security descriptor the object was created with (used once Se exists).</summary>
    internal object? SecurityDescriptor { get; set; }

    /// <summary>What ObCreateObject captured for ObInsertObject: the name, root directory and attributes.</summary>
    internal ObjectCreateInformation? CreateInfo { get; set; }

    /// <summary>Set once ObInsertObject has run for the object.</summary>
    internal bool Inserted { get; set; }

    /// <summary>Set when the last reference went and the object was (or is being) deleted.</summary>
    internal bool Deleted { get; set; }

    public override string ToString() => $"{Type.Name} {Name ?? "(unnamed)"} 0x{Address:x16}";
}
