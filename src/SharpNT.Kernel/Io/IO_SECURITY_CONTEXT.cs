using System.Diagnostics;
using SharpNT.Kernel.Io.Layout;

namespace SharpNT.Kernel.Io;

/// <summary>
/// A view of the IO_SECURITY_CONTEXT IRP_MJ_CREATE's Parameters.Create.SecurityContext points at: the
/// access the opener asked for (generic rights already mapped) and the full create options.
/// </summary>
[DebuggerDisplay("IO_SECURITY_CONTEXT {Address,h}")]
public readonly record struct IO_SECURITY_CONTEXT(ulong Address)
{
    public bool IsNull => Address == 0;

    /// <summary>ACCESS_MASK DesiredAccess: FILE_READ_DATA, FILE_WRITE_DATA, DELETE, ...</summary>
    public uint DesiredAccess => IsNull ? 0 : ViewMemory.Read<uint>(Address + IoSecurityContextLayout.DesiredAccess);

    public uint FullCreateOptions => IsNull ? 0 : ViewMemory.Read<uint>(Address + IoSecurityContextLayout.FullCreateOptions);
}
