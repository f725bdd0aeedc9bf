using SharpNT.Kernel.Ke;
using SharpNT.Kernel.Ob;
using SharpNT.Kernel.Se;

namespace SharpNT.Kernel.Ddi;

/// <summary>
/// The Security Reference Monitor's DDIs and the Rtl security routines: SIDs, ACLs, security descriptors,
/// SDDL, SeAccessCheck, and RtlNtStatusToDosError. The routines are pure and callable at any IRQL here, so
/// no machine is consulted.
/// </summary>
public static partial class Wdm
{
    public const uint SECURITY_DESCRIPTOR_REVISION = AceConstants.SECURITY_DESCRIPTOR_REVISION;
    public const uint SDDL_REVISION_1 = AceConstants.SDDL_REVISION_1;
    public const byte ACL_REVISION = AceConstants.ACL_REVISION;
    public const byte ACL_REVISION_DS = AceConstants.ACL_REVISION_DS;

    // ---- wdmsec.h SDDL_DEVOBJ_* strings for IoCreateDeviceSecure ----------------------------------------
    public const string SDDL_DEVOBJ_KERNEL_ONLY = "D:P";
    public const string SDDL_DEVOBJ_SYS_ALL = "D:P(A;;GA;;;SY)";
    public const string SDDL_DEVOBJ_SYS_ALL_ADM_ALL = "D:P(A;;GA;;;SY)(A;;GA;;;BA)";
    public const string SDDL_DEVOBJ_SYS_ALL_ADM_RX = "D:P(A;;GA;;;SY)(A;;GRGX;;;BA)";
    public const string SDDL_DEVOBJ_SYS_ALL_ADM_RWX_WORLD_R = "D:P(A;;GA;;;SY)(A;;GRGWGX;;;BA)(A;;GR;;;WD)";
    public const string SDDL_DEVOBJ_SYS_ALL_ADM_RWX_WORLD_RW_RES_R = "D:P(A;;GA;;;SY)(A;;GRGWGX;;;BA)(A;;GRGW;;;WD)(A;;GR;;;RC)";
    public const string SDDL_DEVOBJ_SYS_ALL_ADM_RWX_WORLD_RWX_RES_RWX = "D:P(A;;GA;;;SY)(A;;GRGWGX;;;BA)(A;;GRGWGX;;;WD)(A;;GRGWGX;;;RC)";

    // ---- SeExports: the well-known SIDs ------------------------------------------------------------------
    public static SID SeWorldSid => WellKnownSids.World;
    public static SID SeLocalSystemSid => WellKnownSids.LocalSystem;
    public static SID SeLocalServiceSid => WellKnownSids.LocalService;
    public static SID SeNetworkServiceSid => WellKnownSids.NetworkService;
    public static SID SeAuthenticatedUsersSid => WellKnownSids.AuthenticatedUsers;
    public static SID SeAliasAdminsSid => WellKnownSids.BuiltinAdministrators;
    public static SID SeAliasUsersSid => WellKnownSids.BuiltinUsers;
    public static SID SeAliasGuestsSid => WellKnownSids.BuiltinGuests;
    public static SID SeCreatorOwnerSid => WellKnownSids.CreatorOwner;
    public static SID SeInteractiveSid => WellKnownSids.Interactive;

    /// <summary>
    /// SeAccessCheck: whether the subject may open an object protected by SecurityDescriptor with
    /// DesiredAccess (generic rights mapped through GenericMapping, MAXIMUM_ALLOWED allowed). TRUE with the
    /// rights in GrantedAccess and AccessStatus STATUS_SUCCESS; FALSE with AccessStatus STATUS_ACCESS_DENIED
    /// (or STATUS_PRIVILEGE_NOT_HELD for ACCESS_SYSTEM_SECURITY without SeSecurityPrivilege). A KernelMode
    /// request is granted in full. The PRIVILEGE_SET output is not modelled.
    /// </summary>
    public static bool SeAccessCheck(SECURITY_DESCRIPTOR SecurityDescriptor, SECURITY_SUBJECT_CONTEXT? SubjectSecurityContext,
        bool SubjectContextLocked, uint DesiredAccess, uint PreviouslyGrantedAccess, GENERIC_MAPPING GenericMapping,
        KPROCESSOR_MODE AccessMode, out uint GrantedAccess, out NTSTATUS AccessStatus)
    {
        _ = SubjectContextLocked;
        AccessStatus = SecurityReferenceMonitor.AccessCheck(SecurityDescriptor, SubjectSecurityContext?.EffectiveToken,
            DesiredAccess, PreviouslyGrantedAccess, GenericMapping, AccessMode, out GrantedAccess);
        return AccessStatus == NTSTATUS.STATUS_SUCCESS;
    }

