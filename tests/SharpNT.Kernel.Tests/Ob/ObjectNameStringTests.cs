using static SharpNT.Kernel.Ddi.Wdm;

namespace SharpNT.Kernel.Tests.Ob;

/// <summary>The counted strings object names travel in (UNICODE_STRING and the Rtl routines on it).</summary>
public sealed class ObjectNameStringTests
{
    [Fact]
    public void RtlInitUnicodeString_counts_bytes_and_the_terminator()
    {
        RtlInitUnicodeString(out var s, @"\Device\X");
        Assert.Equal(18, s.Length);
        Assert.Equal(20, s.MaximumLength);
        Assert.Equal(@"\Device\X", s.ToString());
        RtlInitUnicodeString(out var none, null);
        Assert.Equal(0, none.Length);
        Assert.Null(none.Buffer);
    }

    [Fact]
    public void Copy_truncates_to_the_destination_buffer_and_append_refuses_to_overflow()
    {
        RtlInitEmptyUnicodeString(out var dest, 8);
        RtlCopyUnicodeString(ref dest, new UNICODE_STRING("abcdefgh"));
        Assert.Equal("abcd", dest.ToString());
        Assert.Equal(8, dest.Length);

        RtlInitEmptyUnicodeString(out var path, 20);
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, RtlAppendUnicodeToString(ref path, @"\??\"));
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, RtlAppendUnicodeStringToString(ref path, "C:"));
        Assert.Equal(@"\??\C:", path.ToString());
        Assert.Equal(NTSTATUS.STATUS_BUFFER_TOO_SMALL, RtlAppendUnicodeToString(ref path, "toolong"));
        Assert.Equal(@"\??\C:", path.ToString());
    }

    [Fact]
    public void Compare_equal_and_prefix_follow_the_case_flag()
    {
        Assert.Equal(0, RtlCompareUnicodeString("Device", "DEVICE", true));
        Assert.True(RtlCompareUnicodeString("Device", "DEVICE", false) > 0);
        Assert.True(RtlCompareUnicodeString("Dev", "Device", false) < 0);
        Assert.True(RtlEqualUnicodeString(@"\??\c:", @"\??\C:", true));
        Assert.False(RtlEqualUnicodeString(@"\??\c:", @"\??\C:", false));
        Assert.True(RtlPrefixUnicodeString(@"\device", @"\Device\Harddisk0", true));
        Assert.False(RtlPrefixUnicodeString(@"\device", @"\Device\Harddisk0", false));

        // Only Length counts: characters of the buffer past it are not part of the value.
        var partial = new UNICODE_STRING { Buffer = "abcdef", Length = 6, MaximumLength = 12 };
        Assert.Equal("abc", partial.ToString());
        Assert.True(RtlEqualUnicodeString(partial, "abc", false));
    }

    [Fact]
    public void InitializeObjectAttributes_sets_the_x64_length()
    {
        InitializeObjectAttributes(out var oa, @"\Device\X", OBJ_CASE_INSENSITIVE, null, null);
        Assert.Equal(0x30U, oa.Length);
        Assert.Equal(OBJ_CASE_INSENSITIVE, oa.Attributes);
        Assert.True(oa.RootDirectory.IsNull);
        Assert.Equal(@"\Device\X", oa.ObjectName!.Value.ToString());
    }
}
