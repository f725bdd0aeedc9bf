using SharpNT.Kernel.Se;
using static SharpNT.Kernel.Ddi.Wdm;

namespace SharpNT.Kernel.Tests.Se;

public sealed class SidTests
{
    [Theory]
    [InlineData("S-1-5-18")]
    [InlineData("S-1-5-32-544")]
    [InlineData("S-1-5-32-545")]
    [InlineData("S-1-1-0")]
    [InlineData("S-1-5-11")]
    [InlineData("S-1-5-32-546")]
    [InlineData("S-1-5-19")]
    [InlineData("S-1-5-20")]
    [InlineData("S-1-5-21-2718281828-3141592653-1618033988-1001")]
    [InlineData("S-1-0")]
    [InlineData("S-1-0x123456789ABC-1")]
    [InlineData("S-1-5-1-2-3-4-5-6-7-8-9-10-11-12-13-14-4294967295")]
    public void Parse_then_format_round_trips(string text)
    {
        Assert.True(SID.TryParse(text, out var sid));
        Assert.Equal(text, sid!.ToString());
        Assert.Equal(sid, SID.Parse(sid.ToString()));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("S")]
    [InlineData("S-")]
    [InlineData("S-1")]
    [InlineData("S-1-")]
    [InlineData("S-2-5-18")]
    [InlineData("X-1-5-18")]
    [InlineData("S-1-5-")]
    [InlineData("S-1-5--18")]
    [InlineData("S-1-5-18-")]
    [InlineData("S-1-5-+18")]
    [InlineData("S-1-5- 18")]
    [InlineData("S-1-5-4294967296")]
    [InlineData("S-1-281474976710656-1")]
    [InlineData("S-1-0x1234567890ABC-1")]
    [InlineData("S-1-0x-1")]
    [InlineData("S-1-5-1-2-3-4-5-6-7-8-9-10-11-12-13-14-15-16")]
    public void Malformed_sid_strings_are_refused(string? text)
    {
        Assert.False(SID.TryParse(text, out var sid));
        Assert.Null(sid);
    }

    [Fact]
    public void Lower_case_prefix_parses_and_formats_upper_case()
    {
        Assert.True(SID.TryParse("s-1-5-18", out var sid));
        Assert.Equal(WellKnownSids.LocalSystem, sid);
        Assert.Equal("S-1-5-18", sid!.ToString());
    }

    [Fact]
    public void Well_known_sids_have_their_documented_strings()
    {
        Assert.Equal("S-1-5-18", SeLocalSystemSid.ToString());
        Assert.Equal("S-1-5-32-544", SeAliasAdminsSid.ToString());
        Assert.Equal("S-1-5-32-545", SeAliasUsersSid.ToString());
        Assert.Equal("S-1-5-32-546", SeAliasGuestsSid.ToString());
        Assert.Equal("S-1-1-0", SeWorldSid.ToString());
        Assert.Equal("S-1-5-11", SeAuthenticatedUsersSid.ToString());
        Assert.Equal("S-1-5-19", SeLocalServiceSid.ToString());
        Assert.Equal("S-1-5-20", SeNetworkServiceSid.ToString());
        Assert.StartsWith("S-1-5-21-", WellKnownSids.Account(500).ToString(), StringComparison.Ordinal);
        Assert.EndsWith("-500", WellKnownSids.Account(500).ToString(), StringComparison.Ordinal);
        Assert.True(WellKnownSids.Account(500).EqualPrefix(WellKnownSids.Account(1001)));
        Assert.False(WellKnownSids.Account(500).EqualPrefix(SeAliasAdminsSid));
    }

    [Fact]
    public void Lengths_and_equality_follow_the_rtl_routines()
    {
        Assert.Equal(12u, RtlLengthSid(SeLocalSystemSid));
        Assert.Equal(16u, RtlLengthSid(SeAliasAdminsSid));
        Assert.Equal(28u, RtlLengthSid(WellKnownSids.Account(1001)));
        Assert.True(RtlEqualSid(SID.Parse("S-1-5-32-544"), SeAliasAdminsSid));
        Assert.False(RtlEqualSid(SeAliasUsersSid, SeAliasAdminsSid));
        Assert.True(RtlValidSid(SeWorldSid));
        Assert.False(RtlValidSid(null));
        Assert.Equal(544u, SeAliasAdminsSid.Rid);
    }

    [Fact]
    public void Convert_sid_to_unicode_string_allocates_or_reports_overflow()
    {
        var allocated = default(UNICODE_STRING);
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, RtlConvertSidToUnicodeString(ref allocated, SeAliasAdminsSid, true));
        Assert.Equal("S-1-5-32-544", allocated.Value);

        RtlInitEmptyUnicodeString(out var small, 8);
        Assert.Equal(NTSTATUS.STATUS_BUFFER_OVERFLOW, RtlConvertSidToUnicodeString(ref small, SeAliasAdminsSid, false));

        RtlInitEmptyUnicodeString(out var big, 64);
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, RtlConvertSidToUnicodeString(ref big, SeAliasAdminsSid, false));
        Assert.Equal(24, big.Length);
    }

    [Fact]
    public void Privilege_names_and_luids_agree()
    {
        Assert.Equal("SeTcbPrivilege", SePrivileges.Name(SePrivileges.Luid(SePrivileges.SE_TCB_PRIVILEGE)));
        Assert.Equal("SeDebugPrivilege", SePrivileges.Name(new LUID(20, 0)));
        Assert.Equal(new LUID(10, 0), SePrivileges.FromName("SeLoadDriverPrivilege"));
        Assert.Equal(new LUID(23, 0), SePrivileges.FromName("sechangenotifyprivilege"));
        Assert.Null(SePrivileges.FromName("SeNoSuchPrivilege"));
        Assert.Null(SePrivileges.Name(new LUID(37, 0)));
        Assert.Equal("SeDelegateSessionUserImpersonatePrivilege", SePrivileges.Name(new LUID(36, 0)));
    }
}
