using System.Text;
using SharpNT.Kernel.Cm;
using static SharpNT.Kernel.Cm.RegConstants;

namespace SharpNT.Kernel.Tests.Cm;

public sealed class RegFileTests
{
    private const string Header = "Windows Registry Editor Version 5.00\n\n";

    private const string Sample = """
        Windows Registry Editor Version 5.00

        ; A driver service, written through the CurrentControlSet link.
        [HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Services\sample]
        "Start"=dword:00000003
        "Type"=dword:1
        "ErrorControl"=dword:00000001
        "ImagePath"=hex(2):5c,00,53,00,79,00,73,00,74,00,65,00,6d,00,52,00,6f,00,6f,00,\
          74,00,5c,00,73,00,2e,00,73,00,79,00,73,00,00,00
        "Group"="Base"
        "Plain"="C:\\dir\\with \"quotes\""
        "Filters"=hex(7):61,00,00,00,62,00,00,00,00,00
        "Big"=hex(b):08,07,06,05,04,03,02,01
        "Blob"=hex:de,ad,be,ef
        "Nothing"=hex(0):
        @="default text"
        "Readable"=str(2):"%SystemRoot%\\x.sys"
        "List"=str(7):"one\0two\0"
        "Q"=qword:0000000000000010

        [HKEY_USERS\.DEFAULT\Software\Test]
        "Doomed"=dword:00000001
        "Doomed"=-

        [HKEY_LOCAL_MACHINE\SOFTWARE\ToDelete\Sub]
        [-HKEY_LOCAL_MACHINE\SOFTWARE\ToDelete]
        [-HKEY_LOCAL_MACHINE\SOFTWARE\NeverExisted]
        """;

    [Fact]
    public void Load_reads_every_form_of_value()
    {
        var r = new CmTestRegistry();
        Assert.Null(r.Cm.LoadRegText(Sample, "sample.reg"));

        var key = r.Open(@"\REGISTRY\MACHINE\SYSTEM\ControlSet001\Services\sample");
        r.AssertValue(key, "Start", REG_DWORD, RegData.Dword(3));
        r.AssertValue(key, "Type", REG_DWORD, RegData.Dword(1));
        r.AssertValue(key, "ImagePath", REG_EXPAND_SZ, RegData.String(@"\SystemRoot\s.sys"));
        r.AssertValue(key, "Group", REG_SZ, RegData.String("Base"));
        r.AssertValue(key, "Plain", REG_SZ, RegData.String("C:\\dir\\with \"quotes\""));
        r.AssertValue(key, "Filters", REG_MULTI_SZ, RegData.MultiString(["a", "b"]));
        r.AssertValue(key, "Big", REG_QWORD, RegData.Qword(0x0102030405060708));
        r.AssertValue(key, "Blob", REG_BINARY, new byte[] { 0xDE, 0xAD, 0xBE, 0xEF });
        r.AssertValue(key, "Nothing", REG_NONE, Array.Empty<byte>());
        r.AssertValue(key, null, REG_SZ, RegData.String("default text"));
        r.AssertValue(key, "Readable", REG_EXPAND_SZ, RegData.String(@"%SystemRoot%\x.sys"));
        r.AssertValue(key, "List", REG_MULTI_SZ, RegData.MultiString(["one", "two"]));
        r.AssertValue(key, "Q", REG_QWORD, RegData.Qword(16));

        var test = r.Open(@"\REGISTRY\USER\.DEFAULT\Software\Test");
        Assert.Empty(r.Cm.GetValues(test));
        Assert.Null(r.Cm.OpenKey(@"\REGISTRY\MACHINE\SOFTWARE\ToDelete"));
    }

