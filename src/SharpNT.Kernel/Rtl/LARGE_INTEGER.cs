namespace SharpNT.Kernel;

/// <summary>A 64-bit signed value as NT passes times and offsets (100 ns units for times).</summary>
public struct LARGE_INTEGER : IEquatable<LARGE_INTEGER>
{
    public long QuadPart;

    public LARGE_INTEGER(long quadPart) => QuadPart = quadPart;

    public readonly uint LowPart => (uint)QuadPart;

    public readonly int HighPart => (int)(QuadPart >> 32);

    public readonly bool Equals(LARGE_INTEGER other) => QuadPart == other.QuadPart;

    public override readonly bool Equals(object? obj) => obj is LARGE_INTEGER other && Equals(other);

    public override readonly int GetHashCode() => QuadPart.GetHashCode();

    public static bool operator ==(LARGE_INTEGER left, LARGE_INTEGER right) => left.Equals(right);

    public static bool operator !=(LARGE_INTEGER left, LARGE_INTEGER right) => !left.Equals(right);

    public override readonly string ToString() => QuadPart.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
