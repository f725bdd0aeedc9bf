using SharpNT.Kernel.Ke;
using SharpNT.Kernel.Ob;
using static SharpNT.Kernel.AccessMask;

namespace SharpNT.Kernel.Se;

/// <summary>
/// The Security Reference Monitor's access validation (SeAccessCheck). Pure: it reads a descriptor and a
/// token and decides, holding no state, so every machine shares it.
/// </summary>
internal static class SecurityReferenceMonitor
{
    /// <summary>The rights an owner holds whatever the DACL says (the documented implicit owner rights).</summary>
    internal const uint OwnerImplicitRights = READ_CONTROL | WRITE_DAC;

    /// <summary>
    /// SeAccessCheck. Generic rights in <paramref name="desiredAccess"/> are mapped through
    /// <paramref name="mapping"/>. A kernel-mode request is granted in full. Otherwise: ACCESS_SYSTEM_SECURITY
    /// needs an enabled SeSecurityPrivilege (else STATUS_PRIVILEGE_NOT_HELD); an enabled
    /// SeTakeOwnershipPrivilege grants WRITE_OWNER; a missing or null DACL grants everything; the owner gets
    /// READ_CONTROL and WRITE_DAC; the DACL's ACEs are then walked in order, skipping INHERIT_ONLY ACEs, and
    /// the first deny ACE that names a still-wanted right denies the request. MAXIMUM_ALLOWED grants every
    /// right some allow ACE grants before a deny ACE denies it.
    /// </summary>
    /// <returns>STATUS_SUCCESS with the granted rights, or the failure status with none.</returns>
    public static NTSTATUS AccessCheck(SECURITY_DESCRIPTOR securityDescriptor, TOKEN? token, uint desiredAccess,
        uint previouslyGrantedAccess, GENERIC_MAPPING mapping, KPROCESSOR_MODE accessMode, out uint grantedAccess)
    {
        grantedAccess = 0;
        var wanted = mapping.Map(desiredAccess);
        var maximum = (wanted & MAXIMUM_ALLOWED) != 0;
        wanted &= ~MAXIMUM_ALLOWED;

        if (accessMode == KPROCESSOR_MODE.KernelMode)
        {
            grantedAccess = (maximum ? mapping.GenericAll : 0) | wanted | previouslyGrantedAccess;
            return NTSTATUS.STATUS_SUCCESS;
        }

        if (!maximum && wanted == 0)
        {
            // Nothing asked for: succeed only if something was already granted, as NT does.
            grantedAccess = previouslyGrantedAccess;
            return previouslyGrantedAccess != 0 ? NTSTATUS.STATUS_SUCCESS : NTSTATUS.STATUS_ACCESS_DENIED;
        }

        if (token is null || !securityDescriptor.IsValid())
        {
            return token is null ? NTSTATUS.STATUS_NO_TOKEN : NTSTATUS.STATUS_INVALID_SECURITY_DESCR;
        }

        var granted = previouslyGrantedAccess;
        if ((wanted & ACCESS_SYSTEM_SECURITY) != 0)
        {
            if (!token.IsPrivilegeEnabled(SePrivileges.Luid(SePrivileges.SE_SECURITY_PRIVILEGE)))
            {
                return NTSTATUS.STATUS_PRIVILEGE_NOT_HELD;
            }

            granted |= ACCESS_SYSTEM_SECURITY;
        }

        if ((maximum || (wanted & WRITE_OWNER) != 0)
            && token.IsPrivilegeEnabled(SePrivileges.Luid(SePrivileges.SE_TAKE_OWNERSHIP_PRIVILEGE)))
        {
            granted |= WRITE_OWNER;
        }

        var dacl = securityDescriptor.DaclPresent ? securityDescriptor.Dacl : null;
        if (dacl is null)
        {
            grantedAccess = (maximum ? mapping.GenericAll : 0) | wanted | granted;
            return NTSTATUS.STATUS_SUCCESS;
        }

        if (securityDescriptor.Owner is { } owner && token.Matches(owner, forDeny: false))
        {
            granted |= OwnerImplicitRights;
        }

        return maximum
            ? CheckMaximum(dacl, token, wanted, granted, mapping, out grantedAccess)
            : CheckExact(dacl, token, wanted, granted, mapping, out grantedAccess);
    }

    private static NTSTATUS CheckExact(ACL dacl, TOKEN token, uint wanted, uint granted, GENERIC_MAPPING mapping,
        out uint grantedAccess)
    {
        grantedAccess = 0;
        var remaining = wanted & ~granted;
        foreach (var ace in dacl.Aces)
        {
            if (remaining == 0)
            {
                break;
            }

            if (ace.IsInheritOnly)
            {
                continue;
            }

            // ACE masks may still hold generic bits (an SDDL "GA"); NT maps them when it assigns the
            // descriptor to an object, so mapping here gives the same answer for descriptors not yet assigned.
            var mask = mapping.Map(ace.Mask);
            if (ace.AceType == AceConstants.ACCESS_ALLOWED_ACE_TYPE && token.Matches(ace.Sid, forDeny: false))
            {
                remaining &= ~mask;
            }
            else if (ace.AceType == AceConstants.ACCESS_DENIED_ACE_TYPE && (mask & remaining) != 0
                && token.Matches(ace.Sid, forDeny: true))
            {
                return NTSTATUS.STATUS_ACCESS_DENIED;
            }
        }

        if (remaining != 0)
        {
            return NTSTATUS.STATUS_ACCESS_DENIED;
        }

        grantedAccess = wanted | granted;
        return NTSTATUS.STATUS_SUCCESS;
    }

    private static NTSTATUS CheckMaximum(ACL dacl, TOKEN token, uint wanted, uint granted, GENERIC_MAPPING mapping,
        out uint grantedAccess)
    {
        grantedAccess = 0;
        var allowed = granted;
        var denied = 0u;
        foreach (var ace in dacl.Aces)
        {
            if (ace.IsInheritOnly)
            {
                continue;
            }

            var mask = mapping.Map(ace.Mask);
            if (ace.AceType == AceConstants.ACCESS_ALLOWED_ACE_TYPE && token.Matches(ace.Sid, forDeny: false))
            {
                allowed |= mask & ~denied;
            }
            else if (ace.AceType == AceConstants.ACCESS_DENIED_ACE_TYPE && token.Matches(ace.Sid, forDeny: true))
            {
                denied |= mask & ~allowed;
            }
        }

        if ((wanted & ~allowed) != 0 || allowed == 0)
        {
            return NTSTATUS.STATUS_ACCESS_DENIED;
        }

        grantedAccess = allowed;
        return NTSTATUS.STATUS_SUCCESS;
    }
}
