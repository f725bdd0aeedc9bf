namespace SharpNT.Kernel.Ke;

/// <summary>A loaded module as the crash dump records it.</summary>
public sealed record ModuleSnapshot(string Name, ulong Base, uint Size, bool Unloaded);
