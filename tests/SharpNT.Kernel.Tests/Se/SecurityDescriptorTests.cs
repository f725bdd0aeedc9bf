using SharpNT.Kernel.Se;
using static SharpNT.Kernel.Ddi.Wdm;

namespace SharpNT.Kernel.Tests.Se;

public sealed class SecurityDescriptorTests
{
    [Fact]
    public void Create_security_descriptor_checks_the_revision()
    {
        Assert.Equal(NTSTATUS.STATUS_UNKNOWN_REVISION, RtlCreateSecurityDescriptor(out var bad, 2));
        Assert.Null(bad);
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, RtlCreateSecurityDescriptor(out var sd, SECURITY_DESCRIPTOR_REVISION));
        Assert.Equal(1, sd!.Revision);
        Assert.False(sd.DaclPresent);
        Assert.Equal(20u, RtlLengthSecurityDescriptor(sd));
        Assert.True(RtlValidSecurityDescriptor(sd));
        Assert.False(RtlValidSecurityDescriptor(null));
    }

    [Fact]
    public void Dacl_owner_and_group_setters_round_trip_through_the_getters()
    {
        RtlCreateSecurityDescriptor(out var sd, SECURITY_DESCRIPTOR_REVISION);
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, RtlCreateAcl(out var acl, 64, ACL_REVISION));
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, RtlAddAccessAllowedAce(acl!, ACL_REVISION, GENERIC_ALL, SeLocalSystemSid));
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, RtlSetDaclSecurityDescriptor(sd!, true, acl, true));
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, RtlSetOwnerSecurityDescriptor(sd!, SeAliasAdminsSid, false));
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, RtlSetGroupSecurityDescriptor(sd!, SeLocalSystemSid, true));

        RtlGetDaclSecurityDescriptor(sd!, out var present, out var dacl, out var defaulted);
        Assert.True(present);
        Assert.Same(acl, dacl);
        Assert.True(defaulted);
        RtlGetOwnerSecurityDescriptor(sd!, out var owner, out var ownerDefaulted);
        Assert.Equal(SeAliasAdminsSid, owner);
        Assert.False(ownerDefaulted);
        Assert.Equal(SE_CONTROL.SE_DACL_PRESENT | SE_CONTROL.SE_DACL_DEFAULTED | SE_CONTROL.SE_GROUP_DEFAULTED, sd!.Control);
        Assert.Equal(20u + 16 + 12 + 64, RtlLengthSecurityDescriptor(sd));

        RtlSetDaclSecurityDescriptor(sd, false, acl, false);
        RtlGetDaclSecurityDescriptor(sd, out present, out dacl, out _);
        Assert.False(present);
        Assert.Null(dacl);
    }

    [Fact]
    public void Acl_routines_enforce_size_revision_and_flags()
    {
        Assert.Equal(NTSTATUS.STATUS_BUFFER_TOO_SMALL, RtlCreateAcl(out _, 4, ACL_REVISION));
        Assert.Equal(NTSTATUS.STATUS_INVALID_PARAMETER, RtlCreateAcl(out _, 64, 1));
        Assert.Equal(NTSTATUS.STATUS_INVALID_PARAMETER, RtlCreateAcl(out _, 64, 5));

        // 8 header + one 20-byte ACE for S-1-5-18 fits 28 bytes exactly; a second ACE does not.
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, RtlCreateAcl(out var acl, 28, ACL_REVISION));
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, RtlAddAccessDeniedAce(acl!, ACL_REVISION, FILE_WRITE_DATA, SeLocalSystemSid));
        Assert.Equal(NTSTATUS.STATUS_ALLOTTED_SPACE_EXCEEDED, RtlAddAccessAllowedAce(acl!, ACL_REVISION, GENERIC_ALL, SeWorldSid));
        Assert.Equal(1, acl!.AceCount);
        Assert.True(RtlValidAcl(acl));

        Assert.Equal(NTSTATUS.STATUS_SUCCESS, RtlCreateAcl(out var acl2, 256, ACL_REVISION));
        Assert.Equal(NTSTATUS.STATUS_REVISION_MISMATCH, RtlAddAccessAllowedAce(acl2!, ACL_REVISION_DS, GENERIC_ALL, SeWorldSid));
        Assert.Equal(NTSTATUS.STATUS_INVALID_PARAMETER, RtlAddAccessAllowedAceEx(acl2!, ACL_REVISION, 0x20, GENERIC_ALL, SeWorldSid));
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, RtlAddAccessAllowedAceEx(acl2!, ACL_REVISION,
            AceConstants.OBJECT_INHERIT_ACE | AceConstants.CONTAINER_INHERIT_ACE, GENERIC_ALL, SeWorldSid));
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, RtlAddAccessDeniedAceEx(acl2!, ACL_REVISION, AceConstants.INHERIT_ONLY_ACE, DELETE, SeWorldSid));
        Assert.Equal(AceConstants.ACCESS_DENIED_ACE_TYPE, acl2!.Aces[1].AceType);
        Assert.True(acl2.Aces[1].IsInheritOnly);
    }
}
