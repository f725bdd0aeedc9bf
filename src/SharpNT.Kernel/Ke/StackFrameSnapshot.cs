namespace SharpNT.Kernel.Ke;

/// <summary>One frame of the crashing thread's stack, innermost first.</summary>
public sealed record StackFrameSnapshot(string Module, string Routine, ulong Address, string Symbol);
