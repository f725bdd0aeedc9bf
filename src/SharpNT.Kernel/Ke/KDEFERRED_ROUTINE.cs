using System.Diagnostics;
using SharpNT.Kernel.Mm;

namespace SharpNT.Kernel.Ke;

/// <summary>A deferred routine: runs at DISPATCH_LEVEL (KDEFERRED_ROUTINE).</summary>
public delegate void KDEFERRED_ROUTINE(KDPC Dpc, object? DeferredContext, object? SystemArgument1, object? SystemArgument2);
