namespace SharpNT.Drivers.Tests.Fastfat;

/// <summary>A corruption of a populated image: a truncation, or byte overwrites at offsets within the target region.</summary>
public sealed record FatCorruption(int FatBits, FatCorruptionTarget Target, int Fraction, (int Offset, byte Value)[] Writes)
{
    public override string ToString() =>
        $"FAT{FatBits} {Target} fraction={Fraction} writes=[{string.Join(", ", Writes.Select(w => $"{w.Offset}:{w.Value:X2}"))}]";
}
