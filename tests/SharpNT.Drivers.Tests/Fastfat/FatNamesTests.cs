using SharpNT.Drivers.Fastfat;
using SharpNT.Kernel;

namespace SharpNT.Drivers.Tests.Fastfat;

public sealed class FatNamesTests
{
    [Theory]
    [InlineData("FILE.TXT", "FILE    TXT", 0)]
    [InlineData("file.txt", "FILE    TXT", 0x18)]
    [InlineData("file.TXT", "FILE    TXT", 0x08)]
    [InlineData("FILE.txt", "FILE    TXT", 0x10)]
    [InlineData("README", "README     ", 0)]
    [InlineData("a1$%-_@~", "A1$%-_@~   ", 0x08)]
    public void Names_that_fit_8_3_in_one_case_per_part_need_no_long_entries(string name, string raw, byte flags)
    {
        Assert.True(FatNames.TryMakeShortName(name, out var made, out var madeFlags));
        Assert.Equal(raw, made);
        Assert.Equal(flags, madeFlags);
        Assert.Equal(name, FatNames.ShortNameToDisplay(made, madeFlags));
    }

    [Theory]
    [InlineData("Readme.txt")]
    [InlineData("toolongname.txt")]
    [InlineData("file.text")]
    [InlineData("a b.txt")]
    [InlineData("a+b.txt")]
    [InlineData("x.y.z")]
    [InlineData(".profile")]
    [InlineData("café.txt")]
    public void Other_names_need_long_entries(string name) => Assert.False(FatNames.TryMakeShortName(name, out _, out _));

    [Theory]
    [InlineData("A long file name.txt", "ALONGF~1TXT")]
    [InlineData("Readme.txt", "README  TXT")]
    [InlineData("x.y.z.tar.gz", "XYZTAR~1GZ ")]
    [InlineData(".profile", "PROFIL~1   ")]
    [InlineData("a+b[1].c", "A_B_1_~1C  ")]
    [InlineData("ünïcødé.bin", "_N_C_D~1BIN")]
    [InlineData("file.jpeg", "FILE~1  JPE")]
    public void Short_names_are_generated_from_the_basis_with_a_numeric_tail(string longName, string expected)
    {
        Assert.Equal(expected.PadRight(11)[..11], FatNames.GenerateShortName(longName, _ => false));
    }

    [Fact]
    public void Taken_short_names_move_to_the_next_tail_then_to_a_hashed_basis()
    {
        var taken = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 1; i <= 3; i++)
        {
            taken.Add($"LONGNA~{i}TXT");
        }

        Assert.Equal("LONGNA~4TXT", FatNames.GenerateShortName("Long name number.txt", taken.Contains));
        taken.Add("LONGNA~4TXT");
        var hashed = FatNames.GenerateShortName("Long name number.txt", taken.Contains)!;
        Assert.Matches("^LO[0-9A-F]{4}~1TXT$", hashed);
        Assert.Equal("README~1TXT", FatNames.GenerateShortName("Readme.txt", raw => raw == "README  TXT"));
    }

    [Fact]
    public void Thousands_of_similar_names_get_distinct_short_names()
    {
        var taken = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 5000; i++)
        {
            var raw = FatNames.GenerateShortName($"file {i:D4}.dat", taken.Contains);
            Assert.NotNull(raw);
            Assert.True(taken.Add(raw!));
        }
    }

    [Fact]
    public void The_checksum_follows_fatgen103()
    {
        // Rotate right and add over "FILE    TXT": computed by hand with the fatgen103 ChkSum loop.
        byte expected = 0;
        foreach (var c in "FILE    TXT")
        {
            expected = (byte)(((expected & 1) << 7) + (expected >> 1) + c);
        }

        Assert.Equal(expected, FatNames.Checksum("FILE    TXT"));
        Assert.NotEqual(FatNames.Checksum("FILE    TXT"), FatNames.Checksum("FILE    TXU"));
    }

    [Theory]
    [InlineData("ok name.txt", true)]
    [InlineData(" leading space", true)]
    [InlineData(".hidden", true)]
    [InlineData("trailing.", false)]
    [InlineData("trailing ", false)]
    [InlineData("a*b", false)]
    [InlineData("a/b", false)]
    [InlineData("a\\b", false)]
    [InlineData("tab\tname", false)]
    [InlineData("", false)]
    [InlineData(".", false)]
    [InlineData("..", false)]
    public void Long_names_are_validated_as_FsRtlIsHpfsDbcsLegal_documents(string name, bool legal)
    {
        var expected = legal ? NTSTATUS.STATUS_SUCCESS : NTSTATUS.STATUS_OBJECT_NAME_INVALID;
        Assert.Equal(expected, FatNames.ValidateLongName(name));
    }

    [Fact]
    public void A_first_byte_of_0x05_reads_as_0xE5()
    {
        Assert.Equal("σABC.TXT", FatNames.ShortNameToDisplay("\u0005ABC    TXT", 0));
    }
}
