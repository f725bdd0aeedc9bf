using FsCheck;
using FsCheck.Fluent;

namespace SharpNT.Drivers.Tests.Fastfat;

/// <summary>FsCheck generator of corruptions: a target region, a truncation fraction, and up to six byte writes.</summary>
public static class FatCorruptionArbitrary
{
    public static Arbitrary<FatCorruption> Corruption()
    {
        var write = from offset in Gen.Choose(0, 1 << 20) from value in Gen.Choose(0, 255) select (offset, (byte)value);
        var corruption =
            from bits in Gen.Elements(12, 16, 32)
            from target in Gen.Elements(Enum.GetValues<FatCorruptionTarget>())
            from fraction in Gen.Choose(0, 999)
            from count in Gen.Choose(1, 6)
            from writes in write.ArrayOf(count)
            select new FatCorruption(bits, target, fraction, writes);
        return corruption.ToArbitrary();
    }
}