    [Fact]
    public void Save_writes_regedit_format_deterministically()
    {
        var r = new CmTestRegistry();
        var key = r.Create(@"\REGISTRY\MACHINE\SOFTWARE\Golden");
        r.Cm.SetValueKey(key, "Start", REG_DWORD, RegData.Dword(10));
        r.Cm.SetValueKey(key, null, REG_SZ, RegData.String("x\\y\"z"));
        r.Cm.SetValueKey(key, "Path", REG_EXPAND_SZ, RegData.String("ab"));
        r.Cm.SetValueKey(key, "Ids", REG_MULTI_SZ, RegData.MultiString(["a"]));
        r.Cm.SetValueKey(key, "Big", REG_QWORD, RegData.Qword(1));
        r.Cm.SetValueKey(key, "Odd", REG_SZ, [0x41]);
        r.Cm.SetValueKey(key, "Res", REG_RESOURCE_LIST, [1, 2]);
        r.Create(@"\REGISTRY\MACHINE\SOFTWARE\Golden\b");
        r.Create(@"\REGISTRY\MACHINE\SOFTWARE\Golden\A");
        r.Create(@"\REGISTRY\MACHINE\SOFTWARE\Golden\Vol", REG_OPTION_VOLATILE);

        Assert.Equal("""
            Windows Registry Editor Version 5.00

            [HKEY_LOCAL_MACHINE\SOFTWARE\Golden]
            "Start"=dword:0000000a
            @="x\\y\"z"
            "Path"=hex(2):61,00,62,00,00,00
            "Ids"=hex(7):61,00,00,00,00,00
            "Big"=hex(b):01,00,00,00,00,00,00,00
            "Odd"=hex(1):41
            "Res"=hex(8):01,02

            [HKEY_LOCAL_MACHINE\SOFTWARE\Golden\A]

            [HKEY_LOCAL_MACHINE\SOFTWARE\Golden\b]


            """.Replace("\r\n", "\n", StringComparison.Ordinal), r.Cm.SaveRegText(key));

        Assert.Equal("""
            Windows Registry Editor Version 5.00

            [HKEY_LOCAL_MACHINE\SOFTWARE\Golden]
            "Start"=dword:0000000a
            @="x\\y\"z"
            "Path"=str(2):"ab"
            "Ids"=str(7):"a\0"
            "Big"=qword:0000000000000001
            "Odd"=hex(1):41
            "Res"=hex(8):01,02

            [HKEY_LOCAL_MACHINE\SOFTWARE\Golden\A]

            [HKEY_LOCAL_MACHINE\SOFTWARE\Golden\b]


            """.Replace("\r\n", "\n", StringComparison.Ordinal), r.Cm.SaveRegText(key, RegFileStyle.Readable));
    }

    [Fact]
    public void Long_hex_data_wraps_under_80_columns_and_reads_back()
    {
        var r = new CmTestRegistry();
        var key = r.Create(@"\REGISTRY\MACHINE\SOFTWARE\Wrap");
        var data = Enumerable.Range(0, 200).Select(i => (byte)i).ToArray();
        r.Cm.SetValueKey(key, "Blob", REG_BINARY, data);
        var text = r.Cm.SaveRegText(key);
        var lines = text.Split('\n');
        Assert.All(lines, line => Assert.True(line.Length < 80, line));
        var valueLines = lines.SkipWhile(l => !l.StartsWith("\"Blob\"", StringComparison.Ordinal)).TakeWhile(l => l.Length > 0).ToList();
        Assert.True(valueLines.Count > 2);
        Assert.All(valueLines[..^1], l => Assert.EndsWith(",\\", l, StringComparison.Ordinal));
        Assert.All(valueLines[1..], l => Assert.StartsWith("  ", l, StringComparison.Ordinal));

        var copy = new CmTestRegistry();
        Assert.Null(copy.Cm.LoadRegText(text, "wrap.reg"));
        copy.AssertValue(copy.Open(@"\REGISTRY\MACHINE\SOFTWARE\Wrap"), "Blob", REG_BINARY, data);
    }

