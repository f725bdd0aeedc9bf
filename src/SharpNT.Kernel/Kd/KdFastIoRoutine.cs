namespace SharpNT.Kernel.Kd;

/// <summary>One non-NULL entry of a driver's FAST_IO_DISPATCH: the member's name (FastIoRead, ...) and the routine there.</summary>
internal readonly record struct KdFastIoRoutine(string Name, KdRoutine Routine);
