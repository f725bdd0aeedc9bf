using SharpNT.Kernel.Cm;
using static SharpNT.Kernel.Cm.RegConstants;

namespace SharpNT.Kernel.Tests.Cm;

public sealed class CmValueTests
{
    private const string Software = ConfigurationManager.SoftwarePath;

    public static TheoryData<uint, byte[], byte[]> EveryType => new()
    {
        { REG_NONE, [], [] },
        { REG_SZ, RegData.String("abc"), [0x61, 0, 0x62, 0, 0x63, 0, 0, 0] },
        { REG_EXPAND_SZ, RegData.String(@"%SystemRoot%\x"), CmTestRegistry.Utf16("%SystemRoot%\\x\0") },
        { REG_BINARY, [0xDE, 0xAD, 0xBE, 0xEF, 0x00], [0xDE, 0xAD, 0xBE, 0xEF, 0x00] },
        { REG_DWORD, RegData.Dword(0x12345678), [0x78, 0x56, 0x34, 0x12] },
        { REG_DWORD_BIG_ENDIAN, RegData.DwordBigEndian(0x12345678), [0x12, 0x34, 0x56, 0x78] },
        { REG_LINK, RegData.Link(@"\REGISTRY\X"), CmTestRegistry.Utf16(@"\REGISTRY\X") },
        { REG_MULTI_SZ, RegData.MultiString(["a", "bc"]), [0x61, 0, 0, 0, 0x62, 0, 0x63, 0, 0, 0, 0, 0] },
        { REG_RESOURCE_LIST, [1, 0, 0, 0, 5, 0, 0, 0], [1, 0, 0, 0, 5, 0, 0, 0] },
        { REG_QWORD, RegData.Qword(0x0102030405060708), [8, 7, 6, 5, 4, 3, 2, 1] },
    };

    [Theory]
    [MemberData(nameof(EveryType))]
    public void Every_type_round_trips_byte_for_byte(uint type, byte[] data, byte[] expected)
    {
        var r = new CmTestRegistry();
        var key = r.Create(Software + @"\Types");
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, r.Cm.SetValueKey(key, "v", type, data));
        var (readType, readData) = r.Query(key, "v");
        Assert.Equal(type, readType);
        Assert.Equal(expected, readData);

