using System.Diagnostics;

namespace SharpNT.Kernel.Ob;

/// <summary>
/// One handle (HANDLE_TABLE_ENTRY): the object, the access granted when the handle was created (generic
/// rights already mapped), and the handle attributes (OBJ_INHERIT, OBJ_PROTECT_CLOSE, OBJ_AUDIT_OBJECT_CLOSE).
/// </summary>
[DebuggerDisplay("{Object} granted {GrantedAccess,h} attributes {Attributes,h}")]
internal sealed record HandleTableEntry(ObjectHeader Object, uint GrantedAccess, uint Attributes);
