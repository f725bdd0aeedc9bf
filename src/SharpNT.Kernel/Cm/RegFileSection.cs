namespace SharpNT.Kernel.Cm;

/// <summary>
/// One [KEY] section of a .reg file: the key as written (<paramref name="KeyText"/>), its NT path, whether
/// it was a [-KEY] deletion, and the value lines under it.
/// </summary>
internal sealed record RegFileSection(int Line, string KeyText, string NtPath, bool Delete, IReadOnlyList<RegFileValue> Values);