        // The stored value is a copy: changing the caller's array afterwards changes nothing.
        if (data.Length > 0)
        {
            data[0] ^= 0xFF;
            Assert.Equal(expected, r.Query(key, "v").Data);
        }
    }

    [Fact]
    public void Typed_readings_of_values()
    {
        Assert.Equal("abc", new CmValue("s", REG_SZ, RegData.String("abc")).AsString());
        Assert.Equal("abc", new CmValue("s", REG_SZ, CmTestRegistry.Utf16("abc")).AsString());
        Assert.Equal("ab", new CmValue("s", REG_EXPAND_SZ, CmTestRegistry.Utf16("ab\0junk")).AsString());
        Assert.Equal(["x", "yz"], new CmValue("m", REG_MULTI_SZ, RegData.MultiString(["x", "yz"])).AsMultiString()!);
        Assert.Equal(["single"], new CmValue("m", REG_SZ, RegData.String("single")).AsMultiString()!);
        Assert.Empty(new CmValue("m", REG_MULTI_SZ, RegData.MultiString([])).AsMultiString()!);
        Assert.Equal(2, RegData.MultiString([]).Length);
        Assert.Equal(7u, new CmValue("d", REG_DWORD, RegData.Dword(7)).AsDword());
        Assert.Equal(7u, new CmValue("d", REG_DWORD_BIG_ENDIAN, RegData.DwordBigEndian(7)).AsDword());
        Assert.Null(new CmValue("d", REG_DWORD, [1, 2]).AsDword());
        Assert.Null(new CmValue("d", REG_BINARY, [1, 2, 3, 4]).AsDword());
        Assert.Equal(ulong.MaxValue - 1, new CmValue("q", REG_QWORD, RegData.Qword(ulong.MaxValue - 1)).AsQword());
        Assert.Null(new CmValue("q", REG_QWORD, [1]).AsQword());
        Assert.Null(new CmValue("n", REG_DWORD, RegData.Dword(1)).AsString());
        Assert.Equal(@"\REGISTRY\T", new CmValue("l", REG_LINK, RegData.Link(@"\REGISTRY\T")).AsString());
        Assert.Throws<ArgumentException>(() => RegData.MultiString(["a", string.Empty]));
    }

    [Fact]
    public void Strings_keep_every_UTF16_unit_even_unpaired_surrogates()
    {
        var text = "a\uD800b\uDC00\u00E9";
        var data = RegData.String(text);
        Assert.Equal((text.Length + 1) * 2, data.Length);
        Assert.Equal(text, RegData.ReadString(data));
    }

    [Fact]
    public void The_default_value_has_an_empty_name()
    {
        var r = new CmTestRegistry();
        var key = r.Create(Software + @"\Default");
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, r.Cm.SetValueKey(key, null, REG_SZ, RegData.String("dflt")));
        Assert.Equal(RegData.String("dflt"), r.Query(key, string.Empty).Data);
        Assert.Equal(RegData.String("dflt"), r.Query(key, null).Data);
        Assert.Equal(string.Empty, r.Cm.GetValues(key).Single().Name);
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, r.Cm.DeleteValueKey(key, null));
        Assert.Empty(r.Cm.GetValues(key));
    }

    [Fact]
    public void Values_enumerate_in_insertion_order_and_keep_their_place_when_set_again()
    {
        var r = new CmTestRegistry();
        var key = r.Create(Software + @"\Values");
        foreach (var name in new[] { "zeta", "Alpha", "mid" })
        {
            r.Cm.SetValueKey(key, name, REG_DWORD, RegData.Dword(1));
        }

        r.Cm.SetValueKey(key, "ALPHA", REG_SZ, RegData.String("now a string"));
        Assert.Equal(["zeta", "Alpha", "mid"], Enumerate(r, key));
        Assert.Equal(REG_SZ, r.Query(key, "alpha").Type);

        Assert.Equal(NTSTATUS.STATUS_SUCCESS, r.Cm.DeleteValueKey(key, "zeta"));
        r.Cm.SetValueKey(key, "zeta", REG_DWORD, RegData.Dword(2));
        Assert.Equal(["Alpha", "mid", "zeta"], Enumerate(r, key));
    }

    [Fact]
    public void Missing_values_and_bad_names_have_their_statuses()
    {
        var r = new CmTestRegistry();
        var key = r.Create(Software + @"\Missing");
        var buffer = new byte[64];
        Assert.Equal(NTSTATUS.STATUS_OBJECT_NAME_NOT_FOUND,
            r.Cm.QueryValueKey(key, "nope", KEY_VALUE_INFORMATION_CLASS.KeyValueFullInformation, buffer, out var length));
        Assert.Equal(0u, length);
        Assert.Equal(NTSTATUS.STATUS_OBJECT_NAME_NOT_FOUND, r.Cm.DeleteValueKey(key, "nope"));
        Assert.Equal(NTSTATUS.STATUS_NO_MORE_ENTRIES,
            r.Cm.EnumerateValueKey(key, 0, KEY_VALUE_INFORMATION_CLASS.KeyValueBasicInformation, buffer, out _));

        var longest = new string('v', MaxValueNameLength);
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, r.Cm.SetValueKey(key, longest, REG_NONE, []));
        Assert.Equal(NTSTATUS.STATUS_INVALID_PARAMETER, r.Cm.SetValueKey(key, longest + "v", REG_NONE, []));
        Assert.Single(r.Cm.GetValues(key));

        Assert.Equal(NTSTATUS.STATUS_INVALID_PARAMETER,
            r.Cm.QueryValueKey(key, longest, KEY_VALUE_INFORMATION_CLASS.KeyValueLayerInformation, buffer, out _));
        Assert.Equal(NTSTATUS.STATUS_INVALID_PARAMETER,
            r.Cm.QueryValueKey(key, longest, (KEY_VALUE_INFORMATION_CLASS)77, buffer, out _));
        Assert.Equal(NTSTATUS.STATUS_INVALID_PARAMETER,
            r.Cm.EnumerateValueKey(key, 0, (KEY_VALUE_INFORMATION_CLASS)77, buffer, out _));
    }

    private static List<string> Enumerate(CmTestRegistry r, CmKey key)
    {
        var names = new List<string>();
        var buffer = new byte[256];
        for (uint i = 0; r.Cm.EnumerateValueKey(key, i, KEY_VALUE_INFORMATION_CLASS.KeyValueBasicInformation, buffer, out _) == NTSTATUS.STATUS_SUCCESS; i++)
        {
            names.Add(RegData.ReadUtf16(buffer.AsSpan(12, BitConverter.ToInt32(buffer, 8))));
        }

        return names;
    }
}
