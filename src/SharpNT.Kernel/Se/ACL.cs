using System.Diagnostics;

namespace SharpNT.Kernel.Se;

/// <summary>
/// An access control list (winnt.h ACL): a revision, a size the caller allocated (AclSize) and the ACEs in
/// order. Order matters: SeAccessCheck walks the ACEs first to last, so a canonical DACL lists explicit deny
/// ACEs before explicit allow ACEs.
/// </summary>
[DebuggerDisplay("ACL rev {AclRevision} {AceCount} ACEs")]
public sealed class ACL
{
    private readonly List<ACE> _aces = [];

    internal ACL(byte revision, int aclSize)
    {
        AclRevision = revision;
        AclSize = aclSize;
    }

    /// <summary>An ACL sized to hold its ACEs exactly, as the SDDL converter builds.</summary>
    public ACL()
        : this(AceConstants.ACL_REVISION, AceConstants.AclHeaderSize)
    {
    }

    /// <summary>ACL.AclRevision.</summary>
    public byte AclRevision { get; }

    /// <summary>ACL.AclSize: the bytes the ACL may occupy; adding an ACE that does not fit fails.</summary>
    public int AclSize { get; private set; }

    /// <summary>ACL.AceCount.</summary>
    public int AceCount => _aces.Count;

    /// <summary>The ACEs in order.</summary>
    public IReadOnlyList<ACE> Aces => _aces;

    /// <summary>The bytes in use: the header and every ACE.</summary>
    public int BytesInUse => AceConstants.AclHeaderSize + _aces.Sum(a => a.AceSize);

    /// <summary>
    /// RtlAddAccessAllowedAceEx / RtlAddAccessDeniedAceEx: appends an ACE. An ACE that does not fit a
    /// fixed-size ACL is STATUS_ALLOTTED_SPACE_EXCEEDED and a bad flag STATUS_INVALID_PARAMETER, as the
    /// routines document.
    /// </summary>
    internal NTSTATUS Add(byte aceType, byte aceFlags, uint mask, SID sid, bool growable)
    {
        if ((aceFlags & ~(AceConstants.VALID_INHERIT_FLAGS | AceConstants.SUCCESSFUL_ACCESS_ACE_FLAG
            | AceConstants.FAILED_ACCESS_ACE_FLAG)) != 0)
        {
            return NTSTATUS.STATUS_INVALID_PARAMETER;
        }

        var ace = new ACE(aceType, aceFlags, mask, sid);
        if (growable)
        {
            AclSize = Math.Max(AclSize, BytesInUse + ace.AceSize);
        }
        else if (BytesInUse + ace.AceSize > AclSize)
        {
            return NTSTATUS.STATUS_ALLOTTED_SPACE_EXCEEDED;
        }

        _aces.Add(ace);
        return NTSTATUS.STATUS_SUCCESS;
    }

    /// <summary>Appends an access-allowed ACE, growing the ACL as needed.</summary>
    public ACL Allow(uint mask, SID sid, byte aceFlags = 0)
    {
        AddOrThrow(AceConstants.ACCESS_ALLOWED_ACE_TYPE, aceFlags, mask, sid);
        return this;
    }

    /// <summary>Appends an access-denied ACE, growing the ACL as needed.</summary>
    public ACL Deny(uint mask, SID sid, byte aceFlags = 0)
    {
        AddOrThrow(AceConstants.ACCESS_DENIED_ACE_TYPE, aceFlags, mask, sid);
        return this;
    }

    /// <summary>Replaces the last ACE by one of the same size (the inheritance code adjusts flags in place).</summary>
    internal void ReplaceLast(ACE ace) => _aces[^1] = ace;

    private void AddOrThrow(byte aceType, byte aceFlags, uint mask, SID sid)
    {
        if (Add(aceType, aceFlags, mask, sid, growable: true) != NTSTATUS.STATUS_SUCCESS)
        {
            throw new ArgumentOutOfRangeException(nameof(aceFlags), aceFlags, "not a valid ACE flag combination");
        }
    }

    /// <summary>RtlValidAcl: a known revision, the ACEs fit the size, each ACE of a known type.</summary>
    public bool IsValid() =>
        AclRevision is >= AceConstants.ACL_REVISION and <= AceConstants.ACL_REVISION_DS
        && BytesInUse <= AclSize && AclSize <= ushort.MaxValue
        && _aces.All(a => a.AceType <= AceConstants.SYSTEM_ALARM_ACE_TYPE);
}
