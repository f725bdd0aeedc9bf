using SharpNT.Kernel.Ke;
using SharpNT.Kernel.Ob;
using SharpNT.Kernel.Se;
using static SharpNT.Kernel.Ddi.Wdm;

namespace SharpNT.Kernel.Tests.Se;

public sealed class AccessCheckTests
{
    /// <summary>The File type's generic mapping, read from a booted machine's object type.</summary>
    private static GENERIC_MAPPING FileMapping()
    {
        using var machine = Machine.Boot();
        return machine.Run(() => IoFileObjectType.GenericMapping);
    }

    private static SECURITY_DESCRIPTOR Sddl(string sddl)
    {
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, SeConvertStringSecurityDescriptorToSecurityDescriptor(sddl, SDDL_REVISION_1, out var sd));
        return sd!;
    }

    private static (bool Ok, uint Granted, NTSTATUS Status) Check(SECURITY_DESCRIPTOR sd, TOKEN token, uint desired,
        GENERIC_MAPPING mapping, KPROCESSOR_MODE mode = KPROCESSOR_MODE.UserMode, uint previouslyGranted = 0)
    {
        var ok = SeAccessCheck(sd, new SECURITY_SUBJECT_CONTEXT(token), false, desired, previouslyGranted, mapping, mode,
            out var granted, out var status);
        return (ok, granted, status);
    }

    [Fact]
    public void System_and_administrators_get_file_all_access_and_a_standard_user_is_denied()
    {
        var mapping = FileMapping();
        Assert.Equal(FILE_ALL_ACCESS, mapping.GenericAll);
        var sd = Sddl("D:P(A;;GA;;;SY)(A;;GA;;;BA)");

        foreach (var token in new[] { WellKnownTokens.System(), WellKnownTokens.Administrator() })
        {
            var all = Check(sd, token, GENERIC_ALL, mapping);
            Assert.True(all.Ok, token.AccountName);
            Assert.Equal(NTSTATUS.STATUS_SUCCESS, all.Status);
            Assert.Equal(FILE_ALL_ACCESS, all.Granted);

            var read = Check(sd, token, GENERIC_READ, mapping);
            Assert.Equal(FILE_GENERIC_READ, read.Granted);
        }

        var user = Check(sd, WellKnownTokens.StandardUser(), GENERIC_READ, mapping);
        Assert.False(user.Ok);
        Assert.Equal(NTSTATUS.STATUS_ACCESS_DENIED, user.Status);
        Assert.Equal(0u, user.Granted);
    }

    [Fact]
    public void Kernel_mode_requests_are_granted_whatever_the_dacl()
    {
        var mapping = FileMapping();
        var result = Check(Sddl(SDDL_DEVOBJ_KERNEL_ONLY), WellKnownTokens.StandardUser(), MAXIMUM_ALLOWED, mapping, KPROCESSOR_MODE.KernelMode);
        Assert.True(result.Ok);
        Assert.Equal(FILE_ALL_ACCESS, result.Granted);
    }

    [Fact]
    public void A_deny_ace_before_an_allow_ace_wins_and_after_it_is_too_late()
    {
        var mapping = FileMapping();
        var user = WellKnownTokens.StandardUser();

        var denyFirst = Check(Sddl("D:(D;;GW;;;BU)(A;;GA;;;WD)"), user, FILE_WRITE_DATA, mapping);
        Assert.False(denyFirst.Ok);
        Assert.Equal(NTSTATUS.STATUS_ACCESS_DENIED, denyFirst.Status);

        // The deny ACE does not name the right asked for, so it does not stop the allow ACE.
        var readOnly = Check(Sddl("D:(D;;GW;;;BU)(A;;GA;;;WD)"), user, FILE_READ_DATA, mapping);
        Assert.True(readOnly.Ok);
        Assert.Equal(FILE_READ_DATA, readOnly.Granted);

        // Non-canonical order: the allow ACE grants everything before the deny ACE is reached.
        var allowFirst = Check(Sddl("D:(A;;GA;;;WD)(D;;GW;;;BU)"), user, FILE_WRITE_DATA, mapping);
        Assert.True(allowFirst.Ok);
    }

    [Fact]
    public void A_deny_ace_for_a_group_the_token_lacks_is_ignored()
    {
        var mapping = FileMapping();
        var result = Check(Sddl("D:(D;;GA;;;BA)(A;;GR;;;BU)"), WellKnownTokens.StandardUser(), GENERIC_READ, mapping);
        Assert.True(result.Ok);
        Assert.Equal(FILE_GENERIC_READ, result.Granted);
    }

    [Fact]
    public void A_null_dacl_grants_everything_and_an_empty_dacl_grants_nothing()
    {
        var mapping = FileMapping();
        var user = WellKnownTokens.StandardUser();

        Assert.Equal(NTSTATUS.STATUS_SUCCESS, RtlCreateSecurityDescriptor(out var noDacl, SECURITY_DESCRIPTOR_REVISION));
        var open = Check(noDacl!, user, GENERIC_ALL, mapping);
        Assert.True(open.Ok);
        Assert.Equal(FILE_ALL_ACCESS, open.Granted);

        RtlCreateSecurityDescriptor(out var nullDacl, SECURITY_DESCRIPTOR_REVISION);
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, RtlSetDaclSecurityDescriptor(nullDacl!, true, null, false));
        var max = Check(nullDacl!, user, MAXIMUM_ALLOWED, mapping);
        Assert.True(max.Ok);
        Assert.Equal(FILE_ALL_ACCESS, max.Granted);

        RtlCreateSecurityDescriptor(out var emptyDacl, SECURITY_DESCRIPTOR_REVISION);
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, RtlCreateAcl(out var acl, 8, ACL_REVISION));
        RtlSetDaclSecurityDescriptor(emptyDacl!, true, acl, false);
        var closed = Check(emptyDacl!, WellKnownTokens.System(), FILE_READ_DATA, mapping);
        Assert.False(closed.Ok);
        Assert.Equal(NTSTATUS.STATUS_ACCESS_DENIED, closed.Status);
    }

    [Fact]
    public void The_owner_keeps_read_control_and_write_dac_under_an_empty_dacl()
    {
        var mapping = FileMapping();
        var sd = Sddl("O:S-1-5-21-2718281828-3141592653-1618033988-1001D:P");
        var user = WellKnownTokens.StandardUser();

        var control = Check(sd, user, READ_CONTROL | WRITE_DAC, mapping);
        Assert.True(control.Ok);
        Assert.Equal(READ_CONTROL | WRITE_DAC, control.Granted);

        var max = Check(sd, user, MAXIMUM_ALLOWED, mapping);
        Assert.True(max.Ok);
        Assert.Equal(READ_CONTROL | WRITE_DAC, max.Granted);

        Assert.False(Check(sd, user, FILE_READ_DATA, mapping).Ok);
        Assert.False(Check(sd, WellKnownTokens.Administrator(), READ_CONTROL, mapping).Ok);
    }

    [Fact]
    public void Maximum_allowed_collects_the_allowed_rights_minus_earlier_denials()
    {
        var mapping = FileMapping();
        var user = WellKnownTokens.StandardUser();
        var sd = Sddl("D:(D;;FW;;;WD)(A;;GA;;;BU)");

        var max = Check(sd, user, MAXIMUM_ALLOWED, mapping);
        Assert.True(max.Ok);
        Assert.Equal(0u, max.Granted & FILE_WRITE_DATA);
        Assert.Equal(FILE_ALL_ACCESS & ~FILE_GENERIC_WRITE, max.Granted);

        var maxAndRead = Check(sd, user, MAXIMUM_ALLOWED | FILE_READ_DATA, mapping);
        Assert.True(maxAndRead.Ok);

        // GENERIC_READ maps to FILE_GENERIC_READ, which shares READ_CONTROL and SYNCHRONIZE with the denied FW.
        Assert.False(Check(sd, user, MAXIMUM_ALLOWED | GENERIC_READ, mapping).Ok);
        var maxAndWrite = Check(sd, user, MAXIMUM_ALLOWED | FILE_WRITE_DATA, mapping);
        Assert.False(maxAndWrite.Ok);

        var nothing = Check(Sddl("D:(A;;GA;;;BA)"), user, MAXIMUM_ALLOWED, mapping);
        Assert.False(nothing.Ok);
        Assert.Equal(NTSTATUS.STATUS_ACCESS_DENIED, nothing.Status);
    }

    [Fact]
    public void Generic_rights_in_the_request_and_in_aces_map_through_the_file_mapping()
    {
        var mapping = FileMapping();
        var user = WellKnownTokens.StandardUser();
        var sd = Sddl("D:P(A;;GR;;;BU)");

        var read = Check(sd, user, FILE_READ_DATA | SYNCHRONIZE, mapping);
        Assert.True(read.Ok);
        Assert.Equal(FILE_READ_DATA | SYNCHRONIZE, read.Granted);

        var generic = Check(sd, user, GENERIC_READ, mapping);
        Assert.Equal(FILE_GENERIC_READ, generic.Granted);
        Assert.Equal(0u, generic.Granted & 0xF0000000);

        Assert.False(Check(sd, user, GENERIC_EXECUTE, mapping).Ok);
    }

    [Fact]
    public void Inherit_only_aces_do_not_apply_to_the_object_itself()
    {
        var mapping = FileMapping();
        var result = Check(Sddl("D:(A;OICIIO;GA;;;WD)"), WellKnownTokens.StandardUser(), FILE_READ_DATA, mapping);
        Assert.False(result.Ok);
    }

    [Fact]
    public void Previously_granted_access_counts_toward_the_request()
    {
        var mapping = FileMapping();
        var sd = Sddl("D:P(A;;FR;;;BU)");
        var result = Check(sd, WellKnownTokens.StandardUser(), FILE_READ_DATA | FILE_WRITE_DATA, mapping, previouslyGranted: FILE_WRITE_DATA);
        Assert.True(result.Ok);
        Assert.Equal(FILE_READ_DATA | FILE_WRITE_DATA, result.Granted);
    }

    [Fact]
    public void Privileges_grant_write_owner_and_guard_access_system_security()
    {
        var mapping = FileMapping();
        var sd = Sddl("D:P(A;;GR;;;WD)");
        var admin = WellKnownTokens.Administrator();

        // Held but disabled: no effect until enabled.
        Assert.False(Check(sd, admin, WRITE_OWNER, mapping).Ok);
        var noPrivilege = Check(sd, admin, ACCESS_SYSTEM_SECURITY, mapping);
        Assert.Equal(NTSTATUS.STATUS_PRIVILEGE_NOT_HELD, noPrivilege.Status);

        Assert.Equal(NTSTATUS.STATUS_SUCCESS, admin.AdjustPrivilege(SePrivileges.Luid(SePrivileges.SE_TAKE_OWNERSHIP_PRIVILEGE), true));
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, admin.AdjustPrivilege(SePrivileges.Luid(SePrivileges.SE_SECURITY_PRIVILEGE), true));
        var owner = Check(sd, admin, WRITE_OWNER | GENERIC_READ, mapping);
        Assert.True(owner.Ok);
        Assert.Equal(WRITE_OWNER | FILE_GENERIC_READ, owner.Granted);
        Assert.True(Check(sd, admin, ACCESS_SYSTEM_SECURITY, mapping).Ok);

        var user = WellKnownTokens.StandardUser();
        Assert.Equal(NTSTATUS.STATUS_NOT_ALL_ASSIGNED, user.AdjustPrivilege(SePrivileges.Luid(SePrivileges.SE_TAKE_OWNERSHIP_PRIVILEGE), true));
        Assert.False(Check(sd, user, WRITE_OWNER, mapping).Ok);
    }

    [Fact]
    public void Deny_only_groups_match_deny_aces_but_not_allow_aces()
    {
        var mapping = FileMapping();
        var token = new TOKEN("restricted", WellKnownSids.Account(1002),
            [new(WellKnownSids.BuiltinAdministrators, SE_GROUP.SE_GROUP_USE_FOR_DENY_ONLY), new(WellKnownSids.World, SE_GROUP.Default)], []);
        Assert.False(Check(Sddl("D:(A;;GA;;;BA)"), token, FILE_READ_DATA, mapping).Ok);
        Assert.False(Check(Sddl("D:(D;;GA;;;BA)(A;;GA;;;WD)"), token, FILE_READ_DATA, mapping).Ok);
        Assert.True(Check(Sddl("D:(A;;GA;;;WD)"), token, FILE_READ_DATA, mapping).Ok);
    }

    [Fact]
    public void Well_known_tokens_carry_the_documented_identities_and_privileges()
    {
        var system = WellKnownTokens.Create("SYSTEM")!;
        Assert.Equal(SeLocalSystemSid, system.User.Sid);
        Assert.True(system.Matches(SeAliasAdminsSid, forDeny: false));
        Assert.Equal(35, system.Privileges.Count);
        Assert.All(system.Privileges, p => Assert.True(p.IsEnabled));
        Assert.True(system.IsPrivilegeEnabled(SePrivileges.FromName("SeTcbPrivilege")!.Value));

        var admin = WellKnownTokens.Create("administrator")!;
        Assert.Equal(500u, admin.User.Sid.Rid);
        Assert.True(admin.Matches(SeAliasAdminsSid, false) && admin.Matches(SeAliasUsersSid, false)
            && admin.Matches(SeWorldSid, false) && admin.Matches(SeAuthenticatedUsersSid, false));
        Assert.True(admin.HasPrivilege(SePrivileges.Luid(SePrivileges.SE_LOAD_DRIVER_PRIVILEGE)));
        Assert.True(admin.HasPrivilege(SePrivileges.Luid(SePrivileges.SE_DEBUG_PRIVILEGE)));
        Assert.False(admin.HasPrivilege(SePrivileges.Luid(SePrivileges.SE_TCB_PRIVILEGE)));
        Assert.True(admin.IsPrivilegeEnabled(SePrivileges.Luid(SePrivileges.SE_CHANGE_NOTIFY_PRIVILEGE)));

        var user = WellKnownTokens.Create("user")!;
        Assert.Equal(1001u, user.User.Sid.Rid);
        Assert.False(user.Matches(SeAliasAdminsSid, false));
        Assert.True(user.Matches(SeAliasUsersSid, false));
        var only = Assert.Single(user.Privileges);
        Assert.Equal("SeChangeNotifyPrivilege", SePrivileges.Name(only.Luid));
        Assert.Null(WellKnownTokens.Create("nobody"));

        var subject = new SECURITY_SUBJECT_CONTEXT(user);
        Assert.False(SeSinglePrivilegeCheck(SePrivileges.Luid(SePrivileges.SE_LOAD_DRIVER_PRIVILEGE), subject, KPROCESSOR_MODE.UserMode));
        Assert.True(SeSinglePrivilegeCheck(SePrivileges.Luid(SePrivileges.SE_LOAD_DRIVER_PRIVILEGE), subject, KPROCESSOR_MODE.KernelMode));
        Assert.True(SeSinglePrivilegeCheck(SePrivileges.Luid(SePrivileges.SE_CHANGE_NOTIFY_PRIVILEGE), subject, KPROCESSOR_MODE.UserMode));
    }
}
