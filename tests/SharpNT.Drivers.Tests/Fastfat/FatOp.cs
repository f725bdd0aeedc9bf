using System.Globalization;

namespace SharpNT.Drivers.Tests.Fastfat;

/// <summary>One random operation: <see cref="A"/> and <see cref="B"/> choose targets, the rest are its arguments.</summary>
public sealed record FatOp(FatOpKind Kind, int A, int B, int Size, int Seed, string Name, bool Replace)
{
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Kind}(a={A}, b={B}, size={Size}, seed={Seed}, name='{Name}', replace={Replace})");
}
