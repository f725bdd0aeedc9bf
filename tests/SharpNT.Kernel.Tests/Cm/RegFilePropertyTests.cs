using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using SharpNT.Kernel.Cm;
using static SharpNT.Kernel.Cm.RegConstants;

namespace SharpNT.Kernel.Tests.Cm;

/// <summary>Random trees saved and loaded again are the same trees, byte for byte.</summary>
public sealed class RegFilePropertyTests
{
    private const string Top = ConfigurationManager.SoftwarePath + @"\Prop";

    /// <summary>A random value: name, type, data.</summary>
    public sealed record RandomValue(string Name, uint Type, byte[] Data);

    /// <summary>A random key: a path of 1 to 4 names below Top, and its values.</summary>
    public sealed record RandomKey(string[] Path, RandomValue[] Values);

    private static readonly char[] NameChars =
        [.. "abcXYZ019 -_.{}[]()'@=;,!#$%&+~`^é߀Ωß中", '"', '\t'];

    private static Gen<string> Name(bool allowBackslash) =>
        from length in Gen.Choose(1, 10)
        from chars in Gen.ArrayOf(Gen.Elements(allowBackslash ? [.. NameChars, '\\', '\0'] : NameChars), length)
        from emoji in Gen.Frequency((9, Gen.Constant(string.Empty)), (1, Gen.Constant("😀")))
        select new string(chars) + emoji;

    private static Gen<byte[]> Bytes(int max) =>
        from length in Gen.Choose(0, max)
        from bytes in Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), length)
        select bytes;

    private static readonly Gen<RandomValue> ValueGen =
        from name in Gen.Frequency((1, Gen.Constant(string.Empty)), (6, Name(allowBackslash: true)))
        from kind in Gen.Choose(0, 10)
        from text in Name(allowBackslash: true)
        from list in Gen.ArrayOf(Name(allowBackslash: false), 3)
        from number in Gen.Choose(int.MinValue, int.MaxValue)
        from raw in Bytes(120)
        from oddType in Gen.Choose(12, 0x7FFFFFFF)
        select kind switch
        {
            0 => new RandomValue(name, REG_SZ, RegData.String(text.Replace("\0", string.Empty, StringComparison.Ordinal))),
            1 => new RandomValue(name, REG_EXPAND_SZ, RegData.String(text)),
            2 => new RandomValue(name, REG_MULTI_SZ, RegData.MultiString(list)),
            3 => new RandomValue(name, REG_DWORD, RegData.Dword((uint)number)),
            4 => new RandomValue(name, REG_QWORD, RegData.Qword((ulong)(uint)number << 17 | (uint)number)),
            5 => new RandomValue(name, REG_BINARY, raw),
            6 => new RandomValue(name, REG_DWORD_BIG_ENDIAN, RegData.DwordBigEndian((uint)number)),
            7 => new RandomValue(name, REG_LINK, RegData.Link(text)),
            8 => new RandomValue(name, (uint)(number & 0xF), raw),
            9 => new RandomValue(name, (uint)oddType, raw),
            _ => new RandomValue(name, REG_SZ, raw),
        };

    private static readonly Gen<RandomKey> KeyGen =
        from depth in Gen.Choose(1, 4)
        from path in Gen.ArrayOf(Name(allowBackslash: false), depth)
        from count in Gen.Choose(0, 4)
        from values in Gen.ArrayOf(ValueGen, count)
        select new RandomKey(path, values);

    private static readonly Arbitrary<RandomKey[]> TreeArb =
        (from count in Gen.Choose(1, 12)
         from keys in Gen.ArrayOf(KeyGen, count)
         select keys).ToArbitrary();

    private static CmTestRegistry Build(RandomKey[] tree)
    {
        var r = new CmTestRegistry();
        var top = r.Create(Top);
        foreach (var randomKey in tree)
        {
            var key = top;
            foreach (var name in randomKey.Path)
            {
                Assert.Equal(NTSTATUS.STATUS_SUCCESS, r.Cm.CreateKey(key, name, null, 0, out var child, out _));
                key = child!;
            }

            foreach (var value in randomKey.Values)
            {
                Assert.Equal(NTSTATUS.STATUS_SUCCESS, r.Cm.SetValueKey(key, value.Name, value.Type, value.Data));
            }
        }

        return r;
    }

    /// <summary>Names (with their case), value names, types and bytes, subkeys and values in order.</summary>
    private static string Shape(CmTestRegistry r, CmKey key)
    {
        var lines = new List<string>();
        var stack = new Stack<(CmKey Key, string Path)>();
        stack.Push((key, key.Name));
        while (stack.Count > 0)
        {
            var (k, path) = stack.Pop();
            lines.Add($"[{path}]");
            lines.AddRange(r.Cm.GetValues(k).Select(v => $"{Convert.ToHexString(RegData.Link(v.Name))}:{v.Type}:{Convert.ToHexString(v.Data)}"));
            var subkeys = r.Cm.GetSubkeys(k);
            for (var i = subkeys.Count - 1; i >= 0; i--)
            {
                stack.Push((subkeys[i], path + "\\" + Convert.ToHexString(RegData.Link(subkeys[i].Name))));
            }
        }

        return string.Join("\n", lines);
    }

    [Property(MaxTest = 200)]
    public Property Random_trees_saved_then_loaded_are_equal() => Prop.ForAll(TreeArb, tree =>
    {
        var original = Build(tree);
        foreach (var style in new[] { RegFileStyle.Regedit, RegFileStyle.Readable })
        {
            var text = original.Cm.SaveRegText(style);
            var copy = new CmTestRegistry();
            var error = copy.Cm.LoadRegText(text, "random.reg");
            Assert.True(error is null, error?.Message);
            Assert.Equal(Shape(original, original.Open(Top)), Shape(copy, copy.Open(Top)));
            Assert.Equal(text, copy.Cm.SaveRegText(style));
            Assert.Equal(original.Cm.SaveRegText(RegFileStyle.Regedit), copy.Cm.SaveRegText(RegFileStyle.Regedit));
        }
    });
}
