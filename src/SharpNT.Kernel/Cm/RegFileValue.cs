namespace SharpNT.Kernel.Cm;

/// <summary>One value line of a .reg file: set the value to (type, data), or delete it when Data is null.</summary>
internal sealed record RegFileValue(int Line, string Name, uint Type, byte[]? Data);
