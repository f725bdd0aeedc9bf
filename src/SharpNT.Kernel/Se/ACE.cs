using System.Diagnostics;

namespace SharpNT.Kernel.Se;

/// <summary>
/// An access control entry of the ACCESS_ALLOWED_ACE / ACCESS_DENIED_ACE shape (winnt.h): the header's type
/// and flags, the access mask, and the trustee SID.
/// </summary>
[DebuggerDisplay("{AceType} {AceFlags,h} {Mask,h} {Sid}")]
public sealed record ACE(byte AceType, byte AceFlags, uint Mask, SID Sid)
{
    /// <summary>ACE_HEADER.AceSize: the fixed part plus the SID.</summary>
    public int AceSize => AceConstants.AceFixedSize + Sid.Length;

    /// <summary>INHERIT_ONLY_ACE: the ACE only passes to children and takes no part in checks on this object.</summary>
    public bool IsInheritOnly => (AceFlags & AceConstants.INHERIT_ONLY_ACE) != 0;
}
