using System.Diagnostics;

namespace SharpNT.Kernel;

/// <summary>
/// A locally unique identifier (ntdef.h LUID): a 64-bit value split into a low and a high part. Privileges
/// are named by LUIDs (SE_TCB_PRIVILEGE is { 7, 0 }), and so are logon sessions.
/// </summary>
[DebuggerDisplay("{HighPart}:{LowPart}")]
public readonly record struct LUID(uint LowPart, int HighPart)
{
    /// <summary>RtlConvertLongToLuid: the LUID whose low part is <paramref name="value"/>.</summary>
    public static LUID FromLong(int value) => new((uint)value, value < 0 ? -1 : 0);

    /// <summary>The LUID as one 64-bit number.</summary>
    public long QuadPart => ((long)HighPart << 32) | LowPart;

    public override string ToString() => $"{HighPart:x8}:{LowPart:x8}";
}
