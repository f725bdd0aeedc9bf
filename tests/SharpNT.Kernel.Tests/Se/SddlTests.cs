using SharpNT.Kernel.Se;
using static SharpNT.Kernel.Ddi.Wdm;

namespace SharpNT.Kernel.Tests.Se;

public sealed class SddlTests
{
    private static SECURITY_DESCRIPTOR Parse(string sddl)
    {
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, SeConvertStringSecurityDescriptorToSecurityDescriptor(sddl, SDDL_REVISION_1, out var sd));
        Assert.True(RtlValidSecurityDescriptor(sd));
        return sd!;
    }

    [Fact]
    public void The_system_and_administrators_string_gives_a_protected_dacl_with_two_generic_all_aces()
    {
        var sd = Parse("D:P(A;;GA;;;SY)(A;;GA;;;BA)");
        Assert.True(sd.DaclPresent);
        Assert.True(sd.DaclProtected);
        Assert.Null(sd.Owner);
        var aces = sd.Dacl!.Aces;
        Assert.Equal(2, aces.Count);
        Assert.All(aces, a => Assert.Equal(AceConstants.ACCESS_ALLOWED_ACE_TYPE, a.AceType));
        Assert.All(aces, a => Assert.Equal(GENERIC_ALL, a.Mask));
        Assert.Equal(SeLocalSystemSid, aces[0].Sid);
        Assert.Equal(SeAliasAdminsSid, aces[1].Sid);
        Assert.Equal(8 + 20 + 24, sd.Dacl.AclSize);
    }

    [Fact]
    public void Rights_flags_aliases_and_sid_strings_parse()
    {
        var sd = Parse("O:BAG:SYD:PAI(D;OICI;0x1F01FF;;;BG)(A;CIIO;GRGW;;;BU)(A;;FRFX;;;WD)(A;NP;KA;;;AU)(A;ID;RCSDWDWO;;;S-1-5-21-1-2-3-1001)(A;;1;;;LS)(A;;GX;;;NS)(A;;GR;;;RC)");
        Assert.Equal(SeAliasAdminsSid, sd.Owner);
        Assert.Equal(SeLocalSystemSid, sd.Group);
        Assert.NotEqual(0, sd.Control & SE_CONTROL.SE_DACL_AUTO_INHERITED);
        var aces = sd.Dacl!.Aces;
        Assert.Equal(8, aces.Count);
        Assert.Equal(AceConstants.ACCESS_DENIED_ACE_TYPE, aces[0].AceType);
        Assert.Equal(AceConstants.OBJECT_INHERIT_ACE | AceConstants.CONTAINER_INHERIT_ACE, aces[0].AceFlags);
        Assert.Equal(0x1F01FFu, aces[0].Mask);
        Assert.Equal(SeAliasGuestsSid, aces[0].Sid);
        Assert.Equal(AceConstants.CONTAINER_INHERIT_ACE | AceConstants.INHERIT_ONLY_ACE, aces[1].AceFlags);
        Assert.Equal(GENERIC_READ | GENERIC_WRITE, aces[1].Mask);
        Assert.Equal(FILE_GENERIC_READ | FILE_GENERIC_EXECUTE, aces[2].Mask);
        Assert.Equal(SeWorldSid, aces[2].Sid);
        Assert.Equal(KEY_ALL_ACCESS, aces[3].Mask);
        Assert.Equal(AceConstants.NO_PROPAGATE_INHERIT_ACE, aces[3].AceFlags);
        Assert.Equal(SeAuthenticatedUsersSid, aces[3].Sid);
        Assert.Equal(READ_CONTROL | DELETE | WRITE_DAC | WRITE_OWNER, aces[4].Mask);
        Assert.Equal("S-1-5-21-1-2-3-1001", aces[4].Sid.ToString());
        Assert.Equal(1u, aces[5].Mask);
        Assert.Equal(SeLocalServiceSid, aces[5].Sid);
        Assert.Equal(SeNetworkServiceSid, aces[6].Sid);
        Assert.Equal("S-1-5-12", aces[7].Sid.ToString());
    }

    [Fact]
    public void An_empty_dacl_and_a_null_dacl_differ()
    {
        var empty = Parse(SDDL_DEVOBJ_KERNEL_ONLY);
        Assert.True(empty.DaclPresent);
        Assert.NotNull(empty.Dacl);
        Assert.Equal(0, empty.Dacl!.AceCount);

        var none = Parse("D:NO_ACCESS_CONTROL");
        Assert.True(none.DaclPresent);
        Assert.Null(none.Dacl);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("D")]
    [InlineData("X:P")]
    [InlineData("D:Q")]
    [InlineData("D:P(A;;GA;;SY)")]
    [InlineData("D:P(A;;GA;;;SY;extra)")]
    [InlineData("D:P(A;;GA;;;SY")]
    [InlineData("D:P(A;;GA;;;SY)junk")]
    [InlineData("D:P(Z;;GA;;;SY)")]
    [InlineData("D:P(A;XX;GA;;;SY)")]
    [InlineData("D:P(A;O;GA;;;SY)")]
    [InlineData("D:P(A;;QQ;;;SY)")]
    [InlineData("D:P(A;;G;;;SY)")]
    [InlineData("D:P(A;;;;;SY)")]
    [InlineData("D:P(A;;0x;;;SY)")]
    [InlineData("D:P(A;;0x1FFFFFFFF;;;SY)")]
    [InlineData("D:P(A;;0xZZ;;;SY)")]
    [InlineData("D:P(A;;GA;;;ZZ)")]
    [InlineData("D:P(A;;GA;;;)")]
    [InlineData("D:P(A;;GA;;;S-1-5-)")]
    [InlineData("D:P(A;;GA;bf967aba-0de6-11d0-a285-00aa003049e2;;SY)")]
    [InlineData("D:P(A;;GA;;;SY)D:P")]
    [InlineData("D:NO_ACCESS_CONTROL(A;;GA;;;SY)")]
    [InlineData("O:ZZD:P")]
    [InlineData("S:(AU;SA;GA;;;WD)")]
    public void Malformed_sddl_is_invalid_parameter(string? sddl)
    {
        Assert.Equal(NTSTATUS.STATUS_INVALID_PARAMETER, SeConvertStringSecurityDescriptorToSecurityDescriptor(sddl, SDDL_REVISION_1, out var sd));
        Assert.Null(sd);
    }

    [Fact]
    public void Only_sddl_revision_1_is_accepted()
    {
        Assert.Equal(NTSTATUS.STATUS_INVALID_PARAMETER, SeConvertStringSecurityDescriptorToSecurityDescriptor(SDDL_DEVOBJ_SYS_ALL, 2, out var sd));
        Assert.Null(sd);
    }

    [Theory]
    [InlineData(SDDL_DEVOBJ_KERNEL_ONLY, 0)]
    [InlineData(SDDL_DEVOBJ_SYS_ALL, 1)]
    [InlineData(SDDL_DEVOBJ_SYS_ALL_ADM_ALL, 2)]
    [InlineData(SDDL_DEVOBJ_SYS_ALL_ADM_RX, 2)]
    [InlineData(SDDL_DEVOBJ_SYS_ALL_ADM_RWX_WORLD_R, 3)]
    [InlineData(SDDL_DEVOBJ_SYS_ALL_ADM_RWX_WORLD_RW_RES_R, 4)]
    [InlineData(SDDL_DEVOBJ_SYS_ALL_ADM_RWX_WORLD_RWX_RES_RWX, 4)]
    public void The_wdmsec_strings_parse(string sddl, int aces) =>
        Assert.Equal(aces, Parse(sddl).Dacl!.AceCount);

    [Theory]
    [InlineData(SDDL_DEVOBJ_KERNEL_ONLY)]
    [InlineData(SDDL_DEVOBJ_SYS_ALL_ADM_ALL)]
    [InlineData(SDDL_DEVOBJ_SYS_ALL_ADM_RWX_WORLD_RW_RES_R)]
    [InlineData("D:P(A;;0x1F01FF;;;S-1-5-21-1-2-3-1001)(A;;RCSDWDWO;;;AU)")]
    public void The_device_object_subset_accepts_what_sddl_for_device_objects_documents(string sddl)
    {
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, SddlParser.ParseForDeviceObject(sddl, out var sd));
        Assert.True(sd!.DaclProtected);
    }

    [Theory]
    [InlineData("D:(A;;GA;;;SY)")]
    [InlineData("D:PAI(A;;GA;;;SY)")]
    [InlineData("O:BAD:P(A;;GA;;;SY)")]
    [InlineData("D:P(A;;GA;;;SY)G:SY")]
    [InlineData("D:P(D;;GA;;;SY)")]
    [InlineData("D:P(A;OICI;GA;;;SY)")]
    [InlineData("D:P(A;;FA;;;SY)")]
    [InlineData("D:P(A;;GA;;;SY")]
    [InlineData(null)]
    public void The_device_object_subset_refuses_the_rest_of_sddl(string? sddl)
    {
        Assert.Equal(NTSTATUS.STATUS_INVALID_PARAMETER, SddlParser.ParseForDeviceObject(sddl, out var sd));
        Assert.Null(sd);
    }
}
