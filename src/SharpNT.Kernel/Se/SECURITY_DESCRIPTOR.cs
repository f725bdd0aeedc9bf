using System.Diagnostics;

namespace SharpNT.Kernel.Se;

/// <summary>
/// A security descriptor (winnt.h SECURITY_DESCRIPTOR, absolute form): revision, control bits, owner, group,
/// SACL and DACL. A DACL that is not present, or present but null, grants every access; a present empty DACL
/// grants none (the owner's implicit rights aside).
/// </summary>
[DebuggerDisplay("SD control {Control,h} owner {Owner} DACL {Dacl?.AceCount}")]
public sealed class SECURITY_DESCRIPTOR
{
    /// <summary>RtlCreateSecurityDescriptor: revision 1, no owner, no group, no DACL, no SACL.</summary>
    public SECURITY_DESCRIPTOR()
    {
    }

    /// <summary>SECURITY_DESCRIPTOR.Revision.</summary>
    public byte Revision { get; } = (byte)AceConstants.SECURITY_DESCRIPTOR_REVISION;

    /// <summary>SECURITY_DESCRIPTOR.Control.</summary>
    public ushort Control { get; set; }

    /// <summary>The owner; the owner is implicitly granted READ_CONTROL and WRITE_DAC.</summary>
    public SID? Owner { get; set; }

    /// <summary>The primary group.</summary>
    public SID? Group { get; set; }

    /// <summary>The system ACL (audit ACEs); kept, not evaluated.</summary>
    public ACL? Sacl { get; set; }

    /// <summary>The discretionary ACL; meaningful only while SE_DACL_PRESENT is set.</summary>
    public ACL? Dacl { get; set; }

    /// <summary>SE_DACL_PRESENT.</summary>
    public bool DaclPresent => (Control & SE_CONTROL.SE_DACL_PRESENT) != 0;

    /// <summary>SE_DACL_PROTECTED: the DACL does not inherit from the parent.</summary>
    public bool DaclProtected => (Control & SE_CONTROL.SE_DACL_PROTECTED) != 0;

    /// <summary>RtlSetDaclSecurityDescriptor.</summary>
    public void SetDacl(bool present, ACL? dacl, bool defaulted)
    {
        Control = (ushort)(Control & ~(SE_CONTROL.SE_DACL_PRESENT | SE_CONTROL.SE_DACL_DEFAULTED));
        if (present)
        {
            Control |= SE_CONTROL.SE_DACL_PRESENT;
            Dacl = dacl;
            if (defaulted)
            {
                Control |= SE_CONTROL.SE_DACL_DEFAULTED;
            }
        }
        else
        {
            Dacl = null;
        }
    }

    /// <summary>RtlSetOwnerSecurityDescriptor.</summary>
    public void SetOwner(SID? owner, bool defaulted)
    {
        Owner = owner;
        Control = (ushort)(defaulted ? Control | SE_CONTROL.SE_OWNER_DEFAULTED : Control & ~SE_CONTROL.SE_OWNER_DEFAULTED);
    }

    /// <summary>RtlSetGroupSecurityDescriptor.</summary>
    public void SetGroup(SID? group, bool defaulted)
    {
        Group = group;
        Control = (ushort)(defaulted ? Control | SE_CONTROL.SE_GROUP_DEFAULTED : Control & ~SE_CONTROL.SE_GROUP_DEFAULTED);
    }

    /// <summary>
    /// RtlValidSecurityDescriptor: revision 1, present ACLs valid. A self-relative descriptor is a byte
    /// layout this absolute model never claims to be, so the bit makes it invalid.
    /// </summary>
    public bool IsValid() =>
        Revision == AceConstants.SECURITY_DESCRIPTOR_REVISION
        && (Control & SE_CONTROL.SE_SELF_RELATIVE) == 0
        && (!DaclPresent || Dacl is null || Dacl.IsValid())
        && ((Control & SE_CONTROL.SE_SACL_PRESENT) == 0 || Sacl is null || Sacl.IsValid());

    /// <summary>RtlLengthSecurityDescriptor: the self-relative size (20-byte header plus SIDs and ACLs).</summary>
    public int Length =>
        20 + (Owner?.Length ?? 0) + (Group?.Length ?? 0)
        + (DaclPresent && Dacl is not null ? Dacl.AclSize : 0)
        + ((Control & SE_CONTROL.SE_SACL_PRESENT) != 0 && Sacl is not null ? Sacl.AclSize : 0);
}
