namespace SharpNT.Kernel.Kd;

/// <summary>A code address as the debugger shows it: the address and its module!routine symbol (null for NULL).</summary>
internal readonly record struct KdRoutine(ulong Address, string? Symbol)
{
    public static KdRoutine None => default;
}
