using SharpNT.Kernel.Ke;
using SharpNT.Kernel.Ob;
using SharpNT.Kernel.Se;
using static SharpNT.Kernel.Ddi.Wdm;

namespace SharpNT.Kernel.Tests.Se;

public sealed class AssignSecurityTests
{
    private static readonly GENERIC_MAPPING s_file = new(FILE_GENERIC_READ, FILE_GENERIC_WRITE, FILE_GENERIC_EXECUTE, FILE_ALL_ACCESS);

    private static SECURITY_DESCRIPTOR Sddl(string sddl)
    {
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, SeConvertStringSecurityDescriptorToSecurityDescriptor(sddl, SDDL_REVISION_1, out var sd));
        return sd!;
    }

    private static SECURITY_DESCRIPTOR Assign(SECURITY_DESCRIPTOR? parent, SECURITY_DESCRIPTOR? explicitSd, bool container, TOKEN token)
    {
        Assert.Equal(NTSTATUS.STATUS_SUCCESS,
            SeAssignSecurity(parent, explicitSd, out var sd, container, new SECURITY_SUBJECT_CONTEXT(token), s_file));
        Assert.True(RtlValidSecurityDescriptor(sd));
        return sd!;
    }

    [Fact]
    public void An_explicit_device_string_is_mapped_and_owned_by_the_creator()
    {
        var sd = Assign(null, Sddl(SDDL_DEVOBJ_SYS_ALL_ADM_ALL), false, WellKnownTokens.System());
        Assert.Equal(SeAliasAdminsSid, sd.Owner);
        Assert.True(sd.DaclProtected);
        Assert.All(sd.Dacl!.Aces, a => Assert.Equal(FILE_ALL_ACCESS, a.Mask));

        var granted = SeAccessCheck(sd, new SECURITY_SUBJECT_CONTEXT(WellKnownTokens.StandardUser()), false, FILE_READ_DATA, 0, s_file,
            KPROCESSOR_MODE.UserMode, out _, out var status);
        Assert.False(granted);
        Assert.Equal(NTSTATUS.STATUS_ACCESS_DENIED, status);
    }

    [Fact]
    public void Without_an_explicit_or_inheritable_dacl_the_token_default_dacl_applies()
    {
        var user = WellKnownTokens.StandardUser();
        var sd = Assign(Sddl("D:(A;;GA;;;WD)"), null, false, user);
        Assert.Equal(user.User.Sid, sd.Owner);
        Assert.NotEqual(0, sd.Control & SE_CONTROL.SE_DACL_DEFAULTED);
        Assert.Equal([user.User.Sid, SeLocalSystemSid], sd.Dacl!.Aces.Select(a => a.Sid));
        Assert.All(sd.Dacl.Aces, a => Assert.Equal(FILE_ALL_ACCESS, a.Mask));
    }

    [Fact]
    public void Files_inherit_object_inherit_aces_and_directories_container_inherit_aces()
    {
        var parent = Sddl("D:(A;OI;GR;;;BU)(A;CI;GW;;;BA)(A;OICI;GA;;;CO)(A;OICINP;FX;;;WD)");
        var user = WellKnownTokens.StandardUser();

        var file = Assign(parent, null, false, user);
        var fileAces = file.Dacl!.Aces;
        Assert.Equal(3, fileAces.Count);
        Assert.All(fileAces, a => Assert.Equal(AceConstants.INHERITED_ACE, a.AceFlags));
        Assert.Equal((FILE_GENERIC_READ, SeAliasUsersSid), (fileAces[0].Mask, fileAces[0].Sid));
        Assert.Equal((FILE_ALL_ACCESS, user.User.Sid), (fileAces[1].Mask, fileAces[1].Sid));
        Assert.Equal((FILE_GENERIC_EXECUTE, SeWorldSid), (fileAces[2].Mask, fileAces[2].Sid));
        Assert.NotEqual(0, file.Control & SE_CONTROL.SE_DACL_AUTO_INHERITED);

        var directory = Assign(parent, null, true, user);
        var dirAces = directory.Dacl!.Aces;
        // OI only: inherit-only for the directory's files. CI GW: effective (mapped) plus inherit-only (generic).
        // CREATOR OWNER: effective for the creator plus inherit-only. OICINP: effective only, not propagated.
        Assert.Equal(6, dirAces.Count);
        Assert.True(dirAces[0].IsInheritOnly);
        Assert.Equal(GENERIC_READ, dirAces[0].Mask);
        Assert.Equal((FILE_GENERIC_WRITE, AceConstants.INHERITED_ACE), (dirAces[1].Mask, dirAces[1].AceFlags));
        Assert.True(dirAces[2].IsInheritOnly);
        Assert.Equal(GENERIC_WRITE, dirAces[2].Mask);
        Assert.Equal((FILE_ALL_ACCESS, user.User.Sid), (dirAces[3].Mask, dirAces[3].Sid));
        Assert.True(dirAces[4].IsInheritOnly);
        Assert.Equal(WellKnownSids.CreatorOwner, dirAces[4].Sid);
        Assert.Equal((FILE_GENERIC_EXECUTE, AceConstants.INHERITED_ACE), (dirAces[5].Mask, dirAces[5].AceFlags));
    }

    [Fact]
    public void A_mapped_ace_that_applies_and_propagates_stays_one_ace()
    {
        var directory = Assign(Sddl("D:(A;OICI;FA;;;BA)"), null, true, WellKnownTokens.Administrator());
        var ace = Assert.Single(directory.Dacl!.Aces);
        Assert.Equal(AceConstants.OBJECT_INHERIT_ACE | AceConstants.CONTAINER_INHERIT_ACE | AceConstants.INHERITED_ACE, ace.AceFlags);
        Assert.Equal(FILE_ALL_ACCESS, ace.Mask);
    }
}
