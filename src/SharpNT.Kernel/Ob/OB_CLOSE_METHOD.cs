using SharpNT.Kernel.Ps;

namespace SharpNT.Kernel.Ob;

/// <summary>
/// An object type's close procedure (OB_CLOSE_METHOD): called on every handle close, with the handle's
/// process and granted access and the handle counts before this close (so a count of 1 means the last
/// handle goes: the I/O manager sends IRP_MJ_CLEANUP then).
/// </summary>
internal delegate void OB_CLOSE_METHOD(EPROCESS? Process, object Object, uint GrantedAccess, ulong ProcessHandleCount,
    ulong SystemHandleCount);
