namespace SharpNT.Kernel.Ke;

/// <summary>A processor's state at the moment of a bug check.</summary>
public sealed record ProcessorSnapshot(int Number, byte Irql, string? CurrentThread, ulong CurrentThreadAddress, bool InDpc);