    /// <summary>
    /// SeAssignSecurity: the descriptor for a new object (IsDirectoryObject for containers) from the parent's
    /// inheritable ACEs, the creator's explicit descriptor and the subject's token, with generic rights mapped
    /// through GenericMapping. STATUS_INVALID_SECURITY_DESCR for an invalid explicit descriptor.
    /// </summary>
    public static NTSTATUS SeAssignSecurity(SECURITY_DESCRIPTOR? ParentDescriptor, SECURITY_DESCRIPTOR? ExplicitDescriptor,
        out SECURITY_DESCRIPTOR? NewDescriptor, bool IsDirectoryObject, SECURITY_SUBJECT_CONTEXT SubjectContext,
        GENERIC_MAPPING GenericMapping)
    {
        NewDescriptor = null;
        if (ExplicitDescriptor is not null && !ExplicitDescriptor.IsValid())
        {
            return NTSTATUS.STATUS_INVALID_SECURITY_DESCR;
        }

        NewDescriptor = SecurityAssignment.Assign(ParentDescriptor, ExplicitDescriptor, IsDirectoryObject,
            SubjectContext.EffectiveToken, GenericMapping);
        return NTSTATUS.STATUS_SUCCESS;
    }

    /// <summary>
    /// SeSinglePrivilegeCheck against an explicit subject (the caller's thread has no token of its own yet):
    /// TRUE for a KernelMode caller or when the subject's token holds PrivilegeValue enabled.
    /// </summary>
    public static bool SeSinglePrivilegeCheck(LUID PrivilegeValue, SECURITY_SUBJECT_CONTEXT SubjectSecurityContext,
        KPROCESSOR_MODE PreviousMode) =>
        PreviousMode == KPROCESSOR_MODE.KernelMode || SubjectSecurityContext.EffectiveToken.IsPrivilegeEnabled(PrivilegeValue);

    /// <summary>
    /// Converts an SDDL string (the subset IoCreateDeviceSecure accepts) to a security descriptor.
    /// STATUS_INVALID_PARAMETER for a malformed string or a revision other than SDDL_REVISION_1.
    /// </summary>
    public static NTSTATUS SeConvertStringSecurityDescriptorToSecurityDescriptor(string? StringSecurityDescriptor,
        uint StringSDRevision, out SECURITY_DESCRIPTOR? SecurityDescriptor)
    {
        SecurityDescriptor = null;
        return StringSDRevision != SDDL_REVISION_1
            ? NTSTATUS.STATUS_INVALID_PARAMETER
            : SddlParser.Parse(StringSecurityDescriptor, out SecurityDescriptor);
    }

    /// <summary>RtlCreateSecurityDescriptor: an empty absolute descriptor; STATUS_UNKNOWN_REVISION unless revision 1.</summary>
    public static NTSTATUS RtlCreateSecurityDescriptor(out SECURITY_DESCRIPTOR? SecurityDescriptor, uint Revision)
    {
        SecurityDescriptor = Revision == SECURITY_DESCRIPTOR_REVISION ? new SECURITY_DESCRIPTOR() : null;
        return SecurityDescriptor is null ? NTSTATUS.STATUS_UNKNOWN_REVISION : NTSTATUS.STATUS_SUCCESS;
    }

    /// <summary>RtlValidSecurityDescriptor.</summary>
    public static bool RtlValidSecurityDescriptor(SECURITY_DESCRIPTOR? SecurityDescriptor) =>
        SecurityDescriptor is not null && SecurityDescriptor.IsValid();

