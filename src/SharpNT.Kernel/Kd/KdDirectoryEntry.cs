namespace SharpNT.Kernel.Kd;

/// <summary>One entry of an object directory as !object lists it.</summary>
internal sealed record KdDirectoryEntry(string Name, string TypeName, ulong Address);
