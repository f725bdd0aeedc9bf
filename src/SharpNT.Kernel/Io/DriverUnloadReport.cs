namespace SharpNT.Kernel.Io;

/// <summary>What a driver left behind when it was unloaded: devices it did not delete, pool it did not free.</summary>
public sealed record DriverUnloadReport(string Driver, IReadOnlyList<string> DevicesLeft, IReadOnlyList<string> PoolLeft)
{
    public bool Clean => DevicesLeft.Count == 0 && PoolLeft.Count == 0;
}