    /// <summary>RtlLengthSecurityDescriptor: the self-relative length in bytes.</summary>
    public static uint RtlLengthSecurityDescriptor(SECURITY_DESCRIPTOR SecurityDescriptor) => (uint)SecurityDescriptor.Length;

    /// <summary>RtlSetDaclSecurityDescriptor: sets or clears the DACL (present with a null DACL grants all access).</summary>
    public static NTSTATUS RtlSetDaclSecurityDescriptor(SECURITY_DESCRIPTOR SecurityDescriptor, bool DaclPresent, ACL? Dacl,
        bool DaclDefaulted)
    {
        if ((SecurityDescriptor.Control & SE_CONTROL.SE_SELF_RELATIVE) != 0)
        {
            return NTSTATUS.STATUS_INVALID_SECURITY_DESCR;
        }

        SecurityDescriptor.SetDacl(DaclPresent, Dacl, DaclDefaulted);
        return NTSTATUS.STATUS_SUCCESS;
    }

    /// <summary>RtlGetDaclSecurityDescriptor.</summary>
    public static NTSTATUS RtlGetDaclSecurityDescriptor(SECURITY_DESCRIPTOR SecurityDescriptor, out bool DaclPresent,
        out ACL? Dacl, out bool DaclDefaulted)
    {
        DaclPresent = SecurityDescriptor.DaclPresent;
        Dacl = DaclPresent ? SecurityDescriptor.Dacl : null;
        DaclDefaulted = DaclPresent && (SecurityDescriptor.Control & SE_CONTROL.SE_DACL_DEFAULTED) != 0;
        return NTSTATUS.STATUS_SUCCESS;
    }

    /// <summary>RtlSetOwnerSecurityDescriptor.</summary>
    public static NTSTATUS RtlSetOwnerSecurityDescriptor(SECURITY_DESCRIPTOR SecurityDescriptor, SID? Owner, bool OwnerDefaulted)
    {
        SecurityDescriptor.SetOwner(Owner, OwnerDefaulted);
        return NTSTATUS.STATUS_SUCCESS;
    }

    /// <summary>RtlGetOwnerSecurityDescriptor.</summary>
    public static NTSTATUS RtlGetOwnerSecurityDescriptor(SECURITY_DESCRIPTOR SecurityDescriptor, out SID? Owner, out bool OwnerDefaulted)
    {
        Owner = SecurityDescriptor.Owner;
        OwnerDefaulted = (SecurityDescriptor.Control & SE_CONTROL.SE_OWNER_DEFAULTED) != 0;
        return NTSTATUS.STATUS_SUCCESS;
    }

    /// <summary>RtlSetGroupSecurityDescriptor.</summary>
    public static NTSTATUS RtlSetGroupSecurityDescriptor(SECURITY_DESCRIPTOR SecurityDescriptor, SID? Group, bool GroupDefaulted)
    {
        SecurityDescriptor.SetGroup(Group, GroupDefaulted);
        return NTSTATUS.STATUS_SUCCESS;
    }

    /// <summary>
    /// RtlCreateAcl: an empty ACL of AclLength bytes. STATUS_BUFFER_TOO_SMALL below sizeof(ACL),
    /// STATUS_INVALID_PARAMETER for a revision outside ACL_REVISION..ACL_REVISION_DS or a length over 64 KiB.
    /// </summary>
    public static NTSTATUS RtlCreateAcl(out ACL? Acl, uint AclLength, uint AclRevision)
    {
        Acl = null;
        if (AclLength < AceConstants.AclHeaderSize)
        {
            return NTSTATUS.STATUS_BUFFER_TOO_SMALL;
        }

        if (AclRevision is < ACL_REVISION or > ACL_REVISION_DS || AclLength > ushort.MaxValue)
        {
            return NTSTATUS.STATUS_INVALID_PARAMETER;
        }

        Acl = new ACL((byte)AclRevision, (int)(AclLength & ~3u));
        return NTSTATUS.STATUS_SUCCESS;
    }

