using SharpNT.Drivers.Fastfat;

namespace SharpNT.Drivers.Tests.Fastfat;

public sealed class FatNameExpressionTests
{
    [Theory]
    [InlineData("*", "anything.txt", true)]
    [InlineData("*.txt", "Notes.TXT", true)]
    [InlineData("*.txt", "notes.txt.bak", false)]
    [InlineData("*.*", "noextension", false)]
    [InlineData("*.*", "has.dot", true)]
    [InlineData("?.c", "a.c", true)]
    [InlineData("?.c", "ab.c", false)]
    [InlineData("a*b*c", "aXXbYYc", true)]
    [InlineData("a*b*c", "aXXbYY", false)]
    [InlineData("exact.name", "EXACT.NAME", true)]
    [InlineData("exact.name", "exact.names", false)]
    [InlineData("<.txt", "notes.txt", true)]
    [InlineData("<.txt", "a.b.txt", true)]
    [InlineData("<", "nodot", true)]
    [InlineData("a>>.txt", "a.txt", true)]
    [InlineData("a>>.txt", "abc.txt", true)]
    [InlineData("a>>.txt", "abcd.txt", false)]
    [InlineData("name\"*", "name", true)]
    [InlineData("name\"*", "name.ext", true)]
    [InlineData("<\"*", "name", true)]
    public void Matches_like_FsRtlIsNameInExpression_ignoring_case(string expression, string name, bool matches)
    {
        Assert.Equal(matches, new FatNameExpression(expression).IsMatch(name));
    }

    [Fact]
    public void Stars_do_not_backtrack_exponentially()
    {
        var expression = new FatNameExpression(string.Concat(Enumerable.Repeat("*a", 30)) + "b");
        Assert.False(expression.IsMatch(new string('a', 200)));
    }
}
