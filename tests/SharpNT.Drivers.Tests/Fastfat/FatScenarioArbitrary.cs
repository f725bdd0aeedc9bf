using System.Collections.Immutable;
using System.Globalization;
using FsCheck;
using FsCheck.Fluent;

namespace SharpNT.Drivers.Tests.Fastfat;

/// <summary>FsCheck generators for <see cref="FatScenario"/>: mixed short, long, Unicode and case-colliding names.</summary>
public static class FatScenarioArbitrary
{
    private static readonly ImmutableArray<string> s_names =
    [
        "a.txt", "A.TXT", "B.TXT", "readme", "README", "Readme.md", "long file name.txt", "Another Long Name",
        "ümlaut ñame.bin", "x", "data.bin", "DIR", "sub folder", "12345678.123", "name.with.dots", "UPPER", "lower",
        "MiXeD.TxT", "very long name that goes on and on and on for quite a while.dat", "spaces  inside", "dots...in.middle",
        "tilde~1.txt", "LONGNA~1.TXT", "[brackets]+plus", "日本語のファイル.txt",
    ];

    public static Arbitrary<FatScenario> Scenario()
    {
        var name = Gen.OneOf(
            Gen.Elements<string>(s_names),
            Gen.Choose(0, 999).Select(n => "f" + n.ToString(CultureInfo.InvariantCulture)),
            Gen.Choose(0, 99).Select(n => "Generated Long Name " + n.ToString(CultureInfo.InvariantCulture) + ".data"));
        var kind = Gen.Frequency(
            (6, Gen.Constant(FatOpKind.CreateFile)),
            (3, Gen.Constant(FatOpKind.Write)),
            (2, Gen.Constant(FatOpKind.Append)),
            (2, Gen.Constant(FatOpKind.Truncate)),
            (2, Gen.Constant(FatOpKind.Delete)),
            (3, Gen.Constant(FatOpKind.Rename)),
            (3, Gen.Constant(FatOpKind.Mkdir)),
            (1, Gen.Constant(FatOpKind.Rmdir)),
            (1, Gen.Constant(FatOpKind.Remount)));
        var size = Gen.Frequency((3, Gen.Choose(0, 700)), (2, Gen.Choose(700, 6000)), (1, Gen.Choose(6000, 20000)));
        var op =
            from k in kind
            from a in Gen.Choose(0, 999)
            from b in Gen.Choose(0, 999)
            from s in size
            from seed in Gen.Choose(0, int.MaxValue)
            from n in name
            from replace in Gen.Elements(true, false)
            select new FatOp(k, a, b, s, seed, n, replace);
        var scenario =
            from bits in Gen.Elements(12, 16, 32)
            from tiny in Gen.Elements(true, false)
            from count in Gen.Choose(10, 80)
            from ops in op.ArrayOf(count)
            select new FatScenario(bits, tiny, ops);
        return scenario.ToArbitrary();
    }
}