    /// <summary>RtlAddAccessAllowedAce.</summary>
    public static NTSTATUS RtlAddAccessAllowedAce(ACL Acl, uint AceRevision, uint AccessMask, SID Sid) =>
        AddAce(Acl, AceRevision, AceConstants.ACCESS_ALLOWED_ACE_TYPE, 0, AccessMask, Sid);

    /// <summary>RtlAddAccessAllowedAceEx: with inheritance flags.</summary>
    public static NTSTATUS RtlAddAccessAllowedAceEx(ACL Acl, uint AceRevision, uint AceFlags, uint AccessMask, SID Sid) =>
        AddAce(Acl, AceRevision, AceConstants.ACCESS_ALLOWED_ACE_TYPE, AceFlags, AccessMask, Sid);

    /// <summary>RtlAddAccessDeniedAce.</summary>
    public static NTSTATUS RtlAddAccessDeniedAce(ACL Acl, uint AceRevision, uint AccessMask, SID Sid) =>
        AddAce(Acl, AceRevision, AceConstants.ACCESS_DENIED_ACE_TYPE, 0, AccessMask, Sid);

    /// <summary>RtlAddAccessDeniedAceEx: with inheritance flags.</summary>
    public static NTSTATUS RtlAddAccessDeniedAceEx(ACL Acl, uint AceRevision, uint AceFlags, uint AccessMask, SID Sid) =>
        AddAce(Acl, AceRevision, AceConstants.ACCESS_DENIED_ACE_TYPE, AceFlags, AccessMask, Sid);

    /// <summary>RtlValidAcl.</summary>
    public static bool RtlValidAcl(ACL? Acl) => Acl is not null && Acl.IsValid();

    /// <summary>RtlValidSid: revision 1 and at most 15 sub-authorities (always so for a constructed SID).</summary>
    public static bool RtlValidSid(SID? Sid) => Sid is not null && Sid.SubAuthorityCount <= SID.SID_MAX_SUB_AUTHORITIES;

    /// <summary>RtlEqualSid.</summary>
    public static bool RtlEqualSid(SID Sid1, SID Sid2) => Sid1 == Sid2;

    /// <summary>RtlLengthSid.</summary>
    public static uint RtlLengthSid(SID Sid) => (uint)Sid.Length;

    /// <summary>
    /// RtlConvertSidToUnicodeString: the "S-1-..." form. With AllocateDestinationString FALSE the caller's
    /// MaximumLength must hold it, else STATUS_BUFFER_OVERFLOW.
    /// </summary>
    public static NTSTATUS RtlConvertSidToUnicodeString(ref UNICODE_STRING UnicodeString, SID Sid, bool AllocateDestinationString)
    {
        var text = Sid.ToString();
        if (AllocateDestinationString)
        {
            UnicodeString = new UNICODE_STRING(text);
            return NTSTATUS.STATUS_SUCCESS;
        }

        if (text.Length * 2 > UnicodeString.MaximumLength)
        {
            return NTSTATUS.STATUS_BUFFER_OVERFLOW;
        }

        UnicodeString.Buffer = text;
        UnicodeString.Length = (ushort)(text.Length * 2);
        return NTSTATUS.STATUS_SUCCESS;
    }

    /// <summary>RtlNtStatusToDosError: the Win32 error for a status (ERROR_MR_MID_NOT_FOUND when none).</summary>
    public static uint RtlNtStatusToDosError(NTSTATUS Status) => Win32ErrorMapping.ToDosError(Status);

    private static NTSTATUS AddAce(ACL acl, uint aceRevision, byte aceType, uint aceFlags, uint accessMask, SID sid)
    {
        if (!acl.IsValid())
        {
            return NTSTATUS.STATUS_INVALID_ACL;
        }

        if (aceRevision is < ACL_REVISION or > ACL_REVISION_DS || aceRevision > acl.AclRevision)
        {
            return NTSTATUS.STATUS_REVISION_MISMATCH;
        }

        return aceFlags > byte.MaxValue
            ? NTSTATUS.STATUS_INVALID_PARAMETER
            : acl.Add(aceType, (byte)aceFlags, accessMask, sid, growable: false);
    }
}
