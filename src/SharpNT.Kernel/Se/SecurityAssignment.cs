using SharpNT.Kernel.Ob;
using static SharpNT.Kernel.Se.AceConstants;

namespace SharpNT.Kernel.Se;

/// <summary>
/// SeAssignSecurity: the security descriptor a new object receives from the creator's explicit descriptor,
/// the parent container's inheritable ACEs and the creator's token, as NT documents it. Owner and group come
/// from the explicit descriptor, else from the token. The DACL is the explicit one when present; otherwise
/// the parent's ACEs that apply to this kind of object (CONTAINER_INHERIT_ACE for containers,
/// OBJECT_INHERIT_ACE for others), marked INHERITED_ACE; otherwise the token's default DACL. Generic rights
/// are mapped through the object type's mapping and CREATOR OWNER / CREATOR GROUP are replaced by the new
/// owner and group in effective ACEs, so access checks on the object never see generic bits.
/// </summary>
internal static class SecurityAssignment
{
    /// <summary>Builds the new object's descriptor.</summary>
    public static SECURITY_DESCRIPTOR Assign(SECURITY_DESCRIPTOR? parent, SECURITY_DESCRIPTOR? explicitDescriptor,
        bool isContainer, TOKEN creator, GENERIC_MAPPING mapping)
    {
        var sd = new SECURITY_DESCRIPTOR();
        sd.SetOwner(explicitDescriptor?.Owner ?? creator.Owner, explicitDescriptor?.Owner is null);
        sd.SetGroup(explicitDescriptor?.Group ?? creator.PrimaryGroup, explicitDescriptor?.Group is null);

        if (explicitDescriptor is { DaclPresent: true })
        {
            sd.SetDacl(true, explicitDescriptor.Dacl is null ? null : MapExplicit(explicitDescriptor.Dacl, sd, mapping), false);
            sd.Control |= (ushort)(explicitDescriptor.Control & SE_CONTROL.SE_DACL_PROTECTED);
            return sd;
        }

        if (parent is { DaclPresent: true, Dacl: { } parentDacl })
        {
            var inherited = Inherit(parentDacl, isContainer, sd, mapping);
            if (inherited.AceCount > 0)
            {
                sd.SetDacl(true, inherited, false);
                sd.Control |= SE_CONTROL.SE_DACL_AUTO_INHERITED;
                return sd;
            }
        }

        sd.SetDacl(true, DefaultDacl(creator, mapping), true);
        return sd;
    }

    /// <summary>
    /// The token's default DACL as Windows builds it for a logon: GENERIC_ALL for the token's owner and for
    /// SYSTEM, mapped to the type's rights.
    /// </summary>
    public static ACL DefaultDacl(TOKEN creator, GENERIC_MAPPING mapping)
    {
        var acl = new ACL().Allow(mapping.GenericAll, creator.Owner);
        if (creator.Owner != WellKnownSids.LocalSystem)
        {
            acl.Allow(mapping.GenericAll, WellKnownSids.LocalSystem);
        }

        return acl;
    }

    private static ACL MapExplicit(ACL dacl, SECURITY_DESCRIPTOR sd, GENERIC_MAPPING mapping)
    {
        var acl = new ACL();
        foreach (var ace in dacl.Aces)
        {
            var effective = ace.IsInheritOnly ? ace : ace with { Mask = mapping.Map(ace.Mask), Sid = Substitute(ace.Sid, sd) };
            acl.Add(effective.AceType, effective.AceFlags, effective.Mask, effective.Sid, growable: true);
        }

        return acl;
    }

    private static ACL Inherit(ACL parentDacl, bool isContainer, SECURITY_DESCRIPTOR sd, GENERIC_MAPPING mapping)
    {
        var acl = new ACL();
        foreach (var ace in parentDacl.Aces)
        {
            var objectInherit = (ace.AceFlags & OBJECT_INHERIT_ACE) != 0;
            var containerInherit = (ace.AceFlags & CONTAINER_INHERIT_ACE) != 0;
            var noPropagate = (ace.AceFlags & NO_PROPAGATE_INHERIT_ACE) != 0;
            var applies = isContainer ? containerInherit : objectInherit;

            if (applies)
            {
                // The ACE takes effect on the new object, with its generic rights and creator SIDs resolved.
                acl.Add(ace.AceType, INHERITED_ACE, mapping.Map(ace.Mask), Substitute(ace.Sid, sd), growable: true);
            }

            if (isContainer && !noPropagate && (objectInherit || containerInherit))
            {
                // A container passes the ACE on to its own children unchanged, as an inherit-only ACE.
                var flags = (byte)((ace.AceFlags & (OBJECT_INHERIT_ACE | CONTAINER_INHERIT_ACE)) | INHERIT_ONLY_ACE | INHERITED_ACE);
                if (!applies || mapping.Map(ace.Mask) != ace.Mask || Substitute(ace.Sid, sd) != ace.Sid)
                {
                    acl.Add(ace.AceType, flags, ace.Mask, ace.Sid, growable: true);
                }
                else
                {
                    // Nothing to resolve: one ACE both applies and propagates.
                    var last = acl.Aces[^1];
                    acl.ReplaceLast(last with { AceFlags = (byte)(flags & ~INHERIT_ONLY_ACE) });
                }
            }
        }

        return acl;
    }

    private static SID Substitute(SID sid, SECURITY_DESCRIPTOR sd) =>
        sid == WellKnownSids.CreatorOwner && sd.Owner is { } owner ? owner
        : sid == WellKnownSids.CreatorGroup && sd.Group is { } group ? group
        : sid;
}