    [Fact]
    public void Volatile_keys_and_the_CurrentControlSet_link_are_not_saved()
    {
        var r = new CmTestRegistry();
        var text = r.Cm.SaveRegText();
        Assert.StartsWith(Header, text, StringComparison.Ordinal);
        Assert.Contains(@"[HKEY_LOCAL_MACHINE\SYSTEM\ControlSet001\Services]", text, StringComparison.Ordinal);
        Assert.Contains(@"[HKEY_USERS\.DEFAULT]", text, StringComparison.Ordinal);
        Assert.DoesNotContain("CurrentControlSet", text, StringComparison.Ordinal);
        Assert.DoesNotContain("HARDWARE", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Hardware Profiles\\Current", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_saved_registry_loads_back_to_the_same_text()
    {
        var r = new CmTestRegistry();
        Assert.Null(r.Cm.LoadRegText(Sample, "sample.reg"));
        var link = r.Create(@"\REGISTRY\MACHINE\SOFTWARE\StableLink", REG_OPTION_CREATE_LINK);
        r.Cm.SetValueKey(link, SymbolicLinkValueName, REG_LINK, RegData.Link(@"\REGISTRY\MACHINE\SYSTEM\Select"));

        foreach (var style in new[] { RegFileStyle.Regedit, RegFileStyle.Readable })
        {
            var first = r.Cm.SaveRegText(style);
            var copy = new CmTestRegistry();
            Assert.Null(copy.Cm.LoadRegText(first, "first.reg"));
            Assert.Equal(first, copy.Cm.SaveRegText(style));
            Assert.Equal(r.Cm.SaveRegText(RegFileStyle.Regedit), copy.Cm.SaveRegText(RegFileStyle.Regedit));

            // The non-volatile link came back as a link.
            Assert.Same(copy.Open(@"\REGISTRY\MACHINE\SYSTEM\Select"), copy.Open(@"\REGISTRY\MACHINE\SOFTWARE\StableLink"));
        }
    }

    [Fact]
    public void Files_in_UTF16_with_CRLF_as_regedit_saves_them_load()
    {
        var r = new CmTestRegistry();
        var path = Path.Combine(Path.GetTempPath(), $"sharpnt-cm-{Guid.NewGuid():N}.reg");
        try
        {
            var text = Sample.Replace("\n", "\r\n", StringComparison.Ordinal);
            File.WriteAllText(path, text, new UnicodeEncoding(bigEndian: false, byteOrderMark: true));
            r.Cm.LoadRegFile(path);
            r.AssertValue(r.Open(ConfigurationManager.ServicesPath + @"\sample"), "Start", REG_DWORD, RegData.Dword(3));

            r.Cm.SaveRegFile(path, RegFileStyle.Readable);
            var copy = new CmTestRegistry();
            copy.Cm.LoadRegFile(path);
            Assert.Equal(r.Cm.SaveRegText(), copy.Cm.SaveRegText());
        }
        finally
        {
            File.Delete(path);
        }
    }

    public static TheoryData<string, string, int, string> MalformedFiles => new()
    {
        { "bad header", "REGEDIT4\n\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\A]\n", 1, "expected the header 'Windows Registry Editor Version 5.00'" },
        { "empty file", string.Empty, 1, "expected the header" },
        { "unterminated key bracket", Header + "[HKEY_LOCAL_MACHINE\\SOFTWARE\\A]\n\"x\"=dword:1\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\B\n", 5, "expected ']'" },
        { "unknown root", Header + "[HKEY_CURRENT_USER\\Software]\n", 3, "expected HKEY_LOCAL_MACHINE or HKEY_USERS" },
        { "empty key name", Header + "[HKEY_LOCAL_MACHINE\\SOFTWARE\\\\A]\n", 3, "empty key name" },
        { "key name too long", Header + $"[HKEY_LOCAL_MACHINE\\SOFTWARE\\{new string('k', 256)}]\n", 3, "longer than 255 characters" },
        { "value before any key", Header + "\"x\"=dword:00000001\n", 3, "before any [KEY] line" },
        { "bad hex", Header + "[HKEY_LOCAL_MACHINE\\SOFTWARE\\A]\n\"b\"=hex:01,0g\n", 4, "bad hex byte '0g': expected two hex digits" },
        { "bad hex on a continuation line", Header + "[HKEY_LOCAL_MACHINE\\SOFTWARE\\A]\n\"b\"=hex:01,02,\\\n  03,zz\n", 5, "bad hex byte 'zz'" },
        { "hex ends with a comma", Header + "[HKEY_LOCAL_MACHINE\\SOFTWARE\\A]\n\"b\"=hex:01,\n", 4, "ends with ','" },
        { "continuation past the end", Header + "[HKEY_LOCAL_MACHINE\\SOFTWARE\\A]\n\"b\"=hex:01,\\", 4, "the file ends" },
        { "bad dword", Header + "[HKEY_LOCAL_MACHINE\\SOFTWARE\\A]\n\"d\"=dword:123456789\n", 4, "bad dword value '123456789': expected 1 to 8 hex digits" },
        { "dword not hex", Header + "[HKEY_LOCAL_MACHINE\\SOFTWARE\\A]\n\"d\"=dword:12x4\n", 4, "bad dword value" },
        { "bad qword", Header + "[HKEY_LOCAL_MACHINE\\SOFTWARE\\A]\n\"q\"=qword:\n", 4, "bad qword value" },
        { "unknown type", Header + "[HKEY_LOCAL_MACHINE\\SOFTWARE\\A]\n\"u\"=float:1.5\n", 4, "unknown value type" },
        { "bad hex(N) type", Header + "[HKEY_LOCAL_MACHINE\\SOFTWARE\\A]\n\"u\"=hex(zz):00\n", 4, "bad type" },
        { "unterminated string", Header + "[HKEY_LOCAL_MACHINE\\SOFTWARE\\A]\n\"s\"=\"abc\n", 4, "unterminated string" },
        { "bad escape", Header + "[HKEY_LOCAL_MACHINE\\SOFTWARE\\A]\n\"s\"=\"C:\\Windows\"\n", 4, "bad escape '\\W'" },
        { "text after the string", Header + "[HKEY_LOCAL_MACHINE\\SOFTWARE\\A]\n\"s\"=\"abc\" junk\n", 4, "unexpected text 'junk'" },
        { "missing equals", Header + "[HKEY_LOCAL_MACHINE\\SOFTWARE\\A]\n\"s\" dword:1\n", 4, "expected '='" },
        { "garbage line", Header + "[HKEY_LOCAL_MACHINE\\SOFTWARE\\A]\nStart=3\n", 4, "expected a [KEY] line" },
        { "value under a deletion", Header + "[-HKEY_LOCAL_MACHINE\\SOFTWARE\\A]\n\"x\"=dword:1\n", 4, "under the key deletion" },
        { "hive root deletion", Header + "[HKEY_LOCAL_MACHINE\\SOFTWARE\\New]\n\"v\"=dword:1\n[-HKEY_LOCAL_MACHINE\\SYSTEM]\n", 5, "STATUS_CANNOT_DELETE" },
        { "new hive under HKLM", Header + "[HKEY_LOCAL_MACHINE\\SOFTWARE\\New]\n[HKEY_LOCAL_MACHINE\\NEWHIVE\\Key]\n", 4, "STATUS_ACCESS_DENIED" },
        { "stable key under a volatile one", Header + "[HKEY_LOCAL_MACHINE\\SOFTWARE\\New]\n\"v\"=dword:1\n[HKEY_LOCAL_MACHINE\\HARDWARE\\Mine]\n", 5, "STATUS_CHILD_MUST_BE_VOLATILE" },
        { "link over a key", Header + "[HKEY_LOCAL_MACHINE\\SOFTWARE]\n\"SymbolicLinkValue\"=hex(6):5c,00\n", 3, "is not a symbolic link" },
    };

    [Theory]
    [MemberData(nameof(MalformedFiles))]
    public void A_malformed_file_is_refused_naming_the_line_and_changes_nothing(string kind, string text, int line, string expected)
    {
        var r = new CmTestRegistry();
        var volatileKey = r.Create(@"\REGISTRY\MACHINE\SOFTWARE\Vol", REG_OPTION_VOLATILE);
        r.Cm.SetValueKey(volatileKey, "kept", REG_DWORD, RegData.Dword(1));
        r.Time += 1000;
        var before = r.Dump();

        var error = r.Cm.LoadRegText(text, "machine.reg");

        Assert.NotNull(error);
        Assert.Equal(line, error.Line);
        Assert.Contains(expected, error.Problem, StringComparison.Ordinal);
        Assert.StartsWith($"machine.reg, line {line}: ", error.Message, StringComparison.Ordinal);
        Assert.True(before == r.Dump(), $"{kind}: the registry changed");
    }

    [Fact]
    public void LoadRegFile_throws_with_the_file_and_line()
    {
        var r = new CmTestRegistry();
        var path = Path.Combine(Path.GetTempPath(), $"sharpnt-cm-{Guid.NewGuid():N}.reg");
        try
        {
            File.WriteAllText(path, Header + "[HKEY_LOCAL_MACHINE\\SOFTWARE\\A]\n\"d\"=dword:xyz\n");
            var e = Assert.Throws<RegFileException>(() => r.Cm.LoadRegFile(path));
            Assert.Equal($"{path}, line 4: bad dword value 'xyz': expected 1 to 8 hex digits, as in dword:0000000a", e.Message);
            Assert.Null(r.Cm.OpenKey(@"\REGISTRY\MACHINE\SOFTWARE\A"));

            File.WriteAllBytes(path, [.. Encoding.UTF8.GetBytes(Header + "; ok\n; bad: "), 0xC3, 0x28, (byte)'\n']);
            e = Assert.Throws<RegFileException>(() => r.Cm.LoadRegFile(path));
            Assert.Equal(4, e.Error.Line);
            Assert.Contains("not valid UTF-8", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_key_deletion_marks_open_keys_deleted_and_hive_users_can_be_mounted()
    {
        var r = new CmTestRegistry();
        var held = r.Create(@"\REGISTRY\MACHINE\SOFTWARE\Held");
        var below = r.Create(@"\REGISTRY\MACHINE\SOFTWARE\Held\Below");
        Assert.Null(r.Cm.LoadRegText(Header + "[-HKEY_LOCAL_MACHINE\\SOFTWARE\\Held]\n[HKEY_USERS\\S-1-5-18\\Software]\n\"x\"=\"y\"\n", "f.reg"));
        Assert.True(held.IsDeleted);
        Assert.True(below.IsDeleted);
        Assert.Equal(NTSTATUS.STATUS_KEY_DELETED, r.Cm.SetValueKey(below, "v", REG_DWORD, RegData.Dword(1)));

        var hive = r.Open(@"\REGISTRY\USER\S-1-5-18");
        Assert.True(hive.IsNoDelete);
        Assert.Equal(NTSTATUS.STATUS_CANNOT_DELETE, r.Cm.DeleteKey(hive));
    }
}
